// Every error answer, in the API's envelope {"code", "message"}: the worker's own refusals
// (codes below, documented in README.md) and the package's ZillizError mapped back to what the
// API would have said, so the dashboard's client raises the same `kind` it would against Zilliz.

/** The worker's own codes: 9 + HTTP status + a variant digit. */
export const CODE = {
  BAD_JSON: 94000,
  BAD_PARAMETER: 94001,
  NO_TOKEN: 94010,
  WRONG_TOKEN: 94011,
  CLUSTER_NOT_ALLOWED: 94030,
  OPERATION_NOT_ALLOWED: 94031,
  ORIGIN_NOT_ALLOWED: 94032,
  NO_ROUTE: 94040,
  WRONG_METHOD: 94050,
  TOO_LARGE: 94130,
  NOT_JSON: 94150,
  BUDGET_FULL: 94290,
  MISCONFIGURED: 95000,
  UPSTREAM_UNREACHABLE: 95020,
  UPSTREAM_TIMEOUT: 95040,
};

export class Refusal extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/**
 * A ZillizError from the package → { status, code, message, headers }.
 * The upstream HTTP status is kept for 401/403/404/429/5xx; business errors stay under 200 as
 * the API sends them; failures with no upstream answer become 502/504.
 */
export function fromZillizError(err) {
  const headers = {};
  if (typeof err.retryAfterMs === "number") headers["Retry-After"] = String(Math.max(0, Math.ceil(err.retryAfterMs / 1000)));
  const message = upstreamMessage(err);
  switch (err.kind) {
    case "InvalidInput": // the package refused the input before sending anything
      return { status: 400, code: CODE.BAD_PARAMETER, message, headers };
    case "Network":
    case "Timeout":
      return /within \d+ ms|timed out/i.test(err.message)
        ? { status: 504, code: CODE.UPSTREAM_TIMEOUT, message: `Zilliz Cloud did not answer in time: ${message}`, headers }
        : { status: 502, code: CODE.UPSTREAM_UNREACHABLE, message: `Zilliz Cloud could not be reached: ${message}`, headers };
    case "Protocol":
      return { status: 502, code: err.code ?? CODE.UPSTREAM_UNREACHABLE, message: `Zilliz Cloud sent an unreadable answer: ${message}`, headers };
  }
  const status = err.httpStatus;
  if (status === 401 || status === 403 || status === 404 || status === 429 || (status >= 500 && status <= 599)) {
    return { status, code: err.code ?? status, message, headers };
  }
  // Business errors (HTTP 200 with a non-zero code) and anything else with a code: under 200,
  // as the API does, so the client reads the code and message.
  return { status: 200, code: err.code ?? CODE.UPSTREAM_UNREACHABLE, message, headers };
}

/** The server's own words when it sent some (so the dashboard's client does not wrap the package's framing twice), else the package's message. */
export function upstreamMessage(err) {
  return typeof err.serverMessage === "string" && err.serverMessage ? err.serverMessage : String(err.message ?? "");
}
