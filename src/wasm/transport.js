// The one place a request leaves: the thin JavaScript half of src/wasm/fetch.rs.
//
// One call per request, its outcome handed back once, as `settled(id, outcome)` (src/wasm/
// executor.rs: one function for every request, not a promise and two closures each): the
// timeout and the caller's signal, the request sent and the whole body read. The outcome is an
// array, so Rust reads it without an exception path.
//   [status, requestId, retryAfter, body]  a response (any status); the body as text, read
//                                          as Response.text() reads it; Rust takes it as
//                                          UTF-8 through bodyInto
//   [-1, what, error]                      none: what = 0 network, 1 caller's abort, 2 timeout
//
// How it is sent: the caller's own fetch if they gave one (it gets a Request, as documented);
// else the runtime entry's sender if it installed one and the global fetch is one it stands in
// for (Node: node:http while the global fetch is Node's own, pkg/node.js; a fetch anyone else
// installed, such as a test's stub, is used as is); else the global fetch with a plain init
// object (building a Request first costs as much again in undici).
//
// What every request runs is written `const name = (function name(…) {…})`: V8 compiles a
// parenthesized function expression along with the module, where it would otherwise stop to
// compile each function on its first call, in a fresh isolate's first request
// (scripts/eager-glue.mjs does the same to wasm-bindgen's glue). What a request seldom runs (a
// timeout, an abort, a failure) stays an arrow, compiled only if it ever runs.

const UNSEEN = {};
let sender = null;
let senderStandsInFor;
// The global fetch last looked at and the verdict on it (looked at again only when it changes).
let seenFetch = UNSEEN;
let senderApplies = false;

/** For a runtime entry: send through `send(url, method, headers, body, request)` while
 * `standsInFor(globalThis.fetch)` holds. The sender resolves to the outcome array above, rejects
 * on failure, and keeps `request.cancel` able to stop it from the moment it is called. */
export const useSender = (function useSender(send, standsInFor) {
  sender = send;
  senderStandsInFor = standsInFor;
  seenFetch = UNSEEN;
});

const viaSender = (function viaSender() {
  if (sender === null) return false;
  const current = globalThis.fetch;
  if (current !== seenFetch) {
    seenFetch = current;
    senderApplies = senderStandsInFor(current) === true;
  }
  return senderApplies;
});

// Set by the Deno entry (useTimeoutSignalFirst): the next request's timeout is a timeout signal.
let nextTimeoutBySignal = false;

/** For the Deno entry: the process's first request arms its timeout with `AbortSignal.timeout`
 * rather than `setTimeout`. Deno loads its Node-compatible timers on a process's first
 * `setTimeout`, 11–18 ms of work before that request can leave (bench/HISTORY.md, twenty-fourth
 * round); a timeout signal is its own web timer, already loaded. Such a timer cannot be cleared,
 * so only the first request uses one: its listener is removed when the request ends (Deno then
 * no longer waits for it to exit), and the timer runs out at the end of the timeout with nothing
 * listening. */
export const useTimeoutSignalFirst = (function useTimeoutSignalFirst() {
  nextTimeoutBySignal = true;
});

export const send = (function send(customFetch, url, method, headers, body, timeoutMs, signal, id, settled) {
  const request = { cancel: undefined, done: undefined };
  const abort = () => stop(request, 1);
  const timedOut = () => stop(request, 2);
  let open = true;
  let timer;
  let timeoutSignal;
  request.done = (function done(outcome) {
    // Once: a late answer after a timeout or an abort is dropped (Rust reuses the number).
    if (!open) return;
    open = false;
    if (timeoutSignal === undefined) clearTimeout(timer);
    else timeoutSignal.removeEventListener("abort", timedOut);
    try {
      signal?.removeEventListener("abort", abort);
    } catch {
      // A signal-like object that throws here cannot keep the outcome from Rust.
    }
    settled(id, outcome);
  });
  // First: if a signal-like object throws here, nothing is registered yet, and the throw fails
  // this request (fetch.rs imports `send` with `catch`).
  signal?.addEventListener("abort", abort);
  // A timer per request, set while sending it: workerd drops a timer when the request (of the
  // worker) that set it ends, so a timer shared with requests sent from other worker requests
  // could vanish while this one is still in flight (a test in tests/js/workerd).
  if (nextTimeoutBySignal) {
    nextTimeoutBySignal = false;
    timeoutSignal = AbortSignal.timeout(timeoutMs);
    timeoutSignal.addEventListener("abort", timedOut);
  } else {
    timer = setTimeout(timedOut, timeoutMs);
  }
  // The caller's abort and the timeout settle the call at once (`stop`), so a failure that
  // still arrives here is the network's.
  attempt(customFetch, url, method, headers, body, request).then(request.done, (error) => request.done([-1, 0, error]));
});

// The caller's abort (1) or the timeout (2): the request is cancelled, and the call settles now
// even if its fetch never does (a custom fetch that does not pass the signal on, a polyfill that
// ignores it); a later answer is dropped.
const stop = (function stop(request, what) {
  request.cancel?.();
  request.done([-1, what, new Error(what === 1 ? "aborted" : "timed out")]);
});

const encoder = new TextEncoder();

/** A response's body (outcome[3]) into the wasm's memory as UTF-8, for fetch.rs: `into` is a
 * view of the buffer Rust made, three bytes per UTF-16 code unit of the text (the most UTF-8
 * takes), and encodeInto writes straight into it: about ten times faster than TextEncoder.encode
 * and a copy, and than the glue's character-by-character copy of a string (bench/HISTORY.md,
 * per-call overhead). What encodeInto writes is UTF-8 whatever the text, so Rust need not check
 * it. Answers how many bytes it wrote. */
export const bodyInto = (function bodyInto(outcome, into) {
  return encoder.encodeInto(outcome[3], into).written;
});

const attempt = (async function attempt(customFetch, url, method, headers, body, request) {
  if (customFetch == null && viaSender()) return sender(url, method, headers, body, request);
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
  // String(): a polyfill's text() might answer something else; fetch.rs reads its length.
  return [status, requestId, retryAfter, String(await response.text())];
});
