// The package's BackupClient holding the API key: the only place the key is used.
import { BackupClient } from "zilliz-cloud-backup";
import { budgetFetch } from "./budget.js";

/**
 * `for: "gateway"`: one client per request (workerd does not share I/O across requests), so its
 * request limiter covers that request only. No retries: the dashboard's client is the same
 * package, limits its own rate and retries by its own policy (honouring the Retry-After this
 * worker forwards); retrying here too would multiply the attempts and hold the request open.
 * `for: "schedule"`: one client per cron run, the package's default retries (nobody else will
 * retry a cron run).
 * With the RATE_BUDGET binding, every request goes through the deployment's rate budget
 * (src/budget.js), shared by all isolates; without it, each client limits only itself.
 */
export function upstreamClient(config, { for: use }) {
  return new BackupClient({
    token: config.apiKey,
    baseUrl: config.baseUrl,
    maxRetries: use === "gateway" ? 0 : 3,
    timeoutMs: use === "gateway" ? 25_000 : 30_000,
    ...(config.rateBudget === null ? {} : { fetch: budgetFetch(config.rateBudget) }),
  });
}

/** Runs `fn(client)` and frees the client's wasm memory afterwards. */
export async function withClient(config, use, fn) {
  const client = upstreamClient(config, { for: use });
  try {
    return await fn(client);
  } finally {
    client.free();
  }
}
