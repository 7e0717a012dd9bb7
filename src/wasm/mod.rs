//! The only code that touches JavaScript. Nothing outside this module sees a `JsValue`.
//!
//! - `globals`: `setTimeout`/`clearTimeout`/`fetch` bound on the *global* scope (never `window`),
//!   so the same code runs in windows, workers, workerd, Node, Deno and Bun.
//! - `executor`: futures as promises and back (in place of wasm-bindgen-futures).
//! - `timers`, `fetch`: the runtime side of [`crate::host::Host`], put together in `host`.
//! - `js_value`, `js_input`, `js_error`: JS values in and out (options, results, errors).
//! - `js_api`: the exported `BackupClient` class.

mod executor;
mod fetch;
mod globals;
mod host;
mod js_api;
mod js_error;
mod js_input;
pub(crate) mod js_value;
mod timers;

pub use js_api::BackupClient;

/// talc, not std's dlmalloc: smaller, and as fast here (BENCHMARKS.md). Single-threaded wasm.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
