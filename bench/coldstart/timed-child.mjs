// A fresh process that prints its timestamps as JSON on exit: spawned, its output collected, and
// the moment it was spawned noted on this process's clock. Shared by node-process.mjs (Node) and
// coldstart-runtimes.mjs (Deno, Bun).
import { spawn } from "node:child_process";
import { now } from "./stand-in-api.mjs";

/** Runs `bin args` with `env`; resolves with the child's JSON and `tSpawn`; rejects unless it exits 0. */
export function timedChild(bin, args, env, what) {
  const tSpawn = now();
  const child = spawn(bin, args, { env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${what}: the child exited with ${code}`));
      resolve({ t: JSON.parse(out), tSpawn });
    });
  });
}
