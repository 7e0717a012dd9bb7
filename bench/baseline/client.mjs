// The plain-JS baseline: what a user would write by hand in ~60 lines with fetch + JSON.parse.
// Bearer header, throws on HTTP errors and on a non-zero `code`. Deliberately no retries, no
// input validation, no reconciling of ambiguous creates: it is the floor the package's size,
// cold start and per-call overhead are compared against. No timeout either, unless `timeoutMs`
// is given (then `AbortSignal.timeout` per request: the fair comparison, since ours always has
// one and a request without one can hang for minutes).
export class BaselineClient {
  constructor({ token, baseUrl = "https://api.cloud.zilliz.com", fetch: fetchImpl, timeoutMs } = {}) {
    this.timeoutMs = timeoutMs;
    if (!token) throw new Error("token is required");
    this.token = token;
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.fetch = fetchImpl ?? ((...args) => globalThis.fetch(...args));
  }

  async request(method, path, body) {
    const headers = { authorization: `Bearer ${this.token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await this.fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: this.timeoutMs ? AbortSignal.timeout(this.timeoutMs) : undefined,
    });
    const text = await response.text();
    let envelope;
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path}: HTTP ${response.status}, not JSON`);
    }
    if (!response.ok || envelope.code !== 0) {
      const error = new Error(`${method} ${path}: ${envelope.message ?? `HTTP ${response.status}`}`);
      error.code = envelope.code;
      error.httpStatus = response.status;
      throw error;
    }
    return envelope.data;
  }

  createBackup(clusterId, request) {
    return this.request("POST", `/v2/clusters/${encodeURIComponent(clusterId)}/backups/create`, request);
  }

  async describeJob(jobId) {
    const job = await this.request("GET", `/v2/jobs/${encodeURIComponent(jobId)}`);
    // The API sends progress as a string; a user would convert it too.
    return { ...job, progress: Number(job.progress) };
  }

  listBackups(query = {}) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    const qs = params.toString();
    return this.request("GET", `/v2/backups${qs ? `?${qs}` : ""}`);
  }
}
