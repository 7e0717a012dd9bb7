// One cold start counted by bench/coldstart-instructions.mjs under valgrind: import the client,
// make it, send describeJob, and exit the moment the request is handed to an HTTP stack (Node's
// diagnostics channels, as node-child.mjs marks it). argv[2]: JSON options
//   client: "ours" | "baseline" (bench/baseline/client.mjs, with a per-request timeout) | "none"
//           (exits where the import would start: Node's own start-up, subtracted by the parent)
//   preload: what the app had loaded already: "fetch" (Node's fetch), "fetch+http" (and
//           node:http, which ours sends with in Node), or "none"
//   baseUrl, token, jobId
import dc from "node:diagnostics_channel";

const o = JSON.parse(process.argv[2]);
const leave = () => process.exit(0);
dc.subscribe("http.client.request.start", leave);
dc.subscribe("undici:request:create", leave);
if (o.preload !== "none") new Request("http://127.0.0.1/");
if (o.preload === "fetch+http") await import("node:http");
if (o.client === "none") leave();

const options = { token: o.token, baseUrl: o.baseUrl };
let client;
if (o.client === "baseline") {
  const { BaselineClient } = await import("../baseline/client.mjs");
  client = new BaselineClient({ ...options, timeoutMs: 30_000 });
} else {
  const { BackupClient } = await import("../../pkg/node.js");
  client = new BackupClient(options);
}
await client.describeJob(o.jobId);
throw new Error("the request never reached an HTTP stack");
