// One cold start in a fresh Node process: import the client, make it, send describeJob once.
// argv: <module path> <export name> <baseUrl> <jobId>. Prints the child-side timestamps as JSON.
// The first statement takes the start time, so nothing of ours has been evaluated yet (the
// import is dynamic for that reason); timestamps are performance.timeOrigin + performance.now(),
// the wall clock at sub-ms resolution, so the parent's server can compare its receipt time.
const now = () => performance.timeOrigin + performance.now();
// Node loads its fetch (undici) lazily on first use of fetch/Request/Headers (~15 ms): any client
// pays it, ours before calling fetch (it builds a Request), the baseline inside fetch. Load it
// before the clock starts, so both sides measure only themselves.
new Request("http://127.0.0.1/");
// BENCH_STUB_FETCH=1: answer from a stub instead of fetching (wasm-compiled.mjs counts the wasm
// V8 compiles, and Node's fetch brings its own wasm HTTP parser). Loaded before the clock too.
const stub = process.env.BENCH_STUB_FETCH === "1" ? await import("./wasm-compiled.mjs") : undefined;
const t0 = now();
const [modulePath, exportName, baseUrl, jobId] = process.argv.slice(2);
const Client = (await import(modulePath))[exportName];
const tImported = now();
let tFetch;
const client = new Client({
  token: "bench-api-key",
  baseUrl,
  fetch: (...args) => {
    tFetch ??= now();
    return stub ? new Response(stub.describeJobAnswer(jobId), { headers: { "content-type": "application/json" } }) : fetch(...args);
  },
});
await client.describeJob(jobId);
process.stdout.write(JSON.stringify({ t0, tImported, tFetch }));
