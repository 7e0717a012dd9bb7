// Keeps only the named methods in BackupClient::_call's dispatch (src/wasm/js_api.rs of a copy of
// the crate, for bench/size-floor.sh): every other `"name" => self.method(…),` arm is removed,
// so nothing reaches those methods and the build drops them. Refuses a name the dispatch does not
// have, so a renamed method fails loudly instead of measuring the wrong build.
// Usage: node keep-methods.mjs <js_api.rs> <method ...>
import { readFileSync, writeFileSync } from "node:fs";

const [file, ...keep] = process.argv.slice(2);
const ARM = /^\s*"(\w+)" => self\.\w+\(.*\),\s*$/;
const lines = readFileSync(file, "utf8").split("\n");
const arms = lines.map((line) => line.match(ARM)?.[1]).filter(Boolean);
if (arms.length < 10) throw new Error(`found ${arms.length} dispatch arms in ${file}: has _call changed shape?`);
const unknown = keep.filter((m) => !arms.includes(m));
if (unknown.length > 0) throw new Error(`not a method of _call: ${unknown.join(", ")} (it has ${arms.join(", ")})`);
// `_call`'s arguments a kept method does not take are now unused: allowed, so the build's output
// stays free of warnings.
const kept = lines.filter((line) => !(line.match(ARM) && !keep.includes(line.match(ARM)[1])));
writeFileSync(file, ["#![allow(unused_variables)]", ...kept].join("\n"));
console.log(`kept ${keep.length} of ${arms.length} methods`);
