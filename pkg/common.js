// The public surface shared by every entry. Each entry instantiates the wasm synchronously
// before this is used, so init() has nothing left to do: it exists so code written for a
// runtime that needs it can await it anywhere, any number of times.
export { BackupClient } from "./dist/zilliz_cloud_backup.js";

const ready = Promise.resolve();

/** Idempotent; never required. */
export function init() {
  return ready;
}
