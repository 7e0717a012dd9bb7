// The public surface shared by every entry. The wasm is instantiated before a client is made: at
// import (browser, workerd) or with the first client (dist/node.js, instantiateOnFirstUse).
import { BackupClient as WasmClient } from "./dist/zilliz_cloud_backup.js";

// What instantiates the wasm, until it has run (if it throws, the next client or init() retries).
let pending = null;

/** For an entry: instantiate the wasm with the first client rather than at import. */
export const instantiateOnFirstUse = (function instantiateOnFirstUse(instantiate) {
  pending = instantiate;
});

// Written `(function …)` as src/wasm/transport.js explains: the first client runs it.
const instantiated = (function instantiated() {
  if (pending !== null) {
    pending();
    pending = null;
  }
});

/**
 * The client. Each method is one call into Rust by name (`_call`, src/wasm/js_api.rs): one
 * wasm export for all of them, as each export costs wasm-bindgen glue in the .wasm.
 */
export class BackupClient extends WasmClient {
  constructor(options) {
    instantiated();
    super(options);
  }

  createBackup(clusterId, request, options) { return this._call("createBackup", clusterId, request, options); }
  createBackupAndWait(clusterId, request, options) { return this._call("createBackupAndWait", clusterId, request, options); }
  describeJob(jobId, options) { return this._call("describeJob", jobId, options); }
  waitForJob(jobId, options) { return this._call("waitForJob", jobId, options); }
  waitForJobStep(jobIdOrState, options) { return this._call("waitForJobStep", jobIdOrState, options); }
  listBackups(query, options) { return this._call("listBackups", query, options); }
  describeBackup(clusterId, backupId, options) { return this._call("describeBackup", clusterId, backupId, options); }
  deleteBackup(clusterId, backupId, options) { return this._call("deleteBackup", clusterId, backupId, options); }
  waitForBackup(clusterId, backupId, options) { return this._call("waitForBackup", clusterId, backupId, options); }
  restoreCluster(clusterId, backupId, restore, options) { return this._call("restoreCluster", clusterId, backupId, restore, options); }
  restoreClusterAndWait(clusterId, backupId, restore, options) { return this._call("restoreClusterAndWait", clusterId, backupId, restore, options); }
  restoreCollection(clusterId, backupId, restore, options) { return this._call("restoreCollection", clusterId, backupId, restore, options); }
  restoreCollectionAndWait(clusterId, backupId, restore, options) { return this._call("restoreCollectionAndWait", clusterId, backupId, restore, options); }
  exportBackup(clusterId, backupId, exportOptions, options) { return this._call("exportBackup", clusterId, backupId, exportOptions, options); }
  getBackupPolicy(clusterId, options) { return this._call("getBackupPolicy", clusterId, options); }
  setBackupPolicy(clusterId, policy, options) { return this._call("setBackupPolicy", clusterId, policy, options); }

  /**
   * Every backup matching `query`, page after page, fetched lazily. When to stop is decided in
   * Rust (`nextPage`), which copes with `count` being either the total or the page's size.
   */
  async *listAllBackups(query = {}, options) {
    let currentPage = query?.currentPage ?? 1;
    for (;;) {
      const page = await this.listBackups({ ...query, currentPage }, options);
      yield* page.backups;
      if (page.nextPage == null) return;
      currentPage = page.nextPage;
    }
  }
}

// A bundler gives this class another name when the glue's, which it extends, is also called
// BackupClient (esbuild, which makes dist/node.js, and an app's own: "BackupClient2"). Logs and
// stack traces show the name it is exported as.
Object.defineProperty(BackupClient, "name", { value: "BackupClient" });

const ready = Promise.resolve();

/** Instantiates the wasm now if the entry waits for the first client; rejects if it cannot.
 * Idempotent; never required. */
export function init() {
  try {
    instantiated();
    return ready;
  } catch (error) {
    return Promise.reject(error);
  }
}
