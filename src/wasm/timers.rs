//! Abortable sleeps, all of a client's on one `setTimeout`.
//!
//! Thousands of concurrent waits spend most of their life asleep, so a sleep is made as small
//! as possible: an entry in its client's queue (its wake-up time and a flag shared with the
//! waker), and one JS timer per client, armed for the earliest entry. No `Promise`, no
//! `JsFuture`, and no JS function or timer object per sleep; a sleep with an abort signal adds
//! one listener. Per client, not per module: workerd ties a timer to the request that set it,
//! and a worker makes a client per request.
//!
//! A sleep that ends early (aborted, or its future dropped) is only marked: its entry is skipped
//! when its time comes. When no live sleep is left the timer is cleared, so a Node process or a
//! worker is never kept alive by a sleep nobody waits for.

use super::globals::{clear_timeout, set_timeout, Listened};
use crate::host::Aborted;
use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

/// What a sleep and the queue share.
#[derive(Default)]
struct Sleeper {
    /// Woken by the timer or the signal.
    fired: Cell<bool>,
    /// Out of the queue's count of live sleeps: taken out by the timer, or by the sleep ending
    /// another way (then its entry is skipped when its time comes).
    done: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Sleeper {
    fn wake(&self) {
        self.fired.set(true);
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }
}

/// `(wake-up time in whole ms, order of arrival)`: earliest first, then first come.
type Key = Reverse<(i64, u64)>;

struct Entry {
    key: Key,
    sleeper: Rc<Sleeper>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

#[derive(Default)]
pub struct Queue {
    entries: BinaryHeap<Entry>,
    /// Sleeps neither fired nor cancelled.
    live: usize,
    arrivals: u64,
    /// The JS timer and the time it is set for.
    armed: Option<(i64, JsValue)>,
    /// The one callback every timer of this queue calls (made on first use).
    fire: Option<Closure<dyn FnMut()>>,
}

impl Drop for Queue {
    fn drop(&mut self) {
        // The callback goes with the queue: its timer must not fire after.
        if let Some((_, handle)) = self.armed.take() {
            clear_timeout(&handle);
        }
    }
}

/// A client's sleeps.
#[derive(Default)]
pub struct Timers {
    queue: Rc<RefCell<Queue>>,
}

impl Queue {
    /// Sets the timer for the earliest entry, or clears it when no live sleep is left.
    fn rearm(&mut self, now: i64, this: &Rc<RefCell<Queue>>) {
        if self.live == 0 {
            self.entries.clear(); // only entries of sleeps that ended early are left
        }
        let next = self.entries.peek().map(|e| e.key.0 .0);
        if self.armed.as_ref().map(|(at, _)| *at) == next {
            return;
        }
        if let Some((_, handle)) = self.armed.take() {
            clear_timeout(&handle);
        }
        if let Some(at) = next {
            let fire = self.fire.get_or_insert_with(|| {
                let queue = Rc::downgrade(this);
                Closure::new(move || {
                    if let Some(queue) = queue.upgrade() {
                        fire(&queue);
                    }
                })
            });
            self.armed = Some((at, set_timeout(fire.as_ref().unchecked_ref(), (at - now).max(0) as f64)));
        }
    }
}

/// The timer went off: wake every sleep that is due, then set the timer for the next.
fn fire(queue: &Rc<RefCell<Queue>>) {
    let now = js_sys::Date::now() as i64;
    let mut due = Vec::new();
    {
        let mut q = queue.borrow_mut();
        q.armed = None;
        while let Some(entry) = q.entries.peek() {
            if entry.key.0 .0 > now {
                break;
            }
            let Some(entry) = q.entries.pop() else { break };
            if !entry.sleeper.done.replace(true) {
                q.live -= 1;
                due.push(entry.sleeper);
            }
        }
        q.rearm(now, queue);
    }
    // Woken outside the borrow: a waker may (in some executors) poll at once.
    for sleeper in due {
        sleeper.wake();
    }
}

impl Timers {
    /// Resolves after `ms`, or as soon as `signal` aborts.
    pub async fn sleep(&self, ms: f64, signal: Option<&AbortSignal>) -> Result<(), Aborted> {
        if signal.is_some_and(|s| s.aborted()) {
            return Err(Aborted);
        }
        let sleeper = Rc::new(Sleeper::default());
        let now = js_sys::Date::now() as i64;
        let at = now + ms.max(0.0).ceil() as i64;
        {
            let mut q = self.queue.borrow_mut();
            q.arrivals += 1;
            let key = Reverse((at, q.arrivals));
            q.entries.push(Entry { key, sleeper: sleeper.clone() });
            q.live += 1;
            q.rearm(now, &self.queue);
        }
        let _guard = Guard { queue: &self.queue, sleeper: &sleeper, listener: signal.map(|s| Listener::new(s, &sleeper)) };
        poll_fn(|cx| {
            if sleeper.fired.get() {
                Poll::Ready(())
            } else {
                *sleeper.waker.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        match signal {
            Some(s) if s.aborted() => Err(Aborted),
            _ => Ok(()),
        }
    }
}

/// The abort listener of one sleep, removed on drop.
struct Listener<'a> {
    signal: &'a AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl<'a> Listener<'a> {
    fn new(signal: &'a AbortSignal, sleeper: &Rc<Sleeper>) -> Self {
        let sleeper = sleeper.clone();
        let callback = Closure::<dyn FnMut()>::new(move || sleeper.wake());
        let _ = signal.unchecked_ref::<Listened>().add_listener(&JsValue::from_str("abort"), callback.as_ref().unchecked_ref());
        Listener { signal, callback }
    }
}

impl Drop for Listener<'_> {
    fn drop(&mut self) {
        let _ = self.signal.unchecked_ref::<Listened>().remove_listener(&JsValue::from_str("abort"), self.callback.as_ref().unchecked_ref());
    }
}

/// However the sleep ends (woken by the timer, aborted, or its future dropped), it leaves the
/// queue's count of live sleeps once, and the timer is cleared when none is left.
struct Guard<'a, 'b> {
    queue: &'a Rc<RefCell<Queue>>,
    sleeper: &'a Rc<Sleeper>,
    #[allow(dead_code)] // held for its Drop
    listener: Option<Listener<'b>>,
}

impl Drop for Guard<'_, '_> {
    fn drop(&mut self) {
        if self.sleeper.done.replace(true) {
            return; // the timer took it out
        }
        let mut q = self.queue.borrow_mut();
        q.live -= 1;
        q.rearm(js_sys::Date::now() as i64, self.queue);
    }
}
