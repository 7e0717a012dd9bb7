// Connection settings (src/connection.js): query string, sessionStorage, validation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connectionFromQuery, stripConnectionParams, loadConnection, saveConnection, forgetConnection, normalize } from "../src/connection.js";

class MemoryStorage {
  #m = new Map();
  getItem(k) { return this.#m.has(k) ? this.#m.get(k) : null; }
  setItem(k, v) { this.#m.set(k, String(v)); }
  removeItem(k) { this.#m.delete(k); }
}

test("?worker= with a dashboard token; ?emulator= with a key; nothing else", () => {
  assert.deepEqual(connectionFromQuery("?worker=https%3A%2F%2Fproxy.example.com%2F&token=t1"), { mode: "worker", url: "https://proxy.example.com", token: "t1" });
  assert.deepEqual(connectionFromQuery("?emulator=http://127.0.0.1:8787&key=k"), { mode: "emulator", url: "http://127.0.0.1:8787", token: "k" });
  assert.deepEqual(connectionFromQuery("?worker=https://p.example.com/api/"), { mode: "worker", url: "https://p.example.com/api", token: "" });
  assert.equal(connectionFromQuery("?tab=backups"), null);
  assert.equal(connectionFromQuery(""), null);
});

test("the token and key are stripped from the address, other parameters kept", () => {
  assert.equal(stripConnectionParams("?worker=u&token=secret&tab=b"), "?tab=b");
  assert.equal(stripConnectionParams("?emulator=u&key=secret"), "");
});

test("saved per tab, loaded back, forgotten", () => {
  const s = new MemoryStorage();
  assert.equal(loadConnection(s), null);
  saveConnection(s, { mode: "emulator", url: "http://127.0.0.1:1/", token: " k " });
  assert.deepEqual(loadConnection(s), { mode: "emulator", url: "http://127.0.0.1:1", token: "k" });
  forgetConnection(s);
  assert.equal(loadConnection(s), null);
  s.setItem("zilliz-dashboard.connection", "{not json");
  assert.equal(loadConnection(s), null);
});

test("bad addresses and modes are refused in plain words", () => {
  assert.throws(() => normalize({ mode: "worker", url: "proxy.example.com" }), /full URL/);
  assert.throws(() => normalize({ mode: "worker", url: "ftp://x" }), /https:\/\//);
  assert.throws(() => normalize({ mode: "direct", url: "https://x" }), /Unknown connection mode/);
  assert.throws(() => connectionFromQuery("?worker=javascript:alert(1)"), /https:\/\//);
});
