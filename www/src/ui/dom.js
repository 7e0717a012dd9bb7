// Tiny DOM helpers shared by the UI modules: build elements without innerHTML (no markup from
// data ever reaches the parser), and the page's one aria-live region.

/** h("button", { class: "x", onclick: fn, "aria-label": "…" }, "text", child, …) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key in el && typeof value !== "string") el[key] = value; // value, checked, hidden, …
    else el.setAttribute(key, value === true ? "" : value);
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Says `text` in the live region (screen readers read it; it is visible too). */
export function announce(text) {
  const region = $("#status");
  // Clearing first makes a repeated message be read again.
  region.textContent = "";
  requestAnimationFrame(() => {
    region.textContent = text;
  });
}

/** A `<time>` showing `label` with the exact ISO time as its tooltip. */
export function timeEl(iso, label) {
  return iso ? h("time", { datetime: iso, title: iso }, label) : h("span", {}, "—");
}
