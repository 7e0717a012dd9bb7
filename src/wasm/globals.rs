//! Bindings to functions of the global scope, which every JS runtime we support has.
//!
//! Some are declared here rather than taken from js-sys/web-sys so that they share a wasm
//! signature with an import the .wasm has anyway. Node 20's V8 (11.3) compiles a wasm-to-JS
//! wrapper per distinct import signature while compiling the module, about 0.25 M instructions
//! each (BENCHMARKS.md, cold start); Node 22's V8 (12.4) and later use one generic wrapper. These
//! take three JS values and answer one, like `Function.call`'s `call1`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Node returns a `Timeout` object, browsers a number: keep it opaque.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &js_sys::Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(handle: &JsValue);

    /// A promise as far as `then` goes: the executor queues its microtask on a resolved one
    /// (src/wasm/executor.rs says why not `queueMicrotask`).
    pub type Thenable;

    /// `promise.then(callback)`, the next promise dropped in JS (answering it would take an
    /// externref slot per microtask; the price is a signature of its own, one more wrapper for
    /// Node 20 to compile at start-up).
    #[wasm_bindgen(method, js_name = then)]
    pub fn then_call(this: &Thenable, callback: &js_sys::Function);

    /// `Reflect.set`, its boolean answer left as a JS value (js-sys's answers a `bool`: a
    /// signature of its own).
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    pub fn set_property(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<JsValue, JsValue>;

    /// An event target (an `AbortSignal`, or a caller's signal-like object) as far as its
    /// listeners go: the event's name is a JS string (web-sys's methods take a Rust `&str`: a
    /// signature of their own). `catch`: a signal-like object's methods may throw.
    pub type Listened;

    #[wasm_bindgen(method, js_name = addEventListener, catch)]
    pub fn add_listener(this: &Listened, event: &JsValue, listener: &js_sys::Function) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, js_name = removeEventListener, catch)]
    pub fn remove_listener(this: &Listened, event: &JsValue, listener: &js_sys::Function) -> Result<JsValue, JsValue>;
}
