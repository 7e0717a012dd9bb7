//! An abortable sleep on `setTimeout`.

use super::globals::{clear_timeout, set_timeout};
use crate::host::Aborted;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

/// Resolves after `ms`, or as soon as `signal` aborts (clearing the timer, so a Node process or
/// a worker is not kept alive by a sleep nobody waits for). The abort listener is removed after.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), Aborted> {
    if signal.is_some_and(|s| s.aborted()) {
        return Err(Aborted);
    }
    let timer = Rc::new(RefCell::new(JsValue::UNDEFINED));
    let mut on_abort: Option<Closure<dyn FnMut()>> = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        *timer.borrow_mut() = set_timeout(&resolve, ms);
        if let Some(signal) = signal {
            let timer = timer.clone();
            let listener = Closure::<dyn FnMut()>::new(move || {
                clear_timeout(&timer.borrow());
                let _ = resolve.call0(&JsValue::UNDEFINED);
            });
            let _ = signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
            on_abort = Some(listener);
        }
    });
    let _ = JsFuture::from(promise).await;
    if let (Some(signal), Some(listener)) = (signal, &on_abort) {
        let _ = signal.remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
    }
    match signal {
        Some(s) if s.aborted() => Err(Aborted),
        _ => Ok(()),
    }
}
