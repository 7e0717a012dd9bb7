// A program, not a test: run by first-request.test.mjs in a fresh Deno process. Counts the
// setTimeout calls made before the first request reaches fetch, then waits for that request's
// end. argv: <baseUrl> <apiKey> <jobId> <timeoutMs>. Prints { timersBeforeFetch, status | kind,
// message } as JSON, then returns: the process must then exit without waiting out anything.
const [baseUrl, token, jobId, timeoutMs] = Deno.args;
let timers = 0;
let timersBeforeFetch;
const setTimeoutOf = globalThis.setTimeout;
globalThis.setTimeout = (...args) => {
  timers++;
  return setTimeoutOf(...args);
};
const fetchOf = globalThis.fetch;
globalThis.fetch = (...args) => {
  timersBeforeFetch ??= timers;
  return fetchOf(...args);
};
const { BackupClient } = await import("zilliz-cloud-backup");
const client = new BackupClient({ token, baseUrl, timeoutMs: Number(timeoutMs) });
try {
  const job = await client.describeJob(jobId);
  console.log(JSON.stringify({ timersBeforeFetch, status: job.status }));
} catch (error) {
  console.log(JSON.stringify({ timersBeforeFetch, kind: error.kind, message: error.message }));
}
