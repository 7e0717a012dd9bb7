//! Bindings to functions of the global scope, which every JS runtime we support has.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Node returns a `Timeout` object, browsers a number: keep it opaque.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &js_sys::Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(handle: &JsValue);

    /// Runs `callback` once the current JS job is done (every runtime we support has it).
    #[wasm_bindgen(js_name = queueMicrotask)]
    pub fn queue_microtask(callback: &js_sys::Function);
}
