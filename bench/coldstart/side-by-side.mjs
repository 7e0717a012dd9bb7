// Ours and the baseline side by side over fresh starts: the trials alternate which client goes
// first, and each metric is summarised with the ratio of medians and the paired ratio. Shared by
// coldstart.mjs (Node, workerd) and coldstart-runtimes.mjs (Deno, Bun).
import { percentile, summary, round } from "../lib/stats.mjs";

/** Runs `trial(name, jobId)` `trials` times per client, alternating, and summarises each metric. */
export async function measure(label, trial, trials) {
  const samples = { ours: [], baseline: [] };
  for (let i = 0; i < trials; i++) {
    // Alternate which goes first, so neither always runs right after the other.
    const order = i % 2 ? ["baseline", "ours"] : ["ours", "baseline"];
    for (const name of order) samples[name].push(await trial(name, `job-${label}-${name}-${i}`));
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  const metrics = Object.keys(samples.ours[0]);
  const stats = {};
  for (const name of ["ours", "baseline"]) {
    stats[name] = Object.fromEntries(metrics.map((m) => [m, summary(samples[name].map((s) => round(s[m], 3)))]));
  }
  stats.ratioOfMedians = Object.fromEntries(metrics.map((m) => [m, stats.ours[m].median / stats.baseline[m].median]));
  // Paired: the median of each trial's own ratio (its two runs were back to back), steadier when
  // the machine's speed drifts; null where the baseline reads 0 (workerd's 1 ms clock).
  stats.pairedRatio = Object.fromEntries(
    metrics.map((m) => {
      const ratios = samples.ours.map((o, i) => o[m] / samples.baseline[i][m]).filter(Number.isFinite);
      return [m, ratios.length === trials ? percentile(ratios, 50) : null];
    }),
  );
  return { trials, stats, samples };
}

/** A results table of `measure`'s summary. */
export function table(title, result, unit) {
  const rows = Object.keys(result.stats.ours).map((m) => {
    const o = result.stats.ours[m];
    const b = result.stats.baseline[m];
    const paired = result.stats.pairedRatio[m];
    return [m, round(o.median), round(o.p90), round(o.min), round(b.median), round(b.p90), round(b.min), round(result.stats.ratioOfMedians[m]), paired === null ? "" : round(paired)];
  });
  return {
    title,
    columns: ["metric", `ours median ${unit}`, "ours p90", "ours min", `baseline median ${unit}`, "baseline p90", "baseline min", "ratio (medians)", "ratio (paired)"],
    rows,
    chart: [`ours median ${unit}`, `baseline median ${unit}`],
  };
}

/** One line per metric: both medians and the paired ratio. */
export function print(runtime, r) {
  for (const m of Object.keys(r.stats.ours)) {
    const paired = r.stats.pairedRatio[m];
    console.log(`${runtime} ${m}: ours ${round(r.stats.ours[m].median)} ms, baseline ${round(r.stats.baseline[m].median)} ms (median)${paired === null ? "" : `, paired ratio ${round(paired)}`}`);
  }
}
