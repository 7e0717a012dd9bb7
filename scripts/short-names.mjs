// Gives the names the .wasm and its wasm-bindgen glue know each other by short ones: each import
// (`__wbg_then_c2369bf6ea7407f1` → `a`), the imports' module (`./zilliz_cloud_backup_bg.js` → `a`)
// and each export but `memory` (`backupclient__call` → `b`), in both files; an export the glue
// never uses is dropped, so wasm-opt can drop what only it kept. Nothing else reads these names:
// the entries reach the .wasm only through the glue. The hashes wasm-bindgen puts in import names
// are hex that gzip cannot shrink, about 2 KB gzip of the .wasm and glue together (bench/HISTORY.md,
// twentieth round). Run by scripts/lib.sh's pkg_short_names, before wasm-opt. Fails if a name is
// not where it should be in the glue: wasm-bindgen is pinned, and a new version must be looked at.
// Usage: node scripts/short-names.mjs <module.wasm> <glue.js>   (both rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";

const [wasmFile, glueFile] = process.argv.slice(2);
const fail = (why) => {
  console.error(`short-names: ${why}; update scripts/short-names.mjs`);
  process.exit(1);
};

// --- the .wasm: its import (2) and export (7) sections rewritten, every other section copied ---
const wasm = readFileSync(wasmFile);
let at = 8;
const u32 = () => {
  let value = 0, shift = 0, byte;
  do {
    byte = wasm[at++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return value >>> 0;
};
const name = () => {
  const length = u32();
  at += length;
  return wasm.toString("utf8", at - length, at);
};
const leb = (value) => {
  const bytes = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value ? low | 0x80 : low);
  } while (value);
  return Buffer.from(bytes);
};
const encoded = (text) => Buffer.concat([leb(Buffer.byteLength(text)), Buffer.from(text)]);
/** A section of `entries`, each an array of the byte strings it is made of. */
const section = (id, entries) => {
  const body = Buffer.concat([leb(entries.length), ...entries.flat()]);
  return Buffer.concat([Buffer.from([id]), leb(body.length), body]);
};
/** `a`…`z`, `A`…`Z`, `aa`, `ab`, …: the `index`th short name. */
const short = (index) => {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let text = "";
  for (let i = index; ; i = Math.floor(i / letters.length) - 1) {
    text = letters[i % letters.length] + text;
    if (i < letters.length) return text;
  }
};

const glue = readFileSync(glueFile, "utf8");
const used = new Set([...glue.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]));
const modules = new Map(); // old module name → new
const imports = new Map(); // old import name → new (one namespace per module; there is one)
const exports = new Map(); // old export name → new
const dropped = [];
const out = [wasm.subarray(0, 8)];
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  const end = u32() + at;
  if (id === 2) {
    const entries = [];
    for (let n = u32(); n > 0; n--) {
      const module = name();
      const field = name();
      const descriptor = at;
      const kind = wasm[at++];
      if (kind !== 0) fail(`import ${module}.${field} is not a function`);
      u32(); // its type
      if (!modules.has(module)) modules.set(module, short(modules.size));
      if (imports.has(field)) fail(`import ${field} is imported twice`);
      imports.set(field, short(imports.size));
      entries.push([encoded(modules.get(module)), encoded(imports.get(field)), wasm.subarray(descriptor, at)]);
    }
    out.push(section(2, entries));
  } else if (id === 7) {
    const entries = [];
    for (let n = u32(); n > 0; n--) {
      const field = name();
      const descriptor = at;
      at++; // its kind
      u32(); // its index
      if (field !== "memory" && !used.has(field)) {
        dropped.push(field); // the glue never uses it
        continue;
      }
      const renamed = field === "memory" ? field : short(exports.size);
      if (field !== "memory") exports.set(field, renamed);
      entries.push([encoded(renamed), wasm.subarray(descriptor, at)]);
    }
    out.push(section(7, entries));
  } else {
    out.push(wasm.subarray(start, end));
  }
  if (at !== end && (id === 2 || id === 7)) fail(`section ${id} did not end where its size says`);
  at = end;
}
if (!used.has("memory")) fail("the glue does not use the .wasm's memory");

// --- the glue: the imports object's keys and every `wasm.<export>` ---
let renamed = glue;
const replaceAll = (pattern, old, now, what) => {
  let count = 0;
  renamed = renamed.replace(pattern, (...match) => {
    count++;
    return now(...match);
  });
  if (count !== 1) fail(`${what} ${old} is in the glue ${count} times, not once`);
};
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
for (const [old, now] of modules) {
  replaceAll(new RegExp(`(["'])${escape(old)}\\1(\\s*:)`, "g"), old, (_, _q, colon) => `"${now}"${colon}`, "the imports' module");
}
for (const [old, now] of imports) {
  replaceAll(new RegExp(`(?<![\\w$.])${escape(old)}(\\s*:)`, "g"), old, (_, colon) => now + colon, "import");
}
renamed = renamed.replace(/\bwasm\.(\w+)/g, (all, field) => (exports.has(field) ? `wasm.${exports.get(field)}` : all));
// The glue's own wrapper of each closure export is named after it, hash and all: numbered instead.
const closures = new Map();
renamed = renamed.replace(/\bwasm_bindgen__convert__closures_____invoke__h[0-9a-f]{16}\b/g, (old) => {
  if (!closures.has(old)) closures.set(old, `invokeClosure${closures.size}`);
  return closures.get(old);
});

writeFileSync(wasmFile, Buffer.concat(out));
writeFileSync(glueFile, renamed);
console.log(`short-names: ${imports.size} imports and ${exports.size} exports renamed, ${dropped.length} dropped (${dropped.join(", ") || "none"})`);
