// Run from a fresh, empty project where the tarball was installed with `npm install --offline`:
// the package works there with nothing else installed. Prints the node:test-style counts.
import { BackupClient } from "zilliz-cloud-backup";

const [url, key] = process.argv.slice(2);
const control = (path, body) => fetch(`${url}/__emulator${path}`, { method: "POST", body: JSON.stringify(body) });
const clusterId = `in01-offline${Date.now() % 1e9}`;
await control("/clusters", { clusterId });
const client = new BackupClient({ token: key, baseUrl: url });
const out = await client.createBackupAndWait(clusterId, { backupType: "CLUSTER" }, { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 });
if (out.job.status !== "SUCCESSFUL") throw new Error(JSON.stringify(out));
console.log("offline install: create + wait SUCCESSFUL");
