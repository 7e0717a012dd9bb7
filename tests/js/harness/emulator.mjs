// Starts the emulator (one per test file: faults are emulator-wide) and wraps its control API.
// Plain fetch + node:child_process, so Node, Deno and Bun can all use it.
import { spawn } from "node:child_process";

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

let clusterCounter = 0;

export class Emulator {
  constructor(child, url, apiKey) {
    this.child = child;
    this.url = url;
    this.apiKey = apiKey;
  }

  async control(method, path, body) {
    const r = await fetch(`${this.url}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** A fresh Dedicated cluster (tests never share one, so the one-job rule never collides). */
  async cluster(options = {}) {
    const clusterId = `in01-t${process.pid}x${++clusterCounter}x${Date.now() % 1e6}`;
    await this.control("POST", "/clusters", { clusterId, ...options });
    return clusterId;
  }

  fault(rule) {
    return this.control("POST", "/faults", rule);
  }

  config(values) {
    return this.control("POST", "/config", values);
  }

  /** API requests (not CORS preflights) whose path starts with `prefix`. */
  async requests(prefix = "/v2/") {
    const { requests } = await this.control("GET", "/requests");
    return requests.filter((r) => r.method !== "OPTIONS" && r.path.startsWith(prefix));
  }

  state() {
    return this.control("GET", "/state");
  }

  stop() {
    this.child.stdin.end();
    this.child.kill();
  }
}
