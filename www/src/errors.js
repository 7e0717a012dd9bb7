// Pure: a ZillizError (or anything thrown) in plain words. The sentence comes from `kind`; the
// API's own message and code are kept beside it, verbatim, so nothing the server said is lost.

const SENTENCES = {
  InvalidInput: "The request was not sent: one of the values is not valid.",
  Unauthorized: "The server did not accept the credentials (API key or dashboard token).",
  Forbidden: "This account is not allowed to do that.",
  NotFound: "The server could not find that.",
  RateLimited: "Too many requests in a short time: the server asked to slow down.",
  Server: "Zilliz Cloud had a problem on its side.",
  Network: "The server could not be reached.",
  Protocol: "The server's answer could not be understood.",
  Api: "Zilliz Cloud refused the request.",
  Timeout: "The server took too long to answer.",
  Aborted: "Stopped before it finished.",
  JobFailed: "The job failed on the server.",
};

/**
 * { summary, detail, code, httpStatus, requestId, retryable, mayHaveHappened, runningBackupId }
 * `mayHaveHappened`: a write that failed ambiguously (the server may have acted anyway).
 */
export function explainError(err) {
  const kind = err?.kind;
  const summary = SENTENCES[kind] ?? "Something went wrong.";
  const detail = typeof err?.message === "string" && err.message !== "" ? err.message : String(err);
  const fromServer = err?.code != null || err?.httpStatus != null;
  return {
    kind: kind ?? null,
    summary,
    detail,
    /** What the server itself said, when it said something (else null). */
    serverSaid: fromServer ? serverWords(detail) : null,
    code: err?.code ?? null,
    httpStatus: err?.httpStatus ?? null,
    requestId: err?.requestId ?? null,
    retryable: err?.retryable === true,
    retryAfterMs: err?.retryAfterMs ?? null,
    mayHaveHappened: /may have/i.test(detail) && (kind === "Server" || kind === "Network" || kind === "Timeout"),
    runningBackupId: err?.runningBackupId ?? null,
    jobId: err?.jobId ?? null,
  };
}

/**
 * The server's own sentence inside the package's message: after "The server said: " when the
 * package added its own explanation first, without the "Zilliz Cloud API error N: " framing
 * (the code is shown on its own).
 */
export function serverWords(message) {
  const marker = "The server said: ";
  const at = message.lastIndexOf(marker);
  const said = at >= 0 ? message.slice(at + marker.length) : message;
  return said.replace(/^Zilliz Cloud API error -?\d+: /, "").replace(/^Zilliz Cloud answered HTTP \d+: (API error -?\d+: )?/, "");
}

/** One line after the summary: what the person can do next. */
export function adviceFor(explained) {
  if (explained.runningBackupId) {
    return `Only one manual backup may run on a cluster at a time, and backup ${explained.runningBackupId} is still being created. ` +
      "You can queue this one: the dashboard waits for the running backup to finish, then creates yours.";
  }
  if (explained.mayHaveHappened) return "The server may have done it anyway: refresh the list before trying again.";
  if (explained.kind === "Unauthorized") return "Check the token in the connection settings.";
  if (explained.retryable) return "Trying again in a moment may work.";
  return null;
}
