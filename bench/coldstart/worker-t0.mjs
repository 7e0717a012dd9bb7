// Evaluated first (imported first by worker.mjs): the moment module evaluation starts.
globalThis.benchT0 = Date.now();
