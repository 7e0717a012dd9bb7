// The short soak (100 cycles over 10 clusters, 5% random faults) as a node:test test.
// Run: node --test tests/soak/   (the full one: tests/soak/run.sh 1000 50)
import { test } from "node:test";
import assert from "node:assert/strict";
import { soak } from "./soak.mjs";

test("short soak: 100 createBackupAndWait cycles on 10 clusters with 5% random faults lose and duplicate nothing", async () => {
  const lines = [];
  const report = await soak({ cycles: 100, clusters: 10, rate: 0.05, seed: 42, log: (l) => lines.push(l) });
  console.log(lines.join("\n"));
  assert.ok(report.faulted > 0, "faults were injected");
  assert.equal(report.violations, 0, lines.join("\n"));
});
