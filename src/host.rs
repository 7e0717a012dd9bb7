//! What the core needs from the runtime it runs in: time, randomness, sleeping, abort, HTTP.
//!
//! In wasm these are `Date.now`, `Math.random`, `setTimeout`, `AbortSignal` and `fetch`
//! (`crate::wasm::host`); unit tests use a virtual clock and scripted responses.

use crate::http::{HttpRequest, HttpResponse, TransportError};

/// The caller's signal fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aborted;

#[allow(async_fn_in_trait)] // single-threaded (wasm): no `Send` bound wanted
pub trait Host {
    /// The runtime's abort signal (`AbortSignal` in JS).
    type Signal;

    /// Milliseconds since the Unix epoch (also used to read `Retry-After` dates).
    fn now_ms(&self) -> f64;
    /// Uniform in `[0, 1)`, for jitter.
    fn random(&self) -> f64;
    fn is_aborted(&self, signal: &Self::Signal) -> bool;
    /// Sleeps `ms`, returning early with `Err(Aborted)` as soon as the signal fires.
    async fn sleep(&self, ms: f64, signal: Option<&Self::Signal>) -> Result<(), Aborted>;
    /// Sends one request, giving up after `timeout_ms` or when the signal fires.
    async fn send(&self, request: &HttpRequest, timeout_ms: f64, signal: Option<&Self::Signal>) -> Result<HttpResponse, TransportError>;
}
