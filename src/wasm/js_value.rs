//! Values across the boundary: results leave as one JSON string for the runtime's `JSON.parse`
//! (one crossing, instead of one per field), caller data arrives as a [`json::Value`] tree.

use crate::json::{self, Path, Problem, ToJson, Value};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Caller data nested deeper than this is refused (it also stops a cyclic object).
const MAX_DEPTH: u32 = 32;

/// A readable description of any thrown JS value (an `Error`, a string, anything), with its
/// `cause` when there is one (Node's fetch says "fetch failed" and puts the reason there).
pub fn describe(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        return s;
    }
    let field = |v: &JsValue, key: &str| js_sys::Reflect::get(v, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null());
    // Not an Error: as JSON (`42`, `{"code":1}`) when it has one.
    let message = field(value, "message")
        .and_then(|m| m.as_string())
        .or_else(|| js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| "a value that is not an Error".to_owned());
    let cause = field(value, "cause").and_then(|c| {
        c.as_string()
            .or_else(|| field(&c, "message").and_then(|m| m.as_string()))
            .or_else(|| field(&c, "code").and_then(|m| m.as_string()))
    });
    match cause {
        Some(cause) if crate::text::find(&message, &cause).is_none() => crate::text::cat(&[&message, ": ", &cause]),
        _ => message,
    }
}

/// A Rust value as a plain JS value (`null` for `None`, plain objects and arrays).
pub fn to_js(value: &dyn ToJson) -> JsValue {
    // Our own JSON text always parses; `null` would only hide a bug, never a caller's mistake.
    js_sys::JSON::parse(&json::to_string(value)).unwrap_or(JsValue::NULL)
}

/// The caller's data (an options object) as a JSON value. `undefined` fields are left out, as
/// `JSON.stringify` would; functions, symbols and bigints are refused rather than dropped.
pub fn from_js(value: &JsValue, at: Path) -> Result<Value<'static>, Problem> {
    read(value, at, 0)
}

fn read(value: &JsValue, at: Path, depth: u32) -> Result<Value<'static>, Problem> {
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s.into()));
    }
    if let Some(n) = value.as_f64() {
        return Ok(Value::Number(n));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if depth >= MAX_DEPTH {
        return Err(Problem::new(at, "is nested too deeply"));
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        let mut items = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            items.push(read(&item, Path::Index(&at, i), depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    if value.is_object() && !value.is_function() {
        let mut fields = Vec::new();
        for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
            let item = Reflect::get(value, &key).unwrap_or(JsValue::UNDEFINED);
            if item.is_undefined() {
                continue;
            }
            let key = key.as_string().unwrap_or_default();
            let v = read(&item, Path::Key(&at, &key), depth + 1)?;
            fields.push((key.into(), v));
        }
        return Ok(Value::Object(fields));
    }
    Err(Problem::new(at, "must be plain data (not a function, symbol or bigint)"))
}
