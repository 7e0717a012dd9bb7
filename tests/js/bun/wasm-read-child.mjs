// A program, not a test: run by wasm-read.test.mjs in a fresh Bun process. Counts what the package
// asks for while it makes its first client and creates a backup: Bun.mmap's calls (made to throw
// in mode "no-mmap") and the built-in modules asked of process.getBuiltinModule. argv: <mode>
// <baseUrl> <apiKey> <clusterId>. Prints { status, mapped, builtins } as JSON.
const [mode, baseUrl, token, clusterId] = process.argv.slice(2);
let mapped = 0;
const builtins = [];
const mmap = Bun.mmap;
Bun.mmap = (...args) => {
  mapped++;
  if (mode === "no-mmap") throw new Error("mmap: not supported here");
  return mmap(...args);
};
const getBuiltinModule = process.getBuiltinModule;
process.getBuiltinModule = (name) => {
  builtins.push(name);
  return getBuiltinModule.call(process, name);
};
const { BackupClient } = await import("zilliz-cloud-backup");
const client = new BackupClient({ token, baseUrl });
const { job } = await client.createBackupAndWait(clusterId, { backupType: "CLUSTER" }, { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 });
console.log(JSON.stringify({ status: job.status, mapped, builtins }));
