// Each benchmark script run for real with tiny counts into a temporary results directory: it
// must finish, measure both clients and write numbers that add up. (The numbers themselves are
// not asserted: no timing limits in tests.)
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BENCH = new URL("../", import.meta.url).pathname;
const results = mkdtempSync(join(tmpdir(), "zcb-bench-results-"));
after(() => rmSync(results, { recursive: true }));
const env = { ...process.env, BENCH_RESULTS: results, BENCH_COLDSTART_TRIALS: "2", BENCH_CALLS: "40", BENCH_WARMUP: "5", BENCH_ROUNDS: "2", BENCH_HTTP_MEMORY_S: "2" };

function run(script) {
  execFileSync(process.execPath, [`${BENCH}${script}.mjs`], { env, stdio: ["ignore", "ignore", "inherit"] });
  const result = JSON.parse(readFileSync(join(results, `${script}.json`), "utf8"));
  assert.equal(result.benchmark, script);
  assert.ok(result.machine.cpuModel && result.machine.cores > 0 && result.machine.node === process.version);
  assert.ok(result.tables.length > 0);
  return result;
}

test("size: every entry adds up, and counts the .wasm it loads", () => {
  const r = run("size");
  const wasmOnDisk = statSync(`${BENCH}../pkg/dist/zilliz_cloud_backup_bg.wasm`).size;
  assert.equal(r.wasmAlone.raw, wasmOnDisk);
  for (const name of ["browser", "browser, wasm-file", "node", "deno", "workerd"]) {
    const e = r.entries[name];
    assert.equal(e.total.raw, e.wasm.raw + e.js.raw, name);
    assert.equal(e.wasm.raw, e.wasm.files.reduce((s, f) => s + f.raw, 0), name);
    // The Node entry ships bundled (build-pkg.sh): dist/node.js.
    const entryFile = { node: "pkg/dist/node.js", "browser, wasm-file": "pkg/wasm-file.js" }[name] ?? `pkg/${name}.js`;
    assert.ok(e.js.files.some((f) => f.file === entryFile), `${name} counts its entry file`);
    assert.ok(e.wasm.gzip < e.wasm.raw);
  }
  assert.equal(r.entries.node.wasm.raw, wasmOnDisk);
  assert.equal(r.entries.workerd.wasm.raw, wasmOnDisk);
  assert.equal(r.entries["browser, wasm-file"].wasm.raw, wasmOnDisk, "the wasm-file entry loads the .wasm as it is");
  assert.ok(!r.entries["browser, wasm-file"].js.files.some((f) => f.file.endsWith(".wasm.js")), "and not the inlined copy");
  // A dashboard bundling that entry ships fewer bytes than one bundling the default entry.
  assert.equal(r.bundled.ours_wasm_file.wasm.raw, wasmOnDisk);
  assert.ok(r.bundled.ours_wasm_file.total.gzip < r.bundled.ours_browser.total.gzip);
  assert.ok(r.entries.browser.wasm.raw > wasmOnDisk, "the browser's inlined base64 copy is larger");
  assert.equal(r.entries.deno.wasm.raw, r.entries.browser.wasm.raw, "Deno's entry loads the same inlined copy");
  assert.ok(r.bundled.baseline.total.raw > 0 && r.bundled.baseline.wasm.raw === 0);
});

test("coldstart-browser: every page sent its request in Chromium, the wasm-file pages after fetching their .wasm once", () => {
  const r = run("coldstart-browser");
  assert.equal(Object.keys(r.results).length, 4);
  for (const [scenario, pages] of Object.entries(r.results)) {
    assert.deepEqual(Object.keys(pages), ["baseline", "ours", "ours, wasm-file", "ours, wasm-file, preloaded"], scenario);
    for (const [name, x] of Object.entries(pages)) {
      assert.equal(x.samples.length, 2, `${scenario} ${name}`);
      for (const s of x.samples) assert.ok(s.requestMs > 0, `${scenario} ${name}: ${JSON.stringify(s)}`);
    }
    // Only the wasm-file pages fetch a .wasm (once: the script throws on a second, a preload the
    // entry did not use), and their request leaves once it is in.
    assert.equal(pages.ours.samples[0].wasmFetchMs, undefined, scenario);
    for (const name of ["ours, wasm-file", "ours, wasm-file, preloaded"]) {
      for (const s of pages[name].samples) assert.ok(s.wasmLoadedMs <= s.requestMs, `${scenario} ${name}: ${JSON.stringify(s)}`);
    }
  }
  // What each scenario says it is: a first visit fetches the page's files; a return visit after a
  // deploy only the new bundle; a return visit with nothing changed nothing.
  const [first, , deployed, unchanged] = Object.values(r.results);
  for (const [name, x] of Object.entries(first)) for (const s of x.samples) assert.equal(s.fetched, name.includes("wasm-file") ? 2 : 1, name);
  for (const x of Object.values(deployed)) for (const s of x.samples) assert.equal(s.fetched, 1);
  for (const x of Object.values(unchanged)) for (const s of x.samples) assert.equal(s.fetched, 0);
  assert.ok(r.gzipBytes["ours, wasm-file"] < r.gzipBytes.ours, JSON.stringify(r.gzipBytes));
});

test("coldstart: every trial of both clients in both runtimes reached the server", () => {
  const r = run("coldstart");
  for (const runtime of ["node", "nodeFresh", "workerd", "workerdImport"]) {
    for (const name of ["ours", "baseline"]) {
      const samples = r[runtime].samples[name];
      assert.equal(samples.length, 2, `${runtime} ${name}`);
      for (const s of samples) for (const [k, v] of Object.entries(s)) assert.ok(Number.isFinite(v) && v >= 0, `${runtime} ${name} ${k}=${v}`);
    }
  }
  for (const runtime of ["node", "nodeFresh"]) {
    for (const name of ["ours", "baseline"]) {
      const n = r[runtime].samples[name][0];
      // Each moment in the child follows the one before, and the server has the request only
      // after the client handed it over. Not "the library made it" before "the server has it":
      // node:http publishes its event after writing to the socket (ClientRequest#_finish), and a
      // busy machine can run the server's read first (seen once in CI while other work ran on the machine).
      const ordered = n.import <= n.importToHandOver && n.importToHandOver <= n.importToRequest && n.importToHandOver <= n.importToServer;
      assert.ok(ordered, `${runtime} ${name}: timestamps out of order: ${JSON.stringify(n)}`);
    }
  }
  // The same code runs before the first answer in both runtimes (workerd sends through fetch,
  // Node through node:http, both outside the .wasm), so the two counts agree closely.
  const node = r.wasmCompiledBeforeFirstAnswer;
  const workerd = r.wasmCompiledInWorkerd;
  assert.ok(workerd.functions > 100 && workerd.tracedUs > 0, JSON.stringify(workerd));
  assert.ok(Math.abs(workerd.bodyBytes - node.bodyBytes) < 0.05 * node.bodyBytes, `workerd ${workerd.bodyBytes} B, Node ${node.bodyBytes} B`);
  // Paired: the median of the trials' own ratios (of two, the lower).
  const s = r.workerd.samples;
  assert.equal(r.workerd.stats.pairedRatio.dispatchToServer, Math.min(...s.ours.map((o, i) => o.dispatchToServer / s.baseline[i].dispatchToServer)));
});

test("overhead: both clients measured for both calls at both concurrencies", () => {
  const r = run("overhead");
  assert.deepEqual(r.results.map((x) => `${x.op}/${x.concurrency}`), ["describeJob/1", "describeJob/64", "listBackups/1", "listBackups/64"]);
  for (const x of r.results) {
    for (const name of ["ours", "oursFetch", "baseline", "baselineTimeout"]) {
      assert.equal(x.rounds[name].length, 2);
      assert.ok(x[name].rps > 0 && x[name].cpuUsPerCall > 0);
    }
    assert.equal(x.ratio.rps, x.ours.rps / x.baseline.rps);
    // Paired: each round's own ratio, the median of them (of two, the lower).
    const perRound = x.rounds.ours.map((o, r) => o.rps / x.rounds.baselineTimeout[r].rps);
    assert.equal(x.pairedTimeout.rps, Math.min(...perRound));
  }
});

test("runtimes: in Deno and Bun, both clients' cold starts and per-call costs measured, ours through the runtime's own entry", () => {
  execFileSync("bash", [`${BENCH}runtimes.sh`], { env: { ...env, BENCH_ROUNDS_STUB: "1" }, stdio: ["ignore", "ignore", "inherit"] });
  const cold = JSON.parse(readFileSync(join(results, "coldstart-runtimes.json"), "utf8"));
  // Deno's entry touches no node: module (tests/js/deno); Bun's is the Node entry's bundle.
  assert.deepEqual([cold.deno.entry, cold.bun.entry], ["./deno.js", "./dist/node.js"]);
  for (const runtime of ["deno", "bun"]) {
    for (const name of ["ours", "baseline"]) {
      assert.equal(cold[runtime].samples[name].length, 2, `${runtime} ${name}`);
      for (const t of cold[runtime].samples[name]) {
        assert.ok(0 < t.import && t.import <= t.importToHandOver && t.importToHandOver < t.spawnToServer, `${runtime} ${name}: ${JSON.stringify(t)}`);
      }
    }
    const dir = join(results, runtime);
    const overhead = JSON.parse(readFileSync(join(dir, "overhead.json"), "utf8"));
    assert.match(overhead.machine.runtime, new RegExp(`^${runtime} \\d`));
    assert.deepEqual(overhead.results.map((x) => `${x.op}/${x.concurrency}`), ["describeJob/1", "describeJob/64", "listBackups/1", "listBackups/64"]);
    for (const x of overhead.results) {
      // The package sends through the runtime's fetch here: no separate "ours (fetch)" rounds.
      assert.deepEqual(Object.keys(x.rounds), ["ours", "baseline", "baselineTimeout"], runtime);
      assert.ok(x.ours.rps > 0 && x.baselineTimeout.cpuUsPerCall > 0 && x.oursFetch.rps === null, runtime);
    }
    for (const t of overhead.tables) assert.deepEqual(t.columns.filter((c) => c.includes("(fetch)")), [], t.title);
    const cost = JSON.parse(readFileSync(join(dir, "client-cost.json"), "utf8"));
    assert.match(cost.machine.runtime, new RegExp(`^${runtime} \\d`));
    for (const x of cost.results) assert.ok(x.cpuUsPerCall.ours > 0 && x.cpuUsPerCall["baseline+timeout"] > 0, `${runtime} ${x.op}`);
  }
  // The report renders each runtime's results under its name.
  const out = join(results, "REPORT.md");
  execFileSync(process.execPath, [`${BENCH}report.mjs`, "--out", out, "--charts", join(results, "charts")], { env, stdio: ["ignore", "ignore", "inherit"] });
  const report = readFileSync(out, "utf8");
  for (const heading of ["Cold start in Deno and Bun", "Per-call overhead (deno)", "Client cost per call, network stubbed (bun)"]) assert.ok(report.includes(`### ${heading}\n`), heading);
  assert.match(report, /, Deno \d[^,]*, .*`bench\/results\/deno\/overhead\.json`/);
});

test("overhead-workerd: every client measured in the three modes for both calls at both concurrencies", () => {
  // The script itself checks each batch reached the emulator only in the fetch mode.
  const r = run("overhead-workerd");
  assert.deepEqual(
    r.results.map((x) => `${x.mode} ${x.op}/${x.concurrency}`),
    ["fetch", "service", "stubbed"].flatMap((mode) => ["describeJob/1", "describeJob/64", "listBackups/1", "listBackups/64"].map((c) => `${mode} ${c}`)),
  );
  for (const x of r.results) {
    for (const name of ["ours", "baseline", "baselineTimeout"]) {
      assert.equal(x.rounds[name].length, 2);
      assert.ok(x[name].rps > 0 && x[name].cpuUsPerCall > 0, `${x.mode} ${x.op}/${x.concurrency} ${name}`);
    }
    // Paired: the median of the rounds' own ratios (of two, the lower).
    assert.equal(x.pairedTimeout.rps, Math.min(...x.rounds.ours.map((o, i) => o.rps / x.rounds.baselineTimeout[i].rps)));
  }
});

test("http-memory: both ways of sending ran their requests and were measured", () => {
  const r = run("http-memory");
  for (const how of ["fetch", "node:http"]) {
    const x = r.results[how];
    assert.ok(x.requests >= 20, `${how}: ${x.requests} requests`);
    assert.ok(x.peakRssMiB > 0 && x.peakNewSpaceMiB > 0, how);
  }
});

test("fleet-isolates: the worker in several isolates, without and with its rate budget: every wait followed, none refused with the budget", () => {
  execFileSync(process.execPath, [`${BENCH}fleet-isolates.mjs`, "2", "8", "4"], { env: { ...env, BENCH_CALLS: "10" }, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "fleet-isolates.json"), "utf8"));
  assert.deepEqual(Object.keys(r.results), ["without the budget", "with the budget"]);
  for (const [mode, x] of Object.entries(r.results)) {
    assert.equal(x.resolved + x.failed, 16, mode);
    assert.ok(x.apiRequests >= 16, `${mode}: ${x.apiRequests} requests`);
    assert.equal(x.latencyMs, 10, mode);
  }
  const budgeted = r.results["with the budget"];
  assert.equal(budgeted.resolved, 16);
  assert.equal(budgeted.apiRateLimited, 0);
  assert.equal(r.tables[0].rows.length, 2);
});

test("wasm-breakdown: every function body of the shipped .wasm is named and counted once", async () => {
  const { functionsOf, demangle } = await import("../wasm-breakdown.mjs");
  assert.equal(demangle("_ZN19zilliz_cloud_backup6client6Client3new17h0123456789abcdefE"), "zilliz_cloud_backup::client::Client::new");
  assert.equal(demangle("_ZN4core3ptr42drop_in_place$LT$alloc..string..String$GT$17h0123456789abcdefE"), "core::ptr::drop_in_place<alloc::string::String>");
  execFileSync("bash", [`${BENCH}wasm-breakdown.sh`], { env, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "wasm-breakdown.json"), "utf8"));
  const shipped = functionsOf(readFileSync(`${BENCH}../pkg/dist/zilliz_cloud_backup_bg.wasm`));
  assert.equal(r.all.functions, shipped.sizes.size);
  assert.equal(r.all.total, [...shipped.sizes.values()].reduce((a, b) => a + b, 0));
  assert.equal(r.all.rows.reduce((s, g) => s + g.bytes, 0), r.all.total);
  const group = (t, name) => t.rows.find((g) => g.group === name)?.bytes ?? 0;
  assert.ok(group(r.all, "wasm::js_api") > 0 && group(r.all, "client") > 0, "the crate's modules are named");
  assert.ok(group(r.all, "other") < 0.05 * r.all.total, "nearly every body has a recognised name");
  assert.ok(r.beforeFirstAnswer.total > 0 && r.beforeFirstAnswer.total < r.all.total);
});

test("size-floor: a copy of the crate with every method builds the shipped .wasm; with fewer, a smaller one", () => {
  execFileSync("bash", [`${BENCH}size-floor.sh`, "describeJob waitForJob", "all"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "size-floor.json"), "utf8"));
  assert.deepEqual(r.results.map((row) => row.methods), ["describeJob, waitForJob", "all 16"]);
  const [two, all] = r.results;
  assert.equal(all.sameAsShipped, true);
  assert.equal(all.raw, statSync(`${BENCH}../pkg/dist/zilliz_cloud_backup_bg.wasm`).size);
  assert.ok(two.gzip > 0 && two.gzip < all.gzip && two.raw < all.raw, "the methods left out were dropped from the build");
});

test("size-floor: a method _call does not dispatch is refused, and only the named methods stay", () => {
  const dir = mkdtempSync(join(tmpdir(), "zcb-keep-methods-"));
  try {
    const file = join(dir, "js_api.rs");
    const source = readFileSync(`${BENCH}../src/wasm/js_api.rs`, "utf8");
    writeFileSync(file, source);
    const keep = (...methods) => execFileSync(process.execPath, [`${BENCH}lib/keep-methods.mjs`, file, ...methods], { stdio: "pipe" });
    assert.throws(() => keep("describeJob", "describeJobs"), /not a method of _call: describeJobs/);
    assert.equal(readFileSync(file, "utf8"), source, "nothing written when refused");
    keep("describeJob", "waitForJob");
    const arms = [...readFileSync(file, "utf8").matchAll(/^\s*"(\w+)" => self\./gm)].map((m) => m[1]);
    assert.deepEqual(arms, ["describeJob", "waitForJob"]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("response-floor: the uncut copy builds the shipped .wasm, and a cut build answers every call right", () => {
  execFileSync("bash", [`${BENCH}response-floor.sh`, "no-rust-reading"], { env: { ...env, BENCH_ROUNDS_STUB: "1" }, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "response-floor.json"), "utf8"));
  assert.deepEqual(r.results.map((row) => row.op), ["describeJob", "listBackups"]);
  for (const { op, cpuUsPerCall } of r.results) {
    assert.deepEqual(Object.keys(cpuUsPerCall), ["baseline", "baseline+timeout", "ours (shipped)", "ours (no-rust-reading)"], op);
    for (const [name, us] of Object.entries(cpuUsPerCall)) assert.ok(Number.isFinite(us) && us > 0, `${op}, ${name}: ${us}`);
  }
  for (const build of ["shipped", "no-rust-reading"]) {
    const w = JSON.parse(readFileSync(join(results, `response-floor-workerd-${build}.json`), "utf8"));
    assert.deepEqual([...new Set(w.results.map((x) => x.mode))].sort(), ["service", "stubbed"], build);
    for (const x of w.results) assert.ok(x.ours.cpuUsPerCall > 0 && x.pairedTimeout.rps > 0, `${build}, ${x.mode} ${x.op}`);
  }
});

test("response-floor: every cut finds each of its anchors, and a cut whose anchor moved writes nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "zcb-cut-response-"));
  try {
    const copy = (name) => {
      const crate = join(dir, name);
      mkdirSync(join(crate, "src/wasm"), { recursive: true });
      for (const file of ["js_api.rs", "fetch.rs"]) writeFileSync(join(crate, "src/wasm", file), readFileSync(`${BENCH}../src/wasm/${file}`, "utf8"));
      return crate;
    };
    const cut = (crate, name) => execFileSync(process.execPath, [`${BENCH}lib/cut-response.mjs`, crate, name], { stdio: "pipe" });
    const read = (crate, file) => readFileSync(join(crate, "src/wasm", file), "utf8");
    for (const name of ["no-decoding", "no-rust-output", "no-rust-reading"]) {
      const crate = copy(name);
      cut(crate, name);
      assert.ok(!read(crate, "js_api.rs").includes("Ok(to_js(&envelope::decode_data::<T>(data, 200, request_id)?))"), `${name}: as_js decodes no more`);
      assert.ok(!read(crate, "js_api.rs").includes("c.list_backups("), `${name}: listBackups decodes no page`);
      assert.equal(read(crate, "fetch.rs").includes("fn body_data()"), name !== "no-decoding", name);
      assert.equal(read(crate, "fetch.rs").includes('r#"{"code":0,"data":{}}"#'), name === "no-rust-reading", name);
    }
    const moved = copy("moved");
    const source = read(moved, "js_api.rs");
    writeFileSync(join(moved, "src/wasm/fetch.rs"), read(moved, "fetch.rs").replace("fn body_text(", "fn body_text_moved("));
    assert.throws(() => cut(moved, "no-rust-output"), /fetch\.rs: expected one/);
    assert.equal(read(moved, "js_api.rs"), source, "nothing written when refused");
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("workerd-builds: every build and plain JS measured in every trial, each build against plain JS", () => {
  execFileSync(process.execPath, [`${BENCH}workerd-builds.mjs`, `${BENCH}../pkg`], { env, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "workerd-builds.json"), "utf8"));
  assert.deepEqual(Object.keys(r.samples), ["plain JS", "pkg"]);
  for (const [name, samples] of Object.entries(r.samples)) {
    assert.equal(samples.length, 2, name);
    for (const ms of samples) assert.ok(Number.isFinite(ms) && ms > 0, `${name}: ${ms}`);
  }
  const [plain, pkg] = r.tables[0].rows;
  assert.equal(plain[2], 1);
  assert.ok(pkg[2] > 0 && Number.isFinite(pkg[2]));
});

test("node-builds: every build and plain JS started in every trial, each build against plain JS", () => {
  execFileSync(process.execPath, [`${BENCH}node-builds.mjs`, `${BENCH}../pkg`], { env, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "node-builds.json"), "utf8"));
  assert.deepEqual(Object.keys(r.samples), ["plain JS", "pkg"]);
  for (const [name, samples] of Object.entries(r.samples)) {
    assert.equal(samples.length, 2, name);
    for (const s of samples) assert.ok(s.import > 0 && s.handOver > s.import && Number.isFinite(s.server), `${name}: ${JSON.stringify(s)}`);
  }
  assert.deepEqual([r.rows[0].name, r.rows[0].handOverRatio], ["plain JS", 1]);
  assert.ok(r.rows[1].handOverRatio > 0 && Number.isFinite(r.rows[1].handOverRatio));
});

test("profile-workerd: the first request's time is found in our wasm, by module, and in the bundle's JS", () => {
  // After wasm-breakdown's test above, whose named build gives the wasm its module names.
  // Eight trials (the script's default): a sampled profile of one short request can miss a part
  // (seen in CI: no wasm sample before the request left with one trial; no sample in the bundle's
  // JS with two, on a fast hour of the VM, where it takes 0.1–0.25 ms a trial: a few samples).
  execFileSync(process.execPath, [`${BENCH}profile-workerd.mjs`, "ours", "8"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "profile-workerd.json"), "utf8"));
  assert.equal(r.names, true, "the named build matched pkg/dist");
  const [before, all] = r.tables.map((t) => Object.fromEntries(t.rows));
  const busy = (t) => Object.entries(t).filter(([k]) => k !== "idle").reduce((s, [, ms]) => s + ms, 0);
  assert.ok(busy(before) > 0 && busy(before) <= busy(all), "time before the request leaves is part of the whole");
  assert.ok(Object.keys(all).some((k) => k.startsWith("wasm: ") && k !== "wasm: other"), "wasm time by Rust module");
  assert.ok(all["JS: the bundle"] > 0, "the bundle's own JS");
});

const hasValgrind = (() => {
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

// The compile-cache mode needs Node 22.1+: the newest Node 22, as scripts/lib.sh's node_binary
// fetches it for tests/js/run.sh (already there when make test gets here). NODE_LINES without 22
// (README: the Node lines make test fetches) skips it.
const noNode22 = process.env.NODE_LINES !== undefined && !process.env.NODE_LINES.split(/\s+/).includes("22");
test("coldstart, node-compile-cache: both clients measured without and with a filled compile cache", { skip: noNode22 && "NODE_LINES leaves out Node 22" }, () => {
  const node22 = execFileSync("bash", ["-c", `source "${BENCH}../scripts/lib.sh" && node_binary 22`], { encoding: "utf8" }).trim();
  const out = execFileSync(node22, [`${BENCH}coldstart.mjs`], { env: { ...env, BENCH_COLDSTART_ONLY: "node-compile-cache" }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  for (const run of ["node, fresh", "node, fresh, compile cache filled"]) {
    assert.match(out, new RegExp(`^${run} importToServer: ours [\\d.]+ ms, baseline [\\d.]+ ms`, "m"), out);
  }
});

test("coldstart-phases: a cold start's instructions split by V8 phase, the .wasm's validation among them", { skip: !hasValgrind && "no valgrind (scripts/setup.sh installs it)" }, () => {
  execFileSync(process.execPath, [`${BENCH}coldstart-phases.mjs`], { env, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "coldstart-phases.json"), "utf8")).byNode[process.versions.node.split(".")[0]];
  // Ours does 20–40 M instructions beyond Node's start; making the .wasm validates all of its
  // 150 KB of function bodies (6–8 M) and compiling its JavaScript is a few M: a phase near zero
  // means its symbols were not found (a V8 that renamed them) or the client never ran.
  assert.ok(r.total > 15_000_000, `total: ${r.total}`);
  assert.ok(r.phases["validating the .wasm"] > 2_000_000, `validation: ${r.phases["validating the .wasm"]}`);
  assert.ok(r.phases["compiling JavaScript"] > 1_000_000, `JavaScript: ${r.phases["compiling JavaScript"]}`);
});

test("coldstart-instructions: both clients' cold starts counted, with either HTTP stack loaded or neither", { skip: !hasValgrind && "no valgrind (scripts/setup.sh installs it)" }, () => {
  execFileSync(process.execPath, [`${BENCH}coldstart-instructions.mjs`], { env: { ...env, BENCH_INSTR_RUNS: "1" }, stdio: ["ignore", "ignore", "inherit"] });
  const r = JSON.parse(readFileSync(join(results, "coldstart-instructions.json"), "utf8"));
  assert.deepEqual(r.rows.map((row) => row.preload), ["fetch", "fetch+http", "none"]);
  for (const row of r.rows) {
    // Importing and sending cost something beyond Node's own start: a count that did not grow
    // would mean the child exited before the client ran. The child stops where the client hands
    // its request to its HTTP library (before either library loads, where nothing was): ours
    // does 30–40 M instructions by then on Node 20 (its module and the .wasm), plain JS a few M,
    // which one run's noise in Node's start-up (all its threads counted, ±3 M and more) can
    // swallow or turn negative. So ours is checked against it, with a wide margin.
    assert.ok(row.ours > row.baseline + 15_000_000, `ours: ${row.ours}, baseline: ${row.baseline}`);
    assert.ok(row.nodeStart > 100_000_000, "Node's own start-up was counted");
  }
});
