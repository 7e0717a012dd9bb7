// An API error in plain words, with the server's own message and code kept verbatim below.
import { explainError, adviceFor } from "../errors.js";
import { h, announce } from "./dom.js";

/** Fills `container` with the error (or empties it for null); returns the explanation. */
export function showError(container, err, { actions = [] } = {}) {
  container.replaceChildren();
  if (err == null) return null;
  const e = explainError(err);
  const facts = [
    e.code != null && `code ${e.code}`,
    e.httpStatus != null && `HTTP ${e.httpStatus}`,
    e.requestId && `request ${e.requestId}`,
  ].filter(Boolean);
  const advice = adviceFor(e);
  container.append(
    h("div", { class: "error", "data-kind": e.kind ?? "" },
      h("p", { class: "error-summary" }, h("strong", {}, e.summary)),
      advice && h("p", { class: "error-advice" }, advice),
      h("p", { class: "error-detail" }, e.serverSaid != null ? "Server said: " : "Details: ",
        h("q", {}, e.serverSaid ?? e.detail), facts.length ? ` (${facts.join(", ")})` : ""),
      // The package's full message (what a bug report needs), folded away.
      e.serverSaid != null && e.serverSaid !== e.detail && h("details", {}, h("summary", {}, "Full message"), h("p", {}, e.detail)),
      actions.length > 0 && h("p", { class: "actions" }, ...actions),
    ),
  );
  announce(`Error: ${e.summary}`);
  return e;
}
