// The worker's configuration: read from `env` once per isolate and checked as a whole, so a
// misconfigured deployment answers every request with one clear message (never half-works).
// Nothing here ever echoes a secret's value.

export const DEFAULT_BASE_URL = "https://api.cloud.zilliz.com";
export const DEFAULT_STEP_BUDGET_MS = 20_000;
const MAX_STEP_BUDGET_MS = 10 * 60_000;
// The rate budget (src/budget.js): the API's limit per key and endpoint, and how long a request
// may wait for a slot; at most 20 s, under the gateway's 25 s upstream timeout (src/upstream.js).
export const DEFAULT_BUDGET_PER_SECOND = 20;
const MAX_BUDGET_PER_SECOND = 10_000;
export const DEFAULT_BUDGET_MAX_WAIT_MS = 10_000;
const MAX_BUDGET_MAX_WAIT_MS = 20_000;
// The ids the package accepts in a URL (letters, digits, '-', '_'; at most 128).
export const ID = /^[A-Za-z0-9_-]{1,128}$/;
const MILVUS_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

export class ConfigError extends Error {
  constructor(problems) {
    super(`the worker is misconfigured: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

const cache = new WeakMap(); // env object → config (or the ConfigError), once per isolate

/** The checked configuration; throws ConfigError listing every problem. */
export function getConfig(env) {
  let entry = cache.get(env);
  if (!entry) {
    try {
      entry = { config: parse(env) };
    } catch (e) {
      entry = { error: e };
    }
    cache.set(env, entry);
  }
  if (entry.error) throw entry.error;
  return entry.config;
}

function parse(env) {
  const problems = [];
  const text = (name) => (typeof env[name] === "string" ? env[name].trim() : "");

  const apiKey = typeof env.ZILLIZ_API_KEY === "string" ? env.ZILLIZ_API_KEY : "";
  if (!apiKey) problems.push("the secret ZILLIZ_API_KEY is not set (wrangler secret put ZILLIZ_API_KEY)");
  else if (/\s/.test(apiKey)) problems.push("the secret ZILLIZ_API_KEY contains whitespace");

  const baseUrl = text("ZILLIZ_BASE_URL") || DEFAULT_BASE_URL;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error();
  } catch {
    problems.push(`ZILLIZ_BASE_URL ${JSON.stringify(baseUrl)} is not an http(s) URL`);
  }

  const clusters = list(text("ALLOWED_CLUSTERS"));
  for (const c of clusters) if (!ID.test(c)) problems.push(`ALLOWED_CLUSTERS: ${JSON.stringify(c)} is not a cluster id`);

  const origins = list(text("ALLOWED_ORIGINS"));
  for (const o of origins) {
    let ok = false;
    try {
      ok = new URL(o).origin === o;
    } catch {}
    if (!ok) problems.push(`ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an origin like https://dash.example.com (no path, no trailing slash)`);
  }

  const dashboardToken = typeof env.DASHBOARD_TOKEN === "string" && env.DASHBOARD_TOKEN !== "" ? env.DASHBOARD_TOKEN : null;

  /** An integer variable within [min, max], or `fallback` when unset. */
  const integer = (name, fallback, min, max) => {
    if (!text(name)) return fallback;
    const n = Number(text(name));
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };

  const stepBudgetMs = integer("STEP_BUDGET_MS", DEFAULT_STEP_BUDGET_MS, 0, MAX_STEP_BUDGET_MS);

  const schedule = parseSchedule(env.BACKUP_SCHEDULE, problems);
  if (typeof env.BACKUP_STATE?.get !== "function") problems.push("the KV namespace binding BACKUP_STATE is missing (see wrangler.toml)");

  // Optional: the Durable Object every upstream request passes through (src/budget.js).
  const rateBudget = env.RATE_BUDGET ?? null;
  if (rateBudget !== null && typeof rateBudget.idFromName !== "function") problems.push("RATE_BUDGET must be a Durable Object namespace binding (class RateBudget, see wrangler.toml)");
  const budget = {
    perSecond: integer("RATE_BUDGET_PER_SECOND", DEFAULT_BUDGET_PER_SECOND, 1, MAX_BUDGET_PER_SECOND),
    maxWaitMs: integer("RATE_BUDGET_MAX_WAIT_MS", DEFAULT_BUDGET_MAX_WAIT_MS, 0, MAX_BUDGET_MAX_WAIT_MS),
  };

  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({ apiKey, baseUrl, clusters, origins, dashboardToken, stepBudgetMs, schedule, rateBudget, budget: Object.freeze(budget) });
}

function list(s) {
  return s.split(",").map((x) => x.trim()).filter(Boolean);
}

/** BACKUP_SCHEDULE: a JSON array of entries (see README); a string or, from wrangler, already parsed. */
function parseSchedule(raw, problems) {
  if (raw === undefined || raw === null || raw === "") return [];
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      problems.push(`BACKUP_SCHEDULE is not JSON (${e.message})`);
      return [];
    }
  }
  if (!Array.isArray(value)) {
    problems.push("BACKUP_SCHEDULE must be a JSON array of entries");
    return [];
  }
  const seen = new Set();
  return value.map((entry, i) => {
    const where = `BACKUP_SCHEDULE[${i}]`;
    const bad = (what) => problems.push(`${where}: ${what}`);
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      bad("must be an object");
      return null;
    }
    for (const k of Object.keys(entry)) {
      if (!["clusterId", "backupType", "dbCollections", "retention", "cron"].includes(k)) bad(`unknown field ${JSON.stringify(k)}`);
    }
    const { clusterId, backupType, dbCollections, retention, cron } = entry;
    if (typeof clusterId !== "string" || !ID.test(clusterId)) bad("clusterId must be a cluster id");
    // One in-flight backup per cluster is tracked (the API allows one manual job per cluster).
    else if (seen.has(clusterId)) bad(`cluster ${clusterId} is scheduled twice (one entry per cluster)`);
    seen.add(clusterId);
    if (backupType !== "CLUSTER" && backupType !== "COLLECTION") bad('backupType must be "CLUSTER" or "COLLECTION"');
    if (backupType === "COLLECTION") {
      const ok = Array.isArray(dbCollections) && dbCollections.length > 0 && dbCollections.every((d) =>
        d && typeof d === "object" && (d.dbName === undefined || MILVUS_NAME.test(d.dbName)) &&
        Array.isArray(d.collectionNames) && d.collectionNames.length > 0 && d.collectionNames.every((n) => typeof n === "string" && MILVUS_NAME.test(n)));
      if (!ok) bad('a COLLECTION backup needs dbCollections: [{"dbName"?: "…", "collectionNames": ["…"]}] with valid names');
    } else if (dbCollections !== undefined) bad("dbCollections is only for COLLECTION backups");
    if (cron !== undefined && (typeof cron !== "string" || !cron.trim())) bad("cron must be a cron string like \"0 3 * * *\"");
    const kept = parseRetention(retention, bad);
    return Object.freeze({
      clusterId,
      request: backupType === "COLLECTION" ? { backupType, dbCollections } : { backupType: "CLUSTER" },
      cron: cron ?? null,
      retention: kept,
    });
  });
}

function parseRetention(r, bad) {
  if (r === undefined) return null;
  if (typeof r !== "object" || r === null || Array.isArray(r)) {
    bad("retention must be an object");
    return null;
  }
  for (const k of Object.keys(r)) if (!["maxAgeDays", "keepNewest", "dryRun"].includes(k)) bad(`retention: unknown field ${JSON.stringify(k)}`);
  // keepNewest defaults to 1: the newest backup is never deleted unless asked for explicitly.
  const { maxAgeDays, keepNewest = 1, dryRun = false } = r;
  if (typeof maxAgeDays !== "number" || !(maxAgeDays > 0)) bad("retention.maxAgeDays must be a number above 0");
  if (!Number.isInteger(keepNewest) || keepNewest < 0) bad("retention.keepNewest must be an integer ≥ 0");
  if (typeof dryRun !== "boolean") bad("retention.dryRun must be true or false");
  return Object.freeze({ maxAgeDays, keepNewest, dryRun });
}
