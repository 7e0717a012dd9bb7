// report.mjs over a temporary results directory: tables found anywhere in a file (as in the
// lead's polling.json / fleet.json) become Markdown tables and SVG charts, linked relatively.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPORT = new URL("../report.mjs", import.meta.url).pathname;

const dirs = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true })));

function render(files) {
  const dir = mkdtempSync(join(tmpdir(), "zcb-report-"));
  dirs.push(dir);
  mkdirSync(join(dir, "results"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, "results", `${name}.json`), JSON.stringify(body));
  execFileSync(process.execPath, [REPORT, "--out", join(dir, "docs", "R.md"), "--charts", join(dir, "charts")], {
    env: { ...process.env, BENCH_RESULTS: join(dir, "results") },
  });
  return { dir, md: readFileSync(join(dir, "docs", "R.md"), "utf8") };
}

test("renders nested tables, in the known order, with charts linked relatively", () => {
  const { dir, md } = render({
    zeta: { tables: [{ title: "Zeta <t>", columns: ["k", "v"], rows: [["a", 1]] }] },
    polling: {
      machine: { cpuModel: "CPU X", cores: 2, node: "v20", date: "2024-01-01" },
      deep: { table: { title: "Polls per job", columns: ["strategy", "requests", "late ms", "ratio"], rows: [["ours", 15, 900, 0.1], ["fixed 1 s", 300, 500, 1]] } },
    },
  });
  assert.ok(md.indexOf("### Polling") < md.indexOf("### zeta"), "known benchmarks first");
  assert.match(md, /\*CPU X, 2 cores, Node v20, 2024-01-01\*/);
  assert.match(md, /\| strategy \| requests \| late ms \| ratio \|\n\|---\|---:\|---:\|---:\|\n\| ours \| 15 \| 900 \| 0.1 \|/);
  assert.match(md, /!\[Polls per job\]\(\.\.\/charts\/polling-1\.svg\)/);
  assert.deepEqual(readdirSync(join(dir, "charts")).sort(), ["polling-1.svg", "zeta-1.svg"]);

  const svg = readFileSync(join(dir, "charts", "polling-1.svg"), "utf8");
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(!svg.includes(">ratio<"), "ratios are not drawn as bars");
  // One shared linear scale from zero: the largest value (900) fills the 380 px plot.
  const widths = [...svg.matchAll(/<rect x="200" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  // Bars in order: ours (requests, late ms), fixed (requests, late ms); scale 380 px / 900.
  assert.deepEqual(widths, [6.3, 380, 126.7, 211.1]);
  assert.match(readFileSync(join(dir, "charts", "zeta-1.svg"), "utf8"), /Zeta &lt;t&gt;/);
});

test("a table's chart and chartLabel lists choose what is drawn", () => {
  const { dir } = render({
    overhead: {
      tables: [{
        title: "T",
        columns: ["call", "concurrency", "ours", "baseline", "ratio"],
        rows: [["describeJob", 64, 100, 200, 0.5]],
        chart: ["ours", "baseline"],
        chartLabel: ["call", "concurrency"],
      }],
    },
  });
  const svg = readFileSync(join(dir, "charts", "overhead-1.svg"), "utf8");
  assert.match(svg, />describeJob, concurrency 64</);
  assert.equal([...svg.matchAll(/<rect x="200"/g)].length, 2);
});
