// Where the page connects, from the query string or this tab's sessionStorage (never
// localStorage: a token must not outlive the tab). Pure apart from the storage passed in.
//   ?worker=https://backup-proxy.example.com&token=DASHBOARD_TOKEN   production: the worker holds the key
//   ?emulator=http://127.0.0.1:8787&key=emulator-api-key             local development only

const STORAGE_KEY = "zilliz-dashboard.connection";
const PARAMS = ["worker", "emulator", "token", "key"];

/** { mode: "worker" | "emulator", url, token } or null when nothing usable is given. */
export function connectionFromQuery(search) {
  const q = new URLSearchParams(search);
  if (q.get("worker")) return normalize({ mode: "worker", url: q.get("worker"), token: q.get("token") ?? "" });
  if (q.get("emulator")) return normalize({ mode: "emulator", url: q.get("emulator"), token: q.get("key") ?? "" });
  return null;
}

/** The query string without the connection parameters, so a token does not stay in the address bar. */
export function stripConnectionParams(search) {
  const q = new URLSearchParams(search);
  for (const p of PARAMS) q.delete(p);
  const rest = q.toString();
  return rest ? `?${rest}` : "";
}

export function loadConnection(storage) {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null");
    return saved ? normalize(saved) : null;
  } catch {
    return null;
  }
}

export function saveConnection(storage, connection) {
  storage.setItem(STORAGE_KEY, JSON.stringify(normalize(connection)));
}

export function forgetConnection(storage) {
  storage.removeItem(STORAGE_KEY);
}

/** Throws a plain-words Error for what the form must refuse; returns a clean copy. */
export function normalize({ mode, url, token }) {
  if (mode !== "worker" && mode !== "emulator") throw new Error(`Unknown connection mode "${mode}".`);
  let parsed;
  try {
    parsed = new URL(String(url ?? "").trim());
  } catch {
    throw new Error("The address must be a full URL, such as https://backup-proxy.example.com.");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("The address must start with https:// (or http:// on this machine).");
  const clean = parsed.origin + parsed.pathname.replace(/\/+$/, "");
  return { mode, url: clean, token: String(token ?? "").trim() };
}
