// The public surface shared by every entry. Each entry instantiates the wasm synchronously
// before this is used, so init() has nothing left to do: it exists so code written for a
// runtime that needs it can await it anywhere, any number of times.
import { BackupClient } from "./dist/zilliz_cloud_backup.js";

/**
 * Every backup matching `query`, page after page, fetched lazily. When to stop is decided in
 * Rust (`nextPage`), which copes with `count` being either the total or the page's size.
 */
BackupClient.prototype.listAllBackups = async function* listAllBackups(query = {}, options) {
  let currentPage = query?.currentPage ?? 1;
  for (;;) {
    const page = await this.listBackups({ ...query, currentPage }, options);
    yield* page.backups;
    if (page.nextPage == null) return;
    currentPage = page.nextPage;
  }
};

export { BackupClient };

const ready = Promise.resolve();

/** Idempotent; never required. */
export function init() {
  return ready;
}
