// Groups the function bodies of the shipped .wasm by Rust module, from a build of the same code
// with its names section kept (bench/wasm-breakdown.sh makes it). Twice: the whole .wasm, and
// what V8 compiles before the first answer (it compiles lazily, a function on its first call:
// bench/coldstart/wasm-compiled.mjs). Prints both tables; writes results/wasm-breakdown.json.
// Usage: node bench/wasm-breakdown.mjs <named.wasm> <shipped.wasm>
import { readdirSync, readFileSync } from "node:fs";
import { writeResult } from "./lib/results.mjs";
import { wasmCompiledBeforeFirstAnswer } from "./coldstart/wasm-compiled.mjs";

/** Function bodies (index → byte size), the number of imported functions, the names, each
 * imported function's name and parameter count (from its type), and the custom sections' names. */
export function functionsOf(bytes) {
  let at = 8; // magic and version
  const u32 = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const name = () => {
    const len = u32();
    const text = new TextDecoder().decode(bytes.subarray(at, at + len));
    at += len;
    return text;
  };
  const limits = () => { const flags = u32(); u32(); if (flags & 1) u32(); };
  let imported = 0;
  const sizes = new Map();
  const names = new Map();
  const params = []; // per type: its parameter count
  const importedFunctions = [];
  const customSections = []; // their names, in order
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = u32();
    const end = at + size;
    if (id === 1) {
      // Types: 0x60, then the parameter and result value types (one byte each: numbers, externref).
      for (let n = u32(); n > 0; n--) {
        if (bytes[at++] !== 0x60) throw new Error("a type that is not a function type");
        const count = u32();
        at += count;
        const results = u32();
        at += results;
        params.push(count);
      }
    } else if (id === 2) {
      // Imports: only functions count towards the function index space.
      for (let n = u32(); n > 0; n--) {
        const module = name();
        const field = name();
        const kind = bytes[at++];
        if (kind === 0) { importedFunctions.push({ module, name: field, params: params[u32()] }); imported++; }
        else if (kind === 1) { at++; limits(); }
        else if (kind === 2) limits();
        else if (kind === 3) at += 2;
        else if (kind === 4) { at++; u32(); }
        else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 10) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const body = u32();
        sizes.set(imported + i, body);
        at += body;
      }
    } else if (id === 0) {
      const section = name();
      customSections.push(section);
      while (section === "name" && at < end) {
        const sub = bytes[at++];
        const subSize = u32();
        const subEnd = at + subSize;
        if (sub === 1) for (let n = u32(); n > 0; n--) { const index = u32(); names.set(index, name()); }
        at = subEnd;
      }
    }
    at = end;
  }
  return { imported, sizes, names, importedFunctions, customSections };
}

/** Whether two builds' function bodies match one for one: only then do one's names fit the other. */
export function sameBodies(a, b) {
  return a.sizes.size === b.sizes.size && [...a.sizes].every(([i, size]) => b.sizes.get(i) === size);
}

// The crate's modules that are directories (src/json/, src/model/, src/wasm/): their functions
// are grouped by file (json::read), the rest by module (validate).
const SRC = new URL("../src/", import.meta.url);
const SUBMODULES = new Set(
  readdirSync(SRC, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(new URL(`${d.name}/`, SRC)).filter((f) => f.endsWith(".rs")).map((f) => `${d.name}/${f.slice(0, -3)}`)),
);

const ESCAPES = { SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," };

/** A Rust symbol (legacy mangling, as the package is built: `_ZN…E`) as Rust writes it, without its hash. */
export function demangle(symbol) {
  const m = symbol.match(/^_?_ZN(.*)E$/);
  if (!m) return symbol;
  const parts = [];
  let rest = m[1];
  while (rest.length > 0) {
    const len = rest.match(/^\d+/);
    if (!len) return symbol;
    const start = len[0].length;
    parts.push(rest.slice(start, start + Number(len[0])));
    rest = rest.slice(start + Number(len[0]));
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts
    .map((p) => p.replace(/^_\$/, "$").replace(/\$([A-Z]+|u[0-9a-f]+)\$/g, (_, e) => (e[0] === "u" ? String.fromCodePoint(parseInt(e.slice(1), 16)) : ESCAPES[e] ?? `$${e}$`)).replaceAll("..", "::"))
    .join("::");
}

/** The group a function's (demangled, hash-less) name belongs to. */
export function groupOf(name) {
  if (/FromJson>::from_json/.test(name)) return "decoders (FromJson)";
  if (/ToJson>::write_json/.test(name)) return "writers (ToJson)";
  if (name.includes("drop_in_place")) return "drop glue";
  const ours = name.match(/zilliz_cloud_backup::(\w+)(?:::(\w+))?/);
  if (ours) return SUBMODULES.has(`${ours[1]}/${ours[2]}`) ? `${ours[1]}::${ours[2]}` : ours[1];
  if (/^<?(wasm_bindgen|js_sys|web_sys)|^__wbg|^backupclient_|^__externref|^__wbindgen/.test(name)) return "wasm-bindgen, js-sys";
  if (/^<?talc/.test(name)) return "allocator (talc)";
  if (/^<?(core|<core|&)|^<[a-z0-9_]+ as core::/.test(name)) return "core";
  if (/^<?alloc/.test(name)) return "alloc";
  return "other";
}

function table(bodies, names) {
  const groups = new Map();
  let total = 0;
  for (const [index, size] of bodies) {
    const name = demangle(names.get(index) ?? `function ${index}`);
    const group = groupOf(name);
    const g = groups.get(group) ?? { bytes: 0, functions: 0 };
    g.bytes += size;
    g.functions += 1;
    groups.set(group, g);
    total += size;
  }
  const rows = [...groups].sort((a, b) => b[1].bytes - a[1].bytes).map(([group, g]) => ({ group, ...g, share: g.bytes / total }));
  return { total, functions: bodies.length, rows };
}

function print(title, t) {
  console.log(`${title}: ${t.total} B in ${t.functions} functions`);
  for (const r of t.rows) console.log(`  ${String(r.bytes).padStart(7)} B ${(100 * r.share).toFixed(1).padStart(5)} %  ${String(r.functions).padStart(4)}  ${r.group}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [namedPath, shippedPath] = process.argv.slice(2);
  const named = functionsOf(readFileSync(namedPath));
  if (!sameBodies(named, functionsOf(readFileSync(shippedPath)))) {
    throw new Error("the named build's function bodies differ from pkg/dist's: rebuild the package (make pkg) and run again");
  }
  const all = table([...named.sizes], named.names);
  const startup = wasmCompiledBeforeFirstAnswer(new URL("../pkg/dist/node.js", import.meta.url).pathname);
  const early = table(startup.indices.map((i) => [i, named.sizes.get(i) ?? 0]), named.names);
  print("the .wasm's function bodies", all);
  print("compiled before the first answer (Node)", early);
  const asTable = (title, t) => ({
    title: `${title}: ${t.total} B in ${t.functions} functions`,
    columns: ["module", "bytes", "functions", "share %"],
    rows: t.rows.map((r) => [r.group, r.bytes, r.functions, Math.round(1000 * r.share) / 10]),
    chart: ["bytes"],
  });
  writeResult("wasm-breakdown", {
    note: "Function bodies of pkg/dist's .wasm by Rust module (names from a build made the same way with its names section kept); the rest of the file is data, imports, exports and types.",
    all,
    beforeFirstAnswer: early,
    tables: [asTable("The .wasm's function bodies by module", all), asTable("Compiled by V8 before the first answer (Node, a fresh process)", early)],
  });
}
