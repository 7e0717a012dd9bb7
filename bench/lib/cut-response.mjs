// Cuts the response path of a copy of the crate short, for bench/response-floor.sh: how much of
// a call's cost is reading, checking and rewriting the answer in Rust, measured as what is left
// when each step is taken away. Not a build anyone ships: the results are the server's `data` as
// sent (no checks, `progress` still a string). Each edit must find its anchor in the source, so a
// moved line fails loudly instead of measuring the wrong build.
//   no-decoding     `data` written back as read (the reader's tree), not decoded into our types
//   no-rust-output  Rust reads and checks the envelope; JavaScript parses the body itself and
//                   takes its `data`, as the plain-JS client does
//   no-rust-reading as no-rust-output, and Rust never sees the body (a stand-in `{"code":0}`
//                   envelope): what is left is the call's own machinery
// Usage: node cut-response.mjs <crate dir> <cut>
import { readFileSync, writeFileSync } from "node:fs";

const CUTS = ["no-decoding", "no-rust-output", "no-rust-reading"];

const [crate, cut] = process.argv.slice(2);
if (!CUTS.includes(cut)) throw new Error(`unknown cut ${cut} (one of ${CUTS.join(", ")})`);

// Files are written only once every edit has found its anchor.
const edited = [];
function edit(path, edits) {
  const file = `${crate}/${path}`;
  // What a cut leaves unused (a decoder, an argument) stays, without a warning.
  let source = `#![allow(unused)]\n${readFileSync(file, "utf8")}`;
  for (const [anchor, replacement] of edits) {
    if (source.split(anchor).length !== 2) throw new Error(`${path}: expected one ${JSON.stringify(anchor.slice(0, 60))}…: has the response path changed?`);
    source = source.replace(anchor, () => replacement);
  }
  edited.push([file, source]);
}

// What a result is made from: the `data` tree written back, or the body parsed by JavaScript.
const result = cut === "no-decoding" ? "to_js(data)" : "super::fetch::body_data()";
edit("src/wasm/js_api.rs", [
  [
    "fn as_js<T: FromJson + ToJson>(data: &Value, request_id: Option<&str>) -> Result<JsValue> {\n    Ok(to_js(&envelope::decode_data::<T>(data, 200, request_id)?))\n}",
    `fn as_js<T: FromJson + ToJson>(data: &Value, _request_id: Option<&str>) -> Result<JsValue> {\n    Ok(${result})\n}`,
  ],
  [
    '            let (page, next_page) = c.list_backups(&query, signal.as_ref()).await?;\n            output(&With { value: &page, key: "nextPage", extra: &next_page })',
    `            let mut result = JsValue::UNDEFINED;\n            c.send_value(&Call::list_backups(&query)?, signal.as_ref(), &mut |data, _| {\n                result = ${result};\n                Ok(())\n            })\n            .await?;\n            Ok(result)`,
  ],
]);

if (cut !== "no-decoding") {
  const standIn = cut === "no-rust-reading" ? '    return String::from(r#"{"code":0,"data":{}}"#);\n    #[allow(unreachable_code)]\n' : "";
  edit("src/wasm/fetch.rs", [
    [
      "fn body_text(outcome: &Array) -> String {\n",
      `thread_local! {
    static BODY: std::cell::RefCell<JsValue> = const { std::cell::RefCell::new(JsValue::NULL) };
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn parse_text(text: &JsValue) -> JsValue;
}

/// The last body's \`data\`, parsed by JavaScript.
pub fn body_data() -> JsValue {
    BODY.with(|body| js_sys::Reflect::get(&parse_text(&body.borrow()), &JsValue::from_str("data")).unwrap_or(JsValue::NULL))
}

fn body_text(outcome: &Array) -> String {
    BODY.with(|body| *body.borrow_mut() = outcome.get(3));
${standIn}`,
    ],
  ]);
}
for (const [file, source] of edited) writeFileSync(file, source);
console.log(`cut: ${cut}`);
