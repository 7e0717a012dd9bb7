// Cold start in a browser (Debian's headless Chromium): a page that makes a client and sends
// describeJob once, from navigation to the request leaving (the page's fetch called: its
// resource timing's startTime, on the page's own clock). Four pages, each bundled and minified
// by esbuild as a dashboard would ship it: plain JS; ours through the default browser entry (the
// .wasm inlined as base64, compiled synchronously at import); ours through "wasm-file" (the
// .wasm a file of its own, fetched and compiled while it streams in, after the page's JS has
// run: one more request, in series); and that page again with its .wasm preloaded from its
// HTML. Served gzip -9 from one loopback origin that also answers the API (no CORS preflight,
// the same for every page), each trial in a new browser context (an empty cache), the pages
// alternating. On loopback as it is, and with Chromium's network
// emulation (BENCH_BROWSER_NETWORK: a 10 Mbit/s link with 40 ms round trips by default), where
// bytes and round trips show; there also a return visit after the app was deployed again (the
// page's JS, a new bundle at a new URL, downloaded again, and what did not change, the
// wasm-file entry's .wasm, taken from the cache, as a visitor of a dashboard sees it), and a
// return visit with nothing changed (everything from the cache, and Chromium's code caches in use).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { describeJobAnswer } from "./coldstart/wasm-compiled.mjs";
import { BENCH, ROOT, writeResult } from "./lib/results.mjs";
import { round, summary } from "./lib/stats.mjs";
import { launchChromium } from "../tools/chromium.mjs";

const TRIALS = Number(process.env.BENCH_COLDSTART_TRIALS ?? 25);
const [rttMs, mbit] = (process.env.BENCH_BROWSER_NETWORK ?? "40,10").split(",").map(Number);

// `preload`: the page's HTML also asks for the .wasm at once (`<link rel="preload">`), in
// parallel with its JavaScript, instead of when the JavaScript has run.
const PAGES = {
  baseline: { entry: `${BENCH}baseline/client.mjs`, name: "BaselineClient" },
  ours: { entry: `${ROOT}pkg/browser.js`, name: "BackupClient" },
  "ours, wasm-file": { entry: `${ROOT}pkg/wasm-file.js`, name: "BackupClient" },
  "ours, wasm-file, preloaded": { entry: `${ROOT}pkg/wasm-file.js`, name: "BackupClient", preload: true },
};
const slow = { offline: false, latency: rttMs, downloadThroughput: (mbit * 1e6) / 8, uploadThroughput: (mbit * 1e6) / 8 };
// Each: [Chromium's network conditions (none: loopback as it is), the page's versions visited
// before (each in a tab of its own, closed before the next), the version measured]. A deploy
// makes a new version: a new bundle, at a new URL. Chromium makes a script's code cache on its
// second load and uses it from the third, so a visitor who comes back unchanged is the third visit.
const SCENARIOS = {
  loopback: [null, [], 1],
  [`${mbit} Mbit/s, ${rttMs} ms RTT`]: [slow, [], 1],
  [`${mbit} Mbit/s, ${rttMs} ms RTT, a return visit after a deploy`]: [slow, [1], 2],
  [`${mbit} Mbit/s, ${rttMs} ms RTT, a return visit, nothing changed`]: [slow, [1, 1], 1],
};

const dir = mkdtempSync(join(tmpdir(), "zcb-bench-browser-"));
/** A page's directory (and URL path) under `dir`. */
const slug = (page) => page.replace(/\W+/g, "-");
// What the server sends: every file gzip -9, compressed once here (per request it would cost the
// pages milliseconds), by path.
const gzipped = new Map();
/** Adds `file` to what the server sends; answers its gzip bytes. */
function serveGzipped(file) {
  const body = gzipSync(readFileSync(file), { level: 9 });
  gzipped.set(file, body);
  return body.length;
}
const bytes = {};
for (const [page, { entry, name, preload }] of Object.entries(PAGES)) {
  const out = join(dir, slug(page));
  writeFileSync(
    join(dir, `${slug(page)}.js`),
    `import { ${name} as Client } from ${JSON.stringify(entry)};
const client = new Client({ token: "bench-api-key", baseUrl: location.origin });
client.describeJob("job-browser").then(() => { window.done = true; }, (e) => { window.failed = String(e); });`,
  );
  const built = await esbuild.build({
    entryPoints: [join(dir, `${slug(page)}.js`)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    outfile: join(out, "page.js"),
    metafile: true,
    logLevel: "error",
  });
  const files = [join(out, "page.js")];
  // The wasm-file entry fetches ./dist/…wasm next to the module: put it there, as Vite would emit it.
  if (Object.keys(built.metafile.inputs).some((f) => f.endsWith("pkg/wasm-file.js"))) {
    mkdirSync(join(out, "dist"));
    copyFileSync(`${ROOT}pkg/dist/zilliz_cloud_backup_bg.wasm`, join(out, "dist/zilliz_cloud_backup_bg.wasm"));
    files.push(join(out, "dist/zilliz_cloud_backup_bg.wasm"));
  }
  bytes[page] = files.reduce((sum, file) => sum + serveGzipped(file), 0);
  // The same URL as the entry's `new URL(…, import.meta.url)`, and a request fetch() would make
  // (crossorigin: CORS mode), so that Chromium hands the preloaded response to it.
  const link = preload ? '<link rel="preload" href="dist/zilliz_cloud_backup_bg.wasm" as="fetch" type="application/wasm" crossorigin>' : "";
  // ?v=: the bundle's URL, which a deploy changes (a bundler's content hash).
  for (const v of [1, 2]) {
    writeFileSync(join(out, `v${v}.html`), `<!doctype html><meta charset="utf-8">${link}<script type="module" src="page.js?v=${v}"></script>`);
    serveGzipped(join(out, `v${v}.html`));
  }
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path.startsWith("/v2/jobs/")) {
    res.writeHead(200, { "content-type": "application/json" }).end(describeJobAnswer(path.split("/").pop()));
    return;
  }
  const file = join(dir, path);
  const body = gzipped.get(file);
  if (body === undefined) {
    res.writeHead(404).end();
    return;
  }
  // Pages never cached; the rest cached as a bundler's hashed files are.
  const cache = extname(file) === ".html" ? "no-store" : "max-age=31536000, immutable";
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-encoding": "gzip", "cache-control": cache });
  res.end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
const chromiumVersion = browser.version();

/** One cold start: a new context (empty cache), the versions `before` visited first (filling its
 * cache, each in a new tab: a returning visitor's page runs in a fresh renderer), then version
 * `measured` loaded in a new tab; its API request's start time. */
async function trial(page, [conditions, before, measured]) {
  const context = await browser.newContext();
  try {
    const visit = async (v) => {
      const tab = await context.newPage();
      if (conditions) {
        const cdp = await context.newCDPSession(tab);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", conditions);
      }
      await tab.goto(`${origin}/${slug(page)}/v${v}.html`);
      await tab.waitForFunction(() => window.done || window.failed, null, { timeout: 30_000 });
      return tab;
    };
    for (const v of before) await (await visit(v)).close();
    const tab = await visit(measured);
    return await tab.evaluate(() => {
      if (window.failed) throw new Error(window.failed);
      const resources = performance.getEntriesByType("resource");
      const api = resources.find((e) => e.name.includes("/v2/jobs/"));
      const wasm = resources.filter((e) => e.name.endsWith(".wasm"));
      // More than one: a preload the entry's fetch did not use.
      if (wasm.length > 1) throw new Error(`the .wasm was fetched ${wasm.length} times`);
      // The page's own files (its module, the .wasm) that came over the network, not from the cache.
      const fetched = resources.filter((e) => /\.(js|wasm)(\?|$)/.test(e.name) && e.transferSize > 0).length;
      return { requestMs: api.startTime, wasmFetchMs: wasm[0]?.startTime, wasmLoadedMs: wasm[0]?.responseEnd, fetched };
    });
  } finally {
    await context.close();
  }
}

const results = {};
try {
  for (const [scenario, setting] of Object.entries(SCENARIOS)) {
    const samples = Object.fromEntries(Object.keys(PAGES).map((p) => [p, []]));
    const names = Object.keys(PAGES);
    for (const name of names) await trial(name, setting); // warm the browser process, not counted
    for (let t = 0; t < TRIALS; t++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(t + i) % names.length];
        samples[name].push(await trial(name, setting));
      }
    }
    results[scenario] = Object.fromEntries(
      Object.entries(samples).map(([name, list]) => [
        name,
        {
          toRequest: summary(list.map((s) => s.requestMs)),
          ...(list[0].wasmFetchMs !== undefined && { wasmFetchStart: summary(list.map((s) => s.wasmFetchMs)), wasmLoaded: summary(list.map((s) => s.wasmLoadedMs)) }),
          samples: list,
        },
      ]),
    );
    const line = Object.entries(results[scenario]).map(([n, r]) => `${n} ${round(r.toRequest.median, 1)} ms`).join(", ");
    console.log(`${scenario}: navigation → the request leaves, median of ${TRIALS}: ${line}`);
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true });
}

const ms = (x) => round(x, 1);
const path = writeResult("coldstart-browser", {
  note: `Headless Chromium (${chromiumVersion}), each trial a new context; navigation → the page's fetch of describeJob called (resource timing startTime); median of ${TRIALS} per page; pages bundled and minified by esbuild, served gzip -9 from one loopback origin.`,
  trials: TRIALS,
  gzipBytes: bytes,
  results,
  tables: Object.entries(results).map(([scenario, r]) => ({
    title: `Cold start in Chromium, ${scenario}: navigation → the request leaves (ms)`,
    columns: ["page", "gzip bytes on a first visit", "median", "p90", "ratio to plain JS (medians)", "the .wasm fetched from (median)", "the .wasm loaded (median)"],
    rows: Object.entries(r).map(([name, x]) => [
      name,
      bytes[name],
      ms(x.toRequest.median),
      ms(x.toRequest.p90),
      round(x.toRequest.median / r.baseline.toRequest.median),
      x.wasmFetchStart ? ms(x.wasmFetchStart.median) : "",
      x.wasmLoaded ? ms(x.wasmLoaded.median) : "",
    ]),
    chart: ["median"],
  })),
});
console.log(`-> ${path}`);
