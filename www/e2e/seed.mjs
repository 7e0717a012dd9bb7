// Test setup outside the page: a finished backup made with the package from Node, straight
// against the emulator (what the page then lists, deletes or restores from).
import { BackupClient } from "zilliz-cloud-backup";

export async function seedBackup(stack, clusterId, request = { backupType: "CLUSTER" }) {
  const client = new BackupClient({ token: stack.emulator.apiKey, baseUrl: stack.emulator.url });
  try {
    const created = await client.createBackup(clusterId, request);
    await client.waitForJob(created.jobId, { minIntervalMs: 50, maxIntervalMs: 250 });
    return created;
  } finally {
    client.free();
  }
}
