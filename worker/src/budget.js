// The API's rate limit shared by every isolate of this worker: one Durable Object that every
// upstream request passes through.
//
// Zilliz Cloud allows 20 requests per second per API key and endpoint. The package's limiter
// keeps one client under that, but a deployed worker runs in many isolates at once (one or more
// per Cloudflare location), each with its own clients: n isolates may send n times the budget
// and collect 429s. With the RATE_BUDGET binding, each upstream client's `fetch` hands its
// request to this object instead; the object sends it once a slot on its endpoint is free and
// hands the answer back. Sending from here, rather than handing out permits, means the object
// sees each answer arrive, so a slot is held exactly as the package's limiter holds one (from
// its grant until a window after the answer) with no second call to give it back, and no lease
// to guess when an isolate vanishes mid-request.
//
// Waiting requests are served first come, first served per endpoint. A request that would wait
// longer than RATE_BUDGET_MAX_WAIT_MS is not sent: it is answered 429 with a Retry-After, which
// the package reports as RateLimited (a request it knows was never sent, so nothing is
// ambiguous) and the gateway forwards to the dashboard.
//
// The request arrives with the client's Authorization header (the API key): the object passes it
// on to ZILLIZ_BASE_URL and nowhere else, and never reads or logs it.
import { getConfig } from "./config.js";
import { CODE } from "./errors.js";

/** A second and a margin for clock granularity, as the package's limiter (src/limiter.rs). */
export const WINDOW_MS = 1_010;
/** The object's own bound on one upstream request, so a hung answer cannot hold a slot forever. */
const UPSTREAM_TIMEOUT_MS = 60_000;
/** One object for the deployment: a deployment holds one API key (ZILLIZ_API_KEY). */
const OBJECT_NAME = "api-key";

/** The `fetch` an upstream client is given when the binding exists: every request via the object. */
export function budgetFetch(namespace) {
  const stub = namespace.get(namespace.idFromName(OBJECT_NAME));
  return (request) => stub.fetch(request);
}

/**
 * The endpoint a request counts against: its method and route, ids replaced, e.g.
 * `GET /v2/jobs/{id}` (the API's endpoints, ../shared/zilliz-cloud-api.md). Any other path
 * counts as itself.
 */
export function endpointOf(method, pathname) {
  const s = pathname.split("/"); // ["", "v2", …]
  if (s[1] === "v2" && s[2] === "jobs" && s.length === 4) s[3] = "{id}";
  if (s[1] === "v2" && s[2] === "clusters" && s.length >= 5 && s[4] === "backups") {
    s[3] = "{clusterId}";
    if (s.length >= 6 && s[5] !== "create" && s[5] !== "policy") s[5] = "{backupId}";
  }
  return `${method} ${s.join("/")}`;
}

/**
 * One endpoint's slots. At most `perSecond` are held: one from its grant until WINDOW_MS after
 * its request was answered. The server counted a request when it arrived, no later than its
 * answer, so any `perSecond + 1` requests sent through here arrive more than a second apart.
 */
export class Gate {
  constructor(perSecond, now = () => Date.now()) {
    this.perSecond = perSecond;
    this.now = now;
    this.inFlight = 0;
    this.answeredAt = []; // oldest first: answers are recorded as they come
    this.line = []; // first come, first served
    this.timer = null;
  }

  free() {
    const now = this.now();
    while (this.answeredAt.length > 0 && this.answeredAt[0] <= now - WINDOW_MS) this.answeredAt.shift();
    return this.perSecond - this.inFlight - this.answeredAt.length;
  }

  /** Resolves true once a slot is held, or false after `maxWaitMs` in line (nothing held). */
  enter(maxWaitMs) {
    if (this.line.length === 0 && this.free() > 0) {
      this.inFlight++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter = { resolve, expiry: null };
      waiter.expiry = setTimeout(() => {
        this.line.splice(this.line.indexOf(waiter), 1);
        resolve(false);
      }, maxWaitMs);
      this.line.push(waiter);
      this.arm();
    });
  }

  /** The request holding a slot was answered (or failed): its slot frees a window from now. */
  leave() {
    this.inFlight--;
    this.answeredAt.push(this.now());
    this.serve();
  }

  /** Seconds a refused request should wait: the line ahead of it, at `perSecond`. */
  retryAfterSeconds() {
    return Math.max(1, Math.ceil(this.line.length / this.perSecond));
  }

  serve() {
    while (this.line.length > 0 && this.free() > 0) {
      const waiter = this.line.shift();
      clearTimeout(waiter.expiry);
      this.inFlight++;
      waiter.resolve(true);
    }
    this.arm();
  }

  /** One timer, for when the oldest answered slot frees; slots in flight free on `leave`. */
  arm() {
    if (this.timer !== null || this.line.length === 0 || this.answeredAt.length === 0) return;
    const due = this.answeredAt[0] + WINDOW_MS - this.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.serve();
    }, Math.max(1, due));
  }
}

/** The Durable Object (binding RATE_BUDGET, class RateBudget; see wrangler.toml). */
export class RateBudget {
  constructor(state, env) {
    this.env = env;
    this.gates = new Map(); // endpoint → Gate; in memory: a restarted object starts with free slots
  }

  async fetch(request) {
    const { baseUrl, budget } = getConfig(this.env);
    const url = new URL(request.url);
    // Only requests for the configured API: the object must not become a general proxy.
    if (url.origin !== new URL(baseUrl).origin) return refusal(400, CODE.BAD_PARAMETER, "the rate budget only sends requests to ZILLIZ_BASE_URL");
    const endpoint = endpointOf(request.method, url.pathname);
    let gate = this.gates.get(endpoint);
    if (gate === undefined) this.gates.set(endpoint, (gate = new Gate(budget.perSecond)));
    if (!(await gate.enter(budget.maxWaitMs))) {
      const seconds = gate.retryAfterSeconds();
      const message = `not sent: waiting for a slot on ${endpoint} (${budget.perSecond} requests a second for the whole worker) would take longer than RATE_BUDGET_MAX_WAIT_MS (${budget.maxWaitMs} ms)`;
      return refusal(429, CODE.BUDGET_FULL, message, { "Retry-After": String(seconds) });
    }
    try {
      // Never follow a redirect (it could carry the Authorization header elsewhere), as the
      // package's own transport does.
      return await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: "manual",
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } finally {
      gate.leave();
    }
  }
}

function refusal(status, code, message, headers = {}) {
  return new Response(JSON.stringify({ code, message }), { status, headers: { "Content-Type": "application/json", ...headers } });
}
