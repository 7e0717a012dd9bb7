// The package's JavaScript that V8 compiles lazily in one cold start, import to the first answer:
// a function V8 did not compile with its module is parsed again and compiled on its first call,
// and a fresh process or isolate waits for each of them. scripts/eager-glue.mjs and the
// `(function …)` form of src/wasm/transport.js and pkg/node-http.js keep what every request runs
// out of this count. Counted from V8's function events (--log-function-events): one
// "parse-function" per lazily compiled function. The same on every run for a given build and
// Node. Used by tests/size/startup.test.mjs (a budget).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeJobAnswer } from "./wasm-compiled.mjs";

/** What V8's function-event log says was compiled lazily in the scripts whose URL `ours` accepts:
 * their names (anonymous ones as "(anonymous)"), in the order compiled. */
export function lazilyCompiled(log, ours) {
  const scripts = new Set();
  const names = [];
  for (const line of log.split("\n")) {
    const fields = line.split(",");
    if (fields[0] === "script-details" && ours(fields[2])) scripts.add(fields[1]);
    else if (fields[0] === "function" && fields[1] === "parse-function" && scripts.has(fields[2])) names.push(fields.slice(7).join(",") || "(anonymous)");
  }
  return names;
}

/** The package's functions compiled lazily by one cold start of `entry` (a path to the Node
 * entry) in a fresh Node process, its describeJob answered by a server on loopback: the default
 * way of sending (node:http in Node), no stub. */
export async function jsCompiledBeforeFirstAnswer(entry) {
  const server = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(describeJobAnswer("job-1"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dir = mkdtempSync(join(tmpdir(), "zcb-js-compiled-"));
  try {
    const logfile = join(dir, "v8.log");
    const child = fileURLToPath(new URL("./node-child.mjs", import.meta.url));
    const baseUrl = `http://127.0.0.1:${server.address().port}`;
    const args = ["--log-function-events", `--logfile=${logfile}`, "--no-logfile-per-isolate", child, entry, "BackupClient", baseUrl, "job-1"];
    // Asynchronous: the server answering the child runs in this process.
    await new Promise((resolve, reject) => execFile(process.execPath, args, (error) => (error ? reject(error) : resolve())));
    const distDir = new URL(".", pathToFileURL(entry)).href;
    const log = readFileSync(logfile, "latin1");
    if (!log.includes("script-details")) throw new Error("no function events logged (has this Node's V8 renamed --log-function-events?)");
    const names = lazilyCompiled(log, (url) => url.startsWith(distDir));
    return { functions: names.length, names };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
