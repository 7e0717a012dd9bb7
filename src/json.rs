//! JSON in and out, in one place.
//!
//! In wasm the runtime's own `JSON.parse`/`JSON.stringify` do the text work and serde only maps
//! the resulting JS values (smaller and faster than shipping a JSON parser in the `.wasm`);
//! natively (unit tests, tools) `serde_json` does it. Both run the same `Deserialize` impls.

use serde::de::DeserializeOwned;
use serde::Serialize;

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;
    pub type Value = serde_json::Value;

    pub fn parse(text: &str) -> Result<Value, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
    pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
        T::deserialize(value).map_err(|e| e.to_string())
    }
    /// A present, non-null field of an object.
    pub fn field(value: &Value, key: &str) -> Option<Value> {
        value.get(key).filter(|v| !v.is_null()).cloned()
    }
    pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
        serde_json::to_string(value).map_err(|e| e.to_string())
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::JsValue;
    pub type Value = JsValue;

    pub fn parse(text: &str) -> Result<Value, String> {
        js_sys::JSON::parse(text).map_err(|e| crate::wasm::js_value::describe(&e))
    }
    pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
        serde_wasm_bindgen::from_value(value.clone()).map_err(|e| e.to_string())
    }
    /// A present, non-null field of an object.
    pub fn field(value: &Value, key: &str) -> Option<Value> {
        if !value.is_object() {
            return None;
        }
        js_sys::Reflect::get(value, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
    }
    pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
        let js = crate::wasm::js_value::to_js(value).map_err(|e| crate::wasm::js_value::describe(&e))?;
        js_sys::JSON::stringify(&js).map(String::from).map_err(|e| crate::wasm::js_value::describe(&e))
    }
}

pub use imp::{decode, field, parse, to_string, Value};
