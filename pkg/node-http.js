// Node's sender for src/wasm/transport.js: node:http(s) through the global agents (keep-alive
// since Node 19; a proxy agent or an interceptor such as nock or msw set up there applies).
// Node's fetch (undici) allocates about 50 KB per request, and enough of it outlives a young-
// generation GC that V8 grows the young generation to its 32 MiB maximum under a steady 20
// requests/s; through node:http the same load keeps it at 1 MiB (BENCHMARKS.md, fleet).

// Loaded on the first request, not at import: node:http takes about 3 ms to load and node:https
// about 5 (Node's fetch, about 15–30 ms on its first use). process.getBuiltinModule (Node 20.16+)
// loads them synchronously; older Node imports them, which is why a request may be cancelled
// before it exists.
let http, https, zlib;
const utf8 = new TextDecoder();
const load = (function load(name) {
  return process.getBuiltinModule?.(name) ?? import(name);
});

// Written as src/wasm/transport.js writes what every request runs: `(function …)`, which V8
// compiles with the module rather than on its first call.
export const nodeHttpSend = (async function nodeHttpSend(url, method, headers, body, request) {
  let cancelled = false;
  request.cancel = () => { cancelled = true; };
  const secure = url.startsWith("https:");
  const { request: send } = secure ? (https ??= await load("node:https")) : (http ??= await load("node:http"));
  if (cancelled) throw new Error("aborted");
  return new Promise((function sending(resolve, reject) {
    // Never follows a redirect (node:http does not), as fetch is told with redirect: "manual".
    const req = send(url, { method, headers: body == null ? headers : { ...headers, "content-length": Buffer.byteLength(body) } }, (function answered(res) {
      const chunks = [];
      res.on("data", (function data(chunk) {
        chunks.push(chunk);
      }));
      res.on("end", (function end() {
        const h = res.headers;
        const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        // As Response.text() reads a body: a leading byte order mark dropped, bad UTF-8 replaced.
        const answer = (function answer(body) {
          resolve([res.statusCode, h.requestid ?? null, h["retry-after"] ?? null, utf8.decode(body)]);
        });
        const encoding = h["content-encoding"];
        // Uncompressed (every answer the API sends us): settled here, with no extra turn.
        if (encoding === undefined || encoding === "identity") answer(raw);
        else decode(encoding, raw).then(answer, reject);
      }));
      // A connection lost mid-body: 'end' never comes.
      res.on("close", (function closed() {
        if (!res.complete) reject(new Error("the connection closed before the whole response arrived"));
      }));
    }));
    req.on("error", reject);
    request.cancel = () => req.destroy(new Error("aborted"));
    req.end(body ?? undefined);
  }));
});

// No Accept-Encoding is sent, so the server should not compress; if it (or a proxy) does anyway,
// the body is decoded as fetch would.
async function decode(encoding, body) {
  zlib ??= await load("node:zlib");
  switch (encoding.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(body);
    case "deflate":
      return zlib.inflateSync(body);
    case "br":
      return zlib.brotliDecompressSync(body);
    default:
      throw new TypeError(`unsupported Content-Encoding: ${encoding}`);
  }
}
