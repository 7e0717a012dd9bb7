// The emulator's control API over plain fetch: usable from Node, Deno, Bun and inside workerd.
let clusterCounter = 0;
let run; // per process or isolate; computed lazily (workerd has no randomness at global scope)

export class EmulatorControl {
  constructor(url, apiKey) {
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
    run ??= Math.floor(Math.random() * 1e6);
    const clusterId = `in01-t${run}x${++clusterCounter}x${Date.now() % 1e6}`;
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
}
