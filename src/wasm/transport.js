// The one place a request leaves: the thin JavaScript half of src/wasm/fetch.rs.
//
// One call per request, one promise back: the timeout and the caller's signal, the request sent
// and the whole body read. It never rejects: the outcome is an array, so Rust reads it without a
// second promise or exception path.
//   [status, requestId, retryAfter, body]  a response (any status); the body as bytes, for
//                                          Rust to copy in one go (a string is re-encoded)
//   [-1, what, error]                      none: what = 0 network, 1 caller's abort, 2 timeout
//
// How it is sent: the caller's own fetch if they gave one (it gets a Request, as documented);
// else the runtime entry's sender if it installed one (Node: node:http, pkg/node-http.js) and the
// global fetch is still the one the entry saw (a test that replaces fetch is obeyed); else the
// global fetch with a plain init object (building a Request first costs as much again in undici).

let sender = null;
let senderFetch;

/** For a runtime entry: send through `send(url, method, headers, body, request)` instead of the
 * global fetch while `globalThis.fetch` stays as it is now. The sender resolves to the outcome
 * array above, rejects on failure, and sets `request.cancel` before it returns. */
export function useSender(send) {
  sender = send;
  senderFetch = globalThis.fetch;
}

// Timeouts share one timer instead of one per request: requests nearly always end long before
// their timeout, so the timer is armed once and rarely moved, and it is cleared when nothing is
// in flight (a pending timer would keep a Node process alive).
const inFlight = new Set();
let timer;
let armedFor = Infinity;

function arm(deadline) {
  clearTimeout(timer);
  armedFor = deadline;
  timer = deadline === Infinity ? undefined : setTimeout(expire, Math.max(0, deadline - Date.now()));
}

function expire() {
  const now = Date.now();
  let next = Infinity;
  for (const request of inFlight) {
    if (request.deadline <= now) {
      inFlight.delete(request);
      request.expired = true;
      request.cancel?.();
    } else if (request.deadline < next) {
      next = request.deadline;
    }
  }
  arm(next);
}

export async function send(customFetch, url, method, headers, body, timeoutMs, signal) {
  const request = { deadline: Date.now() + timeoutMs, cancel: undefined, expired: false };
  inFlight.add(request);
  if (request.deadline < armedFor) arm(request.deadline);
  const abort = () => request.cancel?.();
  signal?.addEventListener("abort", abort);
  try {
    if (customFetch == null && sender !== null && globalThis.fetch === senderFetch) {
      return await sender(url, method, headers, body, request);
    }
    const controller = new AbortController();
    request.cancel = () => controller.abort();
    // Never follow a redirect: it could carry the Authorization header to another origin.
    const init = { method, headers, body, redirect: "manual", signal: controller.signal };
    const response = await (customFetch ? customFetch(new Request(url, init)) : fetch(url, init));
    if (response === null || typeof response !== "object") throw new TypeError("fetch did not return a Response");
    // Structural access: a custom fetch may return a Response from another realm or a polyfill.
    const { headers: h, status } = response;
    const requestId = h.get("RequestId");
    const retryAfter = h.get("Retry-After");
    return [status, requestId, retryAfter, new Uint8Array(await response.arrayBuffer())];
  } catch (error) {
    return [-1, signal?.aborted ? 1 : request.expired ? 2 : 0, error];
  } finally {
    inFlight.delete(request);
    if (inFlight.size === 0) arm(Infinity);
    signal?.removeEventListener("abort", abort);
  }
}
