// Deno: the packed package from node_modules ("deno" condition), create + wait + an error.
import { BackupClient, init } from "zilliz-cloud-backup";
import { startEmulator } from "../harness/emulator.mjs";

const FAST = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 };
function check(ok, message) {
  if (!ok) throw new Error(message);
}

Deno.test("deno: create a backup and follow it to SUCCESSFUL; bad input is refused", async () => {
  const emu = await startEmulator();
  try {
    await init();
    const client = new BackupClient({ token: emu.apiKey, baseUrl: emu.url });
    const out = await client.createBackupAndWait(await emu.cluster(), { backupType: "CLUSTER" }, FAST);
    check(out.job.status === "SUCCESSFUL" && out.job.progress === 100, JSON.stringify(out));
    let error;
    try { await client.describeJob("job/../x"); } catch (e) { error = e; }
    check(error?.name === "ZillizError" && error.kind === "InvalidInput", String(error));
    const e2 = await client.createBackup("in03-0000000000000009", { backupType: "CLUSTER" }).catch((e) => e);
    check(e2.kind === "Api" && typeof e2.code === "number", String(e2));
  } finally {
    emu.stop();
  }
});
