// Bun: the packed package from node_modules ("bun" condition), create + wait + an error.
import { test, expect } from "bun:test";
import { BackupClient, init } from "zilliz-cloud-backup";
import { startEmulator } from "../harness/emulator.mjs";

const FAST = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 };

test("bun: create a backup and follow it to SUCCESSFUL; bad input is refused", async () => {
  const emu = await startEmulator();
  try {
    await init();
    const client = new BackupClient({ token: emu.apiKey, baseUrl: emu.url });
    const out = await client.createBackupAndWait(await emu.cluster(), { backupType: "COLLECTION", dbCollections: [{ collectionNames: ["books"] }] }, FAST);
    expect(out.job.status).toBe("SUCCESSFUL");
    expect(out.job.progress).toBe(100);
    const error = await client.createBackup("in01-a", { backupType: "NOPE" }).catch((e) => e);
    expect(error.name).toBe("ZillizError");
    expect(error.kind).toBe("InvalidInput");
  } finally {
    emu.stop();
  }
}, 30_000);
