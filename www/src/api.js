// The one module that talks to the backend: the zilliz-cloud-backup package for the /v2 API,
// plus the one non-API read (which clusters to offer). UI modules get plain data and
// ZillizErrors from here and never import the package themselves.
import { BackupClient } from "zilliz-cloud-backup/wasm-file";

// Waits run in a visible tab, so poll a bit more eagerly than the package's defaults allow at
// the top end (15 s instead of 60 s between polls), and give up only after a long backup.
const WAIT = { minIntervalMs: 1000, maxIntervalMs: 15_000, timeoutMs: 6 * 3_600_000 };

export class Api {
  /** @param {{ mode: "worker" | "emulator", url: string, token: string }} connection */
  constructor(connection) {
    this.mode = connection.mode;
    this.url = connection.url;
    this.token = connection.token;
    // Worker mode: `token` is the dashboard's own token; the worker holds the Zilliz key. A
    // worker without a dashboard token ignores Authorization, but the package needs a value.
    this.client = new BackupClient({ baseUrl: connection.url, token: connection.token || "no-dashboard-token" });
  }

  /** [{ clusterId, clusterName, usable, note }]: the worker's allowed list, or the emulator's clusters. */
  async clusters() {
    if (this.mode === "worker") {
      const config = await this.#getJson(`${this.url}/config`, { authorization: `Bearer ${this.token}` });
      return (config.clusters ?? []).map((c) => ({ clusterId: c.clusterId, clusterName: c.clusterName ?? null, usable: true, note: null }));
    }
    // Development only: the emulator's test control API lists every cluster it has.
    const state = await this.#getJson(`${this.url}/__emulator/state`, {});
    return (state.clusters ?? []).map((c) => ({
      clusterId: c.clusterId,
      clusterName: c.clusterName ?? null,
      usable: !c.plan || c.plan === "Dedicated",
      note: c.plan && c.plan !== "Dedicated" ? `${c.plan}: no backups` : null,
    }));
  }

  listBackups(query, signal) {
    return this.client.listBackups(query, { signal });
  }

  describeBackup(clusterId, backupId, signal) {
    return this.client.describeBackup(clusterId, backupId, { signal });
  }

  /** `whenBusy: "wait"` queues behind the cluster's running backup (the server refused nothing yet). */
  createBackup(clusterId, request, { whenBusy = "fail", signal } = {}) {
    return this.client.createBackup(clusterId, request, { whenBusy, signal });
  }

  waitForJob(jobId, { onProgress, signal }) {
    return this.client.waitForJob(jobId, { ...WAIT, onProgress, signal });
  }

  /** For a create reconciled after an ambiguous failure: there is a backup but no job id. */
  waitForBackup(clusterId, backupId, { onProgress, signal }) {
    return this.client.waitForBackup(clusterId, backupId, { ...WAIT, onProgress, signal });
  }

  deleteBackup(clusterId, backupId) {
    return this.client.deleteBackup(clusterId, backupId);
  }

  restoreCollection(clusterId, backupId, restore) {
    return this.client.restoreCollection(clusterId, backupId, restore);
  }

  getPolicy(clusterId) {
    return this.client.getBackupPolicy(clusterId);
  }

  setPolicy(clusterId, policy) {
    return this.client.setBackupPolicy(clusterId, policy);
  }

  /** A plain JSON GET whose failures look like the package's errors (kind, httpStatus). */
  async #getJson(url, headers) {
    let response;
    try {
      response = await fetch(url, { headers });
    } catch {
      throw Object.assign(new Error(`Could not reach ${new URL(url).origin}.`), { kind: "Network", retryable: true });
    }
    if (!response.ok) {
      const kind = response.status === 401 ? "Unauthorized" : response.status === 403 ? "Forbidden" : response.status >= 500 ? "Server" : "Protocol";
      throw Object.assign(new Error(`GET ${new URL(url).pathname} answered HTTP ${response.status}.`), { kind, httpStatus: response.status, retryable: response.status >= 500 });
    }
    try {
      return await response.json();
    } catch {
      throw Object.assign(new Error(`GET ${new URL(url).pathname} did not answer JSON.`), { kind: "Protocol", retryable: false });
    }
  }
}
