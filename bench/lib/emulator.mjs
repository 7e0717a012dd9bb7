// The emulator the benchmarks run against: the release build when there is one (cargo build
// --release -p zilliz-cloud-emulator), else the debug build `make test` uses, started through the
// tests' harness (tests/js/harness/emulator.mjs, which reads EMULATOR_BIN when it loads).
import { existsSync } from "node:fs";
import { BaselineClient } from "../baseline/client.mjs";
import { ROOT } from "./results.mjs";

const release = `${ROOT}target/release/zilliz-cloud-emulator`;
process.env.EMULATOR_BIN ??= existsSync(release) ? release : `${ROOT}target/debug/zilliz-cloud-emulator`;

/** Which build the benchmarks run against: "release" or "debug". */
export const emulatorBuild = process.env.EMULATOR_BIN.includes("/release/") ? "release" : "debug";

export const { startEmulator } = await import("../../tests/js/harness/emulator.mjs");

/** Ten backups on ten fresh clusters (one running manual job per cluster): a full page for
 * listBackups({ pageSize: 10 }). Answers the last backup's job id. */
export async function tenBackups(emulator) {
  const setup = new BaselineClient({ token: emulator.apiKey, baseUrl: emulator.url });
  let jobId;
  for (let i = 0; i < 10; i++) ({ jobId } = await setup.createBackup(await emulator.cluster(), { backupType: "CLUSTER" }));
  return jobId;
}
