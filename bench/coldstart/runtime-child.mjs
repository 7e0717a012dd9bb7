// One cold start in a fresh Deno or Bun process (coldstart-runtimes.mjs): import the client, make
// it, send describeJob once. argv: <module path> <export name> <baseUrl> <jobId>. Prints the
// child's timestamps as JSON (performance.now(): the parent compares them only with each other).
// Node's child (node-child.mjs) needs Node's diagnostics channels; here both clients send through
// the runtime's global fetch (the package installs its node:http sender in Node only), so one
// wrapper of it marks the hand-over for both.
const now = () => performance.now();
let tHandOver;
const runtimeFetch = globalThis.fetch;
// Looked up at call time by both clients, so the wrapper sees each one's first request.
globalThis.fetch = (...args) => {
  tHandOver ??= now();
  return runtimeFetch(...args);
};
const [modulePath, exportName, baseUrl, jobId] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const t0 = now();
const Client = (await import(modulePath))[exportName];
const tImported = now();
const client = new Client({ token: "bench-api-key", baseUrl });
const job = await client.describeJob(jobId);
if (job.jobId !== jobId) throw new Error(`describeJob answered ${job.jobId}, not ${jobId}`);
console.log(JSON.stringify({ t0, tImported, tHandOver }));
