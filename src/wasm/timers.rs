//! An abortable sleep on `setTimeout`.
//!
//! One Rust closure per sleep, called by the timer or by the signal's `abort` event, wakes the
//! future directly: no `Promise` and no `JsFuture` (which would add a promise, its resolve and
//! reject functions and two more closures per sleep). Thousands of concurrent waits spend most
//! of their life here, so this is what their memory is made of.

use super::globals::{clear_timeout, set_timeout};
use crate::host::Aborted;
use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[derive(Default)]
struct Shared {
    fired: bool,
    waker: Option<Waker>,
}

/// Resolves after `ms`, or as soon as `signal` aborts. The timer is cleared and the abort
/// listener removed however the sleep ends (also when the future is dropped), so a Node process
/// or a worker is not kept alive by a sleep nobody waits for, and the closure is never called
/// after it is gone.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), Aborted> {
    if signal.is_some_and(|s| s.aborted()) {
        return Err(Aborted);
    }
    let shared = Rc::new(RefCell::new(Shared::default()));
    let wake = {
        let shared = shared.clone();
        Closure::<dyn FnMut()>::new(move || {
            let mut s = shared.borrow_mut();
            s.fired = true;
            if let Some(waker) = s.waker.take() {
                waker.wake();
            }
        })
    };
    let timer = Timer { handle: set_timeout(wake.as_ref().unchecked_ref(), ms), wake, signal };
    if let Some(signal) = signal {
        let _ = signal.add_event_listener_with_callback("abort", timer.wake.as_ref().unchecked_ref());
    }
    poll_fn(|cx| {
        let mut s = shared.borrow_mut();
        if s.fired {
            Poll::Ready(())
        } else {
            s.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await;
    drop(timer);
    match signal {
        Some(s) if s.aborted() => Err(Aborted),
        _ => Ok(()),
    }
}

/// The pending timer and listener of one sleep, undone on drop.
struct Timer<'a> {
    handle: JsValue,
    wake: Closure<dyn FnMut()>,
    signal: Option<&'a AbortSignal>,
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
        if let Some(signal) = self.signal {
            let _ = signal.remove_event_listener_with_callback("abort", self.wake.as_ref().unchecked_ref());
        }
    }
}
