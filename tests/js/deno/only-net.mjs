// A program, not a test: run by permissions.test.mjs with only --allow-net=127.0.0.1. Creates a
// CLUSTER backup through the package and follows its job to the end. argv: <baseUrl> <apiKey>
// <clusterId>. Prints the job's status, or the error, as the last line.
import { BackupClient } from "zilliz-cloud-backup";

const [baseUrl, token, clusterId] = Deno.args;
try {
  const client = new BackupClient({ token, baseUrl });
  const out = await client.createBackupAndWait(clusterId, { backupType: "CLUSTER" }, { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 });
  console.log(out.job.status);
} catch (error) {
  console.log(`${error.name}: ${error.message}`);
}
