//! The HTTP layer: one call into `transport.js` per request.
//!
//! The JavaScript half does the fetch, the timeout and the caller's signal, and reads the body;
//! it answers one array and never rejects, so nothing here can panic on a JS value (a panic
//! would poison the whole wasm instance). Headers become a JS object once per distinct set (a
//! client sends the same two or three sets), not once per request.

use super::executor;
use super::globals::set_property;
use super::js_value::describe;
use crate::http::{Headers, HttpRequest, HttpResponse, TransportError};
use js_sys::{Array, Object};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/wasm/transport.js")]
extern "C" {
    /// `catch`: a throw while starting a request (a signal-like object whose `addEventListener`
    /// throws) must fail that request, not unwind through the wasm that is polling the call.
    #[wasm_bindgen(js_name = send, catch)]
    fn transport_send(
        custom_fetch: Option<&js_sys::Function>,
        url: &str,
        method: &str,
        headers: &JsValue,
        body: Option<&str>,
        timeout_ms: f64,
        signal: Option<&AbortSignal>,
        id: u32,
        settled: &js_sys::Function,
    ) -> Result<(), JsValue>;

    /// Writes the body text into `into` as UTF-8 (`TextEncoder.encodeInto`, straight into the
    /// wasm's memory); answers how many bytes it wrote.
    #[wasm_bindgen(js_name = bodyInto)]
    fn body_into(outcome: &Array, into: &mut [u8]) -> u32;
}

/// Header sets already turned into JS objects, most recent first (the client's sets are shared
/// `Rc`s, so a pointer comparison finds them).
#[derive(Default)]
pub struct HeaderCache {
    sets: RefCell<Vec<(Headers, JsValue)>>,
}

impl HeaderCache {
    fn get(&self, headers: &Headers) -> JsValue {
        let mut sets = self.sets.borrow_mut();
        if let Some((_, js)) = sets.iter().find(|(h, _)| Rc::ptr_eq(h, headers)) {
            return js.clone();
        }
        let object = Object::new();
        for (name, value) in headers.iter() {
            let _ = set_property(&object, &JsValue::from_str(name), &JsValue::from_str(value));
        }
        let js: JsValue = object.into();
        sets.insert(0, (headers.clone(), js.clone()));
        sets.truncate(4);
        js
    }
}

pub async fn send(
    custom_fetch: Option<&js_sys::Function>,
    cache: &HeaderCache,
    request: &HttpRequest,
    timeout_ms: f64,
    signal: Option<&AbortSignal>,
) -> Result<HttpResponse, TransportError> {
    let headers = cache.get(&request.headers);
    // Numbered before sending: the outcome may be handed back at any time after.
    let (id, outcome) = executor::outcome();
    let started = executor::with_settled(|settled| {
        transport_send(custom_fetch, &request.url, request.method.as_str(), &headers, request.body.as_deref(), timeout_ms, signal, id, settled)
    });
    if let Err(thrown) = started {
        return Err(TransportError::Network(describe(&thrown))); // `outcome` dropped: its number is given up
    }
    let outcome: Array = match outcome.await {
        v if Array::is_array(&v) => v.unchecked_into(),
        v => return Err(TransportError::Network(describe(&v))),
    };
    let status = outcome.get(0).as_f64().unwrap_or(-1.0);
    if status < 0.0 {
        return Err(match outcome.get(1).as_f64() {
            Some(1.0) => TransportError::Aborted,
            Some(2.0) => TransportError::Timeout,
            _ => TransportError::Network(describe(&outcome.get(2))),
        });
    }
    Ok(HttpResponse {
        status: status as u16,
        request_id: outcome.get(1).as_string(),
        retry_after: outcome.get(2).as_string(),
        body: body_text(&outcome),
    })
}

/// The body text (as Response.text() read it, transport.js) as a Rust string. A UTF-16 code
/// unit takes at most 3 bytes of UTF-8, so a buffer of three bytes per unit always has room.
fn body_text(outcome: &Array) -> String {
    let units = outcome.get(3).unchecked_into::<js_sys::JsString>().length();
    let mut bytes = vec![0u8; units as usize * 3];
    let written = body_into(outcome, &mut bytes) as usize;
    bytes.truncate(written);
    // SAFETY: what TextEncoder.encodeInto writes is UTF-8 (a lone surrogate becomes U+FFFD: the
    // Encoding Standard's "UTF-8 encode"), and it writes whole characters only; `written` is
    // where they end.
    unsafe { String::from_utf8_unchecked(bytes) }
}
