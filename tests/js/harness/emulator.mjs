// Starts the emulator (one per test file: faults are emulator-wide) and wraps its control API.
// node:child_process, so Node, Deno and Bun can all use it; the control API is in control.mjs.
import { spawn } from "node:child_process";
import { EmulatorControl } from "./control.mjs";

const ROOT = new URL("../../../", import.meta.url).pathname;
export const EMULATOR_BIN = process.env.EMULATOR_BIN ?? `${ROOT}target/debug/zilliz-cloud-emulator`;
export const API_KEY = "emulator-api-key";

export async function startEmulator({ jobDurationMs = 600, apiKey = API_KEY } = {}) {
  const child = spawn(EMULATOR_BIN, ["--port", "0", "--exit-on-stdin-eof", "--api-key", apiKey, "--job-duration-ms", String(jobDurationMs)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited (${code}) before it was ready`)));
    child.on("error", reject);
  });
  return new Emulator(child, url, apiKey);
}

export class Emulator extends EmulatorControl {
  constructor(child, url, apiKey) {
    super(url, apiKey);
    this.child = child;
  }

  stop() {
    this.child.stdin.end();
    this.child.kill();
  }
}
