// Pure error wording (src/errors.js): the kind's sentence plus the server's own words and code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { explainError, adviceFor } from "../src/errors.js";

const zerr = (props) => Object.assign(new Error(props.message ?? "m"), { name: "ZillizError", retryable: false, ...props });

test("every kind has its own plain sentence", () => {
  const kinds = ["InvalidInput", "Unauthorized", "Forbidden", "NotFound", "RateLimited", "Server", "Network", "Protocol", "Api", "Timeout", "Aborted", "JobFailed"];
  const sentences = kinds.map((kind) => explainError(zerr({ kind })).summary);
  assert.equal(new Set(sentences).size, kinds.length);
  assert.equal(explainError(zerr({ kind: "Server" })).summary, "Zilliz Cloud had a problem on its side.");
  assert.equal(explainError(new Error("boom")).summary, "Something went wrong.");
  assert.equal(explainError("text thrown").detail, "text thrown");
});

test("the server's message, code, status and request id are kept verbatim", () => {
  const e = explainError(zerr({ kind: "Api", code: 80099, httpStatus: 200, requestId: "req-1", message: "Zilliz Cloud API error 80099: Quota exceeded" }));
  assert.equal(e.detail, "Zilliz Cloud API error 80099: Quota exceeded");
  assert.equal(e.code, 80099);
  assert.equal(e.httpStatus, 200);
  assert.equal(e.requestId, "req-1");
  assert.equal(adviceFor(e), null);
});

test("a busy cluster names the running backup and offers the queue", () => {
  const e = explainError(zerr({ kind: "Api", code: 80030, runningBackupId: "backup1_abc" }));
  assert.equal(e.runningBackupId, "backup1_abc");
  assert.match(adviceFor(e), /Only one manual backup may run on a cluster at a time, and backup backup1_abc is still being created/);
});

test("advice: ambiguous writes, credentials, retryable failures", () => {
  assert.match(adviceFor(explainError(zerr({ kind: "Server", message: "HTTP 503: the backup may have been created" }))), /may have done it anyway/);
  assert.match(adviceFor(explainError(zerr({ kind: "Unauthorized" }))), /token/);
  assert.match(adviceFor(explainError(zerr({ kind: "Server", retryable: true }))), /Trying again/);
  assert.equal(adviceFor(explainError(zerr({ kind: "JobFailed" }))), null);
});
