//! [`Host`] for JavaScript runtimes.

use super::{fetch, timers};
use crate::host::{Aborted, Host};
use crate::http::{HttpRequest, HttpResponse, TransportError};
use web_sys::AbortSignal;

pub struct WasmHost {
    /// The caller's `fetch` (a proxy, a service binding), or `None` for the global one.
    pub fetch: Option<js_sys::Function>,
    pub headers: fetch::HeaderCache,
    pub timers: timers::Timers,
}

impl Host for WasmHost {
    type Signal = AbortSignal;

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
    fn is_aborted(&self, signal: &AbortSignal) -> bool {
        signal.aborted()
    }
    async fn sleep(&self, ms: f64, signal: Option<&AbortSignal>) -> Result<(), Aborted> {
        self.timers.sleep(ms, signal).await
    }
    async fn send(&self, request: &HttpRequest, timeout_ms: f64, signal: Option<&AbortSignal>) -> Result<HttpResponse, TransportError> {
        fetch::send(self.fetch.as_ref(), &self.headers, request, timeout_ms, signal).await
    }
}
