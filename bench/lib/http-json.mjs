// A JSON request over node:http, for a bench's own calls from a process whose memory it measures.
// The harness's control API uses `fetch`, and the first `fetch` in a Node process loads undici:
// about 15 MiB of RSS (its code and its own wasm HTTP parser) that the thing measured never costs,
// since the package sends through node:http in Node (BENCHMARKS.md, fleet).
import http from "node:http";

export function httpJson(method, url, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        if (res.statusCode >= 400) reject(new Error(`${method} ${url}: HTTP ${res.statusCode} ${text}`));
        else resolve(text ? JSON.parse(text) : null);
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}
