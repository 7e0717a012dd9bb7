// The key-holding gateway: an allow-listed subset of the Zilliz Cloud API v2, same paths and
// envelopes, each route implemented with the package's BackupClient (never by forwarding the
// inbound request: its headers, Authorization included, go nowhere).
//
// Order of checks: origin (403) → CORS preflight → dashboard token (401) → route (404) →
// refused operation (403) → method (405) → ids (400) → allow-list (403) → body (415, 413, 400)
// → the package call.
import { getConfig, ID } from "./config.js";
import { CODE, Refusal, fromZillizError } from "./errors.js";
import { scheduleStatus, scheduleSummary } from "./schedule.js";
import { withClient } from "./upstream.js";
import * as wire from "./wire.js";

const MAX_BODY_BYTES = 16 * 1024;
const DRAIN_BYTES = 1024 * 1024;
const LIST_KEYS = ["projectId", "clusterId", "creationMethod", "backupType", "startTime", "endTime", "pageSize", "currentPage"];
const REFUSED = (what) =>
  new Refusal(403, CODE.OPERATION_NOT_ALLOWED, `${what} is not allowed by this proxy (it could create clusters or move data out of Zilliz Cloud); use the Zilliz Cloud console or the API with your own key`);

const C = ":clusterId";
const B = ":backupId";
/** [path segments, { METHOD: handler }]; literal segments listed before the parameter they shadow. */
const ROUTES = [
  [["config"], { GET: configRoute }],
  [["schedule"], { GET: async (r) => plain(await scheduleStatus(r.env, r.config)) }],
  [["v2", "backups"], { GET: listBackups }],
  [["v2", "jobs", ":jobId"], { GET: (r) => upstream(r, (c) => c.describeJob(r.params.jobId), wire.job) }],
  [["v2", "clusters", C, "backups", "create"], { POST: createBackup }],
  [["v2", "clusters", C, "backups", "policy"], {
    GET: (r) => upstream(r, (c) => c.getBackupPolicy(r.params.clusterId), wire.policy),
    POST: async (r) => {
      const body = await readJsonBody(r.request);
      return upstream(r, (c) => c.setBackupPolicy(r.params.clusterId, body), wire.policyStatus);
    },
  }],
  [["v2", "clusters", C, "backups", B], {
    GET: (r) => upstream(r, (c) => c.describeBackup(r.params.clusterId, r.params.backupId), wire.backup),
    DELETE: (r) => upstream(r, (c) => c.deleteBackup(r.params.clusterId, r.params.backupId), wire.deleted),
  }],
  [["v2", "clusters", C, "backups", B, "restoreCollection"], { POST: restoreCollection }],
  [["v2", "clusters", C, "backups", B, "restoreCluster"], "restoreCluster"],
  [["v2", "clusters", C, "backups", B, "export"], "export"],
];

export async function handleFetch(request, env) {
  const requestId = `edge-${crypto.randomUUID()}`;
  const url = new URL(request.url);
  let config = null;
  let response;
  try {
    config = getConfig(env);
    response = await handle(request, url, env, config);
  } catch (e) {
    response = errorResponse(e);
  }
  const headers = new Headers(response.headers);
  headers.set("RequestId", requestId);
  if (response.body !== null) headers.set("Content-Type", "application/json");
  headers.append("Vary", "Origin");
  const origin = request.headers.get("Origin");
  if (origin && config?.origins.includes(origin)) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Expose-Headers", "Retry-After, RequestId");
  }
  // One line per request; never a header or a body (the key is not in either, but neither is anything useful).
  console.log(`${request.method} ${url.pathname} → ${response.status}${response.code !== undefined ? ` code ${response.code}` : ""} ${requestId}`);
  return new Response(response.body, { status: response.status, headers });
}

async function handle(request, url, env, config) {
  const origin = request.headers.get("Origin");
  if (origin !== null && !config.origins.includes(origin)) {
    throw new Refusal(403, CODE.ORIGIN_NOT_ALLOWED, `origin ${JSON.stringify(origin)} is not allowed (not in ALLOWED_ORIGINS)`);
  }
  if (request.method === "OPTIONS") {
    if (origin === null) throw new Refusal(403, CODE.ORIGIN_NOT_ALLOWED, "a CORS preflight needs an Origin header");
    return {
      status: 204,
      body: null,
      headers: {
        "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept",
        "Access-Control-Max-Age": "600",
      },
    };
  }
  await authorize(request, config);

  const segments = url.pathname.split("/").slice(1);
  const found = ROUTES.map(([pattern, methods]) => ({ params: match(pattern, segments), methods })).find((r) => r.params);
  if (!found) throw new Refusal(404, CODE.NO_ROUTE, `no route for ${url.pathname} on this proxy`);
  if (typeof found.methods === "string") throw REFUSED(found.methods);
  const handler = found.methods[request.method];
  if (!handler) {
    const allowed = Object.keys(found.methods).join(", ");
    throw new Refusal(405, CODE.WRONG_METHOD, `method ${request.method} is not allowed on ${url.pathname} (allowed: ${allowed})`, { Allow: allowed });
  }
  checkIds(found.params);
  if (found.params.clusterId !== undefined) allowCluster(config, found.params.clusterId);
  return handler({ request, url, env, config, params: found.params });
}

function match(pattern, segments) {
  if (pattern.length !== segments.length) return null;
  const params = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(":")) params[pattern[i].slice(1)] = segments[i];
    else if (pattern[i] !== segments[i]) return null;
  }
  return params;
}

function checkIds(params) {
  for (const [name, value] of Object.entries(params)) {
    if (!ID.test(value)) {
      throw new Refusal(400, CODE.BAD_PARAMETER, `${name} ${JSON.stringify(value.slice(0, 140))} is not a valid id (letters, digits, '-' and '_', at most 128)`);
    }
  }
}

function allowCluster(config, clusterId, what = "cluster") {
  if (!config.clusters.includes(clusterId)) {
    throw new Refusal(403, CODE.CLUSTER_NOT_ALLOWED, `${what} ${clusterId} is not allowed by this proxy (not in ALLOWED_CLUSTERS)`);
  }
}

async function authorize(request, config) {
  if (!config.dashboardToken) return;
  const m = /^Bearer (\S+)$/.exec(request.headers.get("Authorization") ?? "");
  if (!m) throw new Refusal(401, CODE.NO_TOKEN, "this proxy needs Authorization: Bearer <dashboard token>");
  if (!(await sameSecret(m[1], config.dashboardToken))) throw new Refusal(401, CODE.WRONG_TOKEN, "the dashboard token is wrong");
}

/** Compares SHA-256 digests (always 32 bytes) without an early exit: no timing or length signal. */
async function sameSecret(given, expected) {
  const enc = new TextEncoder();
  const [a, b] = await Promise.all([given, expected].map(async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(s)))));
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The body as a JSON object, at most 16 KiB, read with a cap even without Content-Length. */
async function readJsonBody(request) {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new Refusal(415, CODE.NOT_JSON, `Content-Type must be application/json (got ${type ? JSON.stringify(type) : "none"})`);
  }
  const declared = Number(request.headers.get("Content-Length"));
  const chunks = [];
  let size = 0;
  // A body over the limit is still read (and dropped), up to DRAIN_BYTES, so a client that is
  // still sending reads the 413 instead of a reset connection; beyond that it is cut off.
  if (request.body && !(declared > DRAIN_BYTES)) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size <= MAX_BODY_BYTES) chunks.push(value);
      else if (size > DRAIN_BYTES) {
        await reader.cancel();
        break;
      }
    }
  }
  if (size > MAX_BODY_BYTES || declared > MAX_BODY_BYTES) {
    throw new Refusal(413, CODE.TOO_LARGE, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) (bytes.set(c, at), (at += c.byteLength));
  let value;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Refusal(400, CODE.BAD_JSON, size ? `the request body is not valid JSON (${e.message})` : "the request body is empty: a JSON object is needed");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Refusal(400, CODE.BAD_JSON, "the request body must be a JSON object");
  }
  return value;
}

/** Calls the package and answers {"code":0,"data":…} in the API's wire shape. */
async function upstream({ config }, call, toWire) {
  const data = await withClient(config, "gateway", call);
  return { status: 200, body: JSON.stringify({ code: 0, data: toWire(data) }), code: 0 };
}

async function createBackup(r) {
  const body = await readJsonBody(r.request);
  // whenBusy "fail": the dashboard decides whether to wait. reconcile false: after an ambiguous
  // failure the dashboard's own client reconciles through this proxy (a reconciled result has no
  // job id, which the API's create answer cannot carry).
  return upstream(r, (c) => c.createBackup(r.params.clusterId, body, { whenBusy: "fail", reconcile: false }), wire.created);
}

async function restoreCollection(r) {
  const body = await readJsonBody(r.request);
  const dest = body.destClusterId;
  if (typeof dest !== "string" || !ID.test(dest)) {
    throw new Refusal(400, CODE.BAD_PARAMETER, "restoreCollection needs destClusterId (a cluster id; the older targetClusterId form is not accepted here)");
  }
  allowCluster(r.config, dest, "destination cluster");
  return upstream(r, (c) => c.restoreCollection(r.params.clusterId, r.params.backupId, body), wire.startedJob);
}

async function listBackups(r) {
  const query = {};
  for (const [k, v] of r.url.searchParams) {
    if (!LIST_KEYS.includes(k)) throw new Refusal(400, CODE.BAD_PARAMETER, `unknown query parameter ${JSON.stringify(k)} (known: ${LIST_KEYS.join(", ")})`);
    if (v === "") continue; // as the API: an empty value counts as absent
    if (k === "pageSize" || k === "currentPage") {
      if (!/^\d{1,6}$/.test(v)) throw new Refusal(400, CODE.BAD_PARAMETER, `${k} must be a positive integer`);
      query[k] = Number(v);
    } else query[k] = v;
  }
  if (query.clusterId === undefined) {
    throw new Refusal(400, CODE.BAD_PARAMETER, "clusterId is required: this proxy lists the backups of one allowed cluster at a time");
  }
  checkIds({ clusterId: query.clusterId });
  allowCluster(r.config, query.clusterId);
  return upstream(r, (c) => c.listBackups(query), wire.page);
}

/** The non-Zilliz routes answer plain JSON (no envelope). */
function plain(value) {
  return { status: 200, body: JSON.stringify(value) };
}

function configRoute({ config }) {
  return plain({ clusters: config.clusters.map((clusterId) => ({ clusterId })), schedule: scheduleSummary(config) });
}

/** Any error → the envelope. Unknown errors are logged and answered without their details. */
function errorResponse(e) {
  let status, code, message, headers = {};
  if (e instanceof Refusal) ({ status, code, message, headers } = e);
  else if (e?.name === "ZillizError") ({ status, code, message, headers } = fromZillizError(e));
  else if (e?.name === "ConfigError") ((status = 500), (code = CODE.MISCONFIGURED), (message = e.message), console.error(e.message));
  else {
    console.error(`unexpected error: ${e?.stack ?? e}`);
    (status = 500), (code = CODE.MISCONFIGURED), (message = "internal error in the proxy");
  }
  return { status, code, body: JSON.stringify({ code, message }), headers };
}
