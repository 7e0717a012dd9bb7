// Why the Node entry sends through node:http (pkg/node-http.js): a steady 20 requests per second
// (the API's limit per key and endpoint, the fleet's load) against the emulator for SECONDS, in a
// fresh Node process per way of sending, nothing else running in it. Reports peak RSS and the
// young generation's size (V8's new space): Node's fetch (undici) makes about 50 KB of garbage per
// request, enough of which outlives a young-generation GC that V8 grows the young generation to
// its maximum; through node:http it stays small.
//   node bench/http-memory.mjs [seconds=75]
import { spawn } from "node:child_process";
import { startEmulator } from "./lib/emulator.mjs";
import { writeResult } from "./lib/results.mjs";

const SECONDS = Number(process.argv[2] ?? process.env.BENCH_HTTP_MEMORY_S ?? 75);

// The child: one GET every 50 ms, the body read and parsed; memory sampled every second.
const CHILD = `
  import v8 from "node:v8";
  import http from "node:http";
  const [url, key, how, seconds] = process.argv.slice(1);
  const get = how === "fetch"
    ? async (u) => JSON.parse(await (await fetch(u, { headers: { authorization: "Bearer " + key } })).text())
    : (u) => new Promise((resolve, reject) => http.get(u, { headers: { authorization: "Bearer " + key } }, (res) => {
        const chunks = []; res.on("data", (c) => chunks.push(c)); res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks))));
      }).on("error", reject));
  let sent = 0, peakRss = 0, peakNewSpace = 0;
  const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
  const tick = setInterval(() => { sent++; get(url + "/v2/jobs/job-" + sent).catch(() => {}); }, 50);
  const sample = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); peakNewSpace = Math.max(peakNewSpace, newSpace()); }, 1000);
  setTimeout(() => {
    clearInterval(tick); clearInterval(sample);
    console.log(JSON.stringify({ requests: sent, peakRssMiB: +(peakRss / 2 ** 20).toFixed(1), peakNewSpaceMiB: +(peakNewSpace / 2 ** 20).toFixed(1) }));
  }, seconds * 1000);
`;

const emu = await startEmulator({});
try {
  const rows = {};
  for (const how of ["fetch", "node:http"]) {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, emu.url, emu.apiKey, how, String(SECONDS)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => { out += chunk; });
    await new Promise((resolve) => child.on("exit", resolve));
    rows[how] = JSON.parse(out);
    console.log(`${how}: ${rows[how].requests} requests in ${SECONDS} s, peak RSS ${rows[how].peakRssMiB} MiB, young generation up to ${rows[how].peakNewSpaceMiB} MiB`);
  }
  const path = writeResult("http-memory", {
    note: `20 GET requests per second for ${SECONDS} s against the emulator, one fresh Node process per way of sending, nothing else in it`,
    results: rows,
    tables: [
      {
        title: `Memory of a steady 20 requests/s for ${SECONDS} s, by way of sending (Node)`,
        columns: ["sent through", "requests", "peak RSS (MiB)", "young generation, largest (MiB)"],
        rows: Object.entries(rows).map(([how, r]) => [how, r.requests, r.peakRssMiB, r.peakNewSpaceMiB]),
        chart: ["peak RSS (MiB)", "young generation, largest (MiB)"],
      },
    ],
  });
  console.log(`-> ${path}`);
} finally {
  emu.stop();
}
