//! The HTTP layer: the only user of `gloo-net` and `fetch`.
//!
//! gloo-net builds the `Request`; we call `fetch` ourselves because (1) the caller may supply
//! their own `fetch` (a proxy, a Cloudflare service binding) and (2) gloo-net's `send` panics when
//! a rejection is not an `Error` (e.g. `controller.abort("reason")`), and a panic would poison
//! the whole wasm instance. Nothing here panics on a JS value.

use super::globals::{clear_timeout, global_fetch, set_timeout};
use super::js_value::describe;
use crate::http::{HttpRequest, HttpResponse, Method, TransportError};
use gloo_net::http::{Method as GlooMethod, RequestBuilder};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestRedirect};

pub async fn send(
    custom_fetch: Option<&js_sys::Function>,
    request: &HttpRequest,
    timeout_ms: f64,
    signal: Option<&AbortSignal>,
) -> Result<HttpResponse, TransportError> {
    let network = |e: JsValue| TransportError::Network(describe(&e));
    let controller = AbortController::new().map_err(network)?;

    let mut builder = RequestBuilder::new(&request.url)
        .method(match request.method {
            Method::Get => GlooMethod::GET,
            Method::Post => GlooMethod::POST,
            Method::Delete => GlooMethod::DELETE,
        })
        // Never follow a redirect: it could carry the Authorization header to another origin.
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(&controller.signal()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|e| TransportError::Network(e.to_string()))?;
    let raw: web_sys::Request = built.into();

    // Per-request timeout and the caller's signal both abort this request's controller, through
    // `controller.abort` bound to it: a native function, so no Rust closure (and its JS wrapper
    // and bookkeeping) is made per request.
    let abort: js_sys::Function = match js_sys::Reflect::get(&controller, &JsValue::from_str("abort")) {
        Ok(f) if f.is_function() => f.unchecked_into::<js_sys::Function>().bind0(&controller),
        _ => return Err(TransportError::Network("AbortController.abort is missing".into())),
    };
    let timer = set_timeout(&abort, timeout_ms);
    if let Some(signal) = signal {
        let _ = signal.add_event_listener_with_callback("abort", &abort);
    }

    let outcome = exchange(custom_fetch, &raw).await;

    clear_timeout(&timer);
    if let Some(signal) = signal {
        let _ = signal.remove_event_listener_with_callback("abort", &abort);
    }

    outcome.map_err(|e| {
        if signal.is_some_and(|s| s.aborted()) {
            TransportError::Aborted
        } else if controller.signal().aborted() {
            // Only the timer aborts the controller when the caller's signal has not fired.
            TransportError::Timeout
        } else {
            TransportError::Network(describe(&e))
        }
    })
}

/// Sends the request and reads the whole response.
async fn exchange(custom_fetch: Option<&js_sys::Function>, request: &web_sys::Request) -> Result<HttpResponse, JsValue> {
    let promise = match custom_fetch {
        // A custom fetch may be a plain function or return a thenable: normalise to a Promise.
        Some(f) => js_sys::Promise::resolve(&f.call1(&JsValue::UNDEFINED, request)?),
        None => global_fetch(request),
    };
    let value = JsFuture::from(promise).await?;
    if !value.is_object() {
        return Err(JsValue::from_str("fetch did not return a Response"));
    }
    // Structural access: a custom fetch may return a Response from another realm or a polyfill.
    let response: web_sys::Response = value.unchecked_into();
    let headers = response.headers();
    let header = |name: &str| headers.get(name).ok().flatten();
    let (request_id, retry_after) = (header("RequestId"), header("Retry-After"));
    let status = response.status();
    let body = JsFuture::from(response.text()?).await?;
    Ok(HttpResponse {
        status,
        request_id,
        retry_after,
        body: body.as_string().unwrap_or_default(),
    })
}
