// The one place a request leaves: the thin JavaScript half of src/wasm/fetch.rs.
//
// One call per request, one promise back: fetch with a plain init object (building a Request
// first costs as much again in undici), the per-request timeout and the caller's signal on one
// AbortController, and the whole body read. It never rejects: the outcome is an array, so
// Rust reads it without a second promise or exception path.
//   [status, requestId, retryAfter, body]  a response (any status)
//   [-1, what, error]                      none: what = 0 network, 1 caller's abort, 2 timeout

export async function send(customFetch, url, method, headers, body, timeoutMs, signal) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  signal?.addEventListener("abort", abort);
  try {
    // Never follow a redirect: it could carry the Authorization header to another origin.
    const init = { method, headers, body, redirect: "manual", signal: controller.signal };
    // A caller's fetch (a proxy, a service binding) gets a Request, as documented.
    const response = await (customFetch ? customFetch(new Request(url, init)) : fetch(url, init));
    if (response === null || typeof response !== "object") throw new TypeError("fetch did not return a Response");
    // Structural access: a custom fetch may return a Response from another realm or a polyfill.
    const { headers: h, status } = response;
    const requestId = h.get("RequestId");
    const retryAfter = h.get("Retry-After");
    return [status, requestId, retryAfter, await response.text()];
  } catch (error) {
    return [-1, signal?.aborted ? 1 : controller.signal.aborted ? 2 : 0, error];
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}
