//! Small conversions between Rust and JS values that never panic.

use serde::Serialize;
use wasm_bindgen::JsValue;

/// A readable description of any thrown JS value (an `Error`, a string, anything), with its
/// `cause` when there is one (Node's fetch says "fetch failed" and puts the reason there).
pub fn describe(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        return s;
    }
    let field = |v: &JsValue, key: &str| js_sys::Reflect::get(v, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let message = field(value, "message").and_then(|m| m.as_string()).unwrap_or_else(|| format!("{value:?}"));
    let cause = field(value, "cause").and_then(|c| {
        c.as_string()
            .or_else(|| field(&c, "message").and_then(|m| m.as_string()))
            .or_else(|| field(&c, "code").and_then(|m| m.as_string()))
    });
    match cause {
        Some(cause) if !message.contains(&cause) => format!("{message}: {cause}"),
        _ => message,
    }
}

/// Rust → plain JS objects (`null` for `None`, objects not `Map`s).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}
