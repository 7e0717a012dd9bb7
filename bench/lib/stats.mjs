// Order statistics over a list of samples (nearest-rank percentiles: no interpolation, so every
// reported value is one that was actually measured).
export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function summary(samples) {
  return {
    n: samples.length,
    median: percentile(samples, 50),
    p90: percentile(samples, 90),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

export const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
