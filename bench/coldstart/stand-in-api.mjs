// The stand-in API of the cold-start benchmarks: a node:http server on loopback that answers
// describeJob at once for any job id and notes when each job's request arrived (the wall clock,
// performance.timeOrigin + now(), which child processes share).
import { createServer } from "node:http";
import { describeJobAnswer } from "./wasm-compiled.mjs";

export const now = () => performance.timeOrigin + performance.now();

/** Starts the server: its base URL, the arrival time by job id, and `close`. */
export async function standInApi() {
  const arrivals = new Map();
  const server = createServer((req, res) => {
    const jobId = req.url.split("?")[0].split("/").pop();
    arrivals.set(jobId, now());
    res.setHeader("content-type", "application/json");
    res.end(describeJobAnswer(jobId));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${server.address().port}`, arrivals, close: () => server.close() };
}
