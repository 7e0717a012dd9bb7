//! The async bridge: a call's future becomes a `Promise` (`spawn`), and a request's outcome from
//! `transport.js` comes back as a future (`outcome`).
//!
//! In place of wasm-bindgen-futures, which made two JS closures (and two finalizer
//! registrations) per awaited promise, a `Promise` and a closure per call, and a lazily built
//! queue on the first call (bench/HISTORY.md, eighth round). Here two JS functions are made once,
//! ever: the microtask that polls woken tasks, and the callback through which `transport.js`
//! hands back an outcome by number. No `unsafe`: a waker names its task by number, so a stale
//! wake is at worst a spurious poll, which every future tolerates.

use super::globals::Thenable;
use super::js_error::to_js_error;
use crate::error::Error;
use js_sys::{Function, Promise};
use std::cell::{OnceCell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A method's work; its error becomes a `ZillizError` when the promise is rejected.
pub type Call = Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>;

/// A spawned call: its future (out of the table while it is polled) and its promise's functions.
struct Task {
    future: Option<Call>,
    resolve: Function,
    reject: Function,
    waker: Waker,
    queued: bool,
}

/// A request's outcome, by the number `transport.js` was given.
enum Outcome {
    /// Not here yet; the waker of the task awaiting it.
    Awaited(Option<Waker>),
    Arrived(JsValue),
    /// Its future was dropped first (the call was abandoned); freed when the outcome arrives.
    Abandoned,
}

/// Numbered entries; a freed number is reused.
struct Table<T> {
    entries: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Table<T> {
    const fn new() -> Self {
        Table { entries: Vec::new(), free: Vec::new() }
    }
    /// Stores what `make` builds from its number.
    fn insert(&mut self, make: impl FnOnce(u32) -> T) -> u32 {
        match self.free.pop() {
            Some(id) => {
                self.entries[id as usize] = Some(make(id));
                id
            }
            None => {
                let id = self.entries.len() as u32;
                self.entries.push(Some(make(id)));
                id
            }
        }
    }
    fn get(&mut self, id: u32) -> Option<&mut T> {
        self.entries.get_mut(id as usize).and_then(Option::as_mut)
    }
    fn remove(&mut self, id: u32) -> Option<T> {
        let value = self.entries.get_mut(id as usize).and_then(Option::take);
        if value.is_some() {
            self.free.push(id);
        }
        value
    }
}

thread_local! {
    static TASKS: RefCell<Table<Task>> = const { RefCell::new(Table::new()) };
    /// Woken tasks, polled on the next microtask.
    static RUN_QUEUE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    static OUTCOMES: RefCell<Table<Outcome>> = const { RefCell::new(Table::new()) };
    /// The two JS functions, made on first use and kept for the life of the instance.
    static RUN: OnceCell<Closure<dyn FnMut()>> = const { OnceCell::new() };
    static SETTLED: OnceCell<Closure<dyn FnMut(u32, JsValue)>> = const { OnceCell::new() };
    /// The resolved promise whose `then` queues `RUN` (`later`), made on first use too.
    static RESOLVED: OnceCell<Thenable> = const { OnceCell::new() };
}

/// A task's waker: its number. `Send + Sync` as `Waker` requires, so no `unsafe` is needed.
struct TaskWaker(u32);

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        schedule(self.0);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        schedule(self.0);
    }
}

/// Runs `call` as a JS promise. Its first poll is on the next microtask, so a method's work never
/// runs inside the JS call that started it (tests/js/node/core.test.mjs holds this).
pub fn spawn(call: Call) -> Promise {
    let mut call = Some(call);
    Promise::new(&mut |resolve, reject| {
        let Some(future) = call.take() else { return };
        let id = TASKS.with(|t| {
            t.borrow_mut().insert(|id| Task { future: Some(future), resolve, reject, waker: Waker::from(Arc::new(TaskWaker(id))), queued: false })
        });
        schedule(id);
    })
}

fn schedule(id: u32) {
    let newly = TASKS.with(|t| match t.borrow_mut().get(id) {
        Some(task) if !task.queued => {
            task.queued = true;
            true
        }
        _ => false,
    });
    if !newly {
        return;
    }
    let first = RUN_QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        q.push(id);
        q.len() == 1
    });
    if first {
        RUN.with(|run| later(run.get_or_init(|| Closure::new(run_queue)).as_ref().unchecked_ref()));
    }
}

/// Queues `f` as a microtask: `resolved.then(f)`, not `queueMicrotask(f)`. In workerd the latter
/// is a call into its C++ API (a function wrapper and a global handle each time, about three per
/// call): without it a call's own cost there fell from 50.8 to 34.0 µs (bench/HISTORY.md,
/// fourteenth round). In Node it makes an `AsyncResource`. Both run `f` after the current JS job.
fn later(f: &Function) {
    RESOLVED.with(|resolved| resolved.get_or_init(|| Promise::resolve(&JsValue::UNDEFINED).unchecked_into()).then_call(f));
}

/// The microtask: polls every task woken so far. Tasks woken meanwhile go in a new queue and a
/// new microtask, so one busy task cannot hold the event loop.
fn run_queue() {
    let ids = RUN_QUEUE.with(|q| std::mem::take(&mut *q.borrow_mut()));
    for id in ids {
        poll(id);
    }
}

fn poll(id: u32) {
    // Taken out of the table while it runs: polling may spawn calls (an `onProgress` callback
    // calling the client) or wake tasks, which borrow the table.
    let Some((mut future, waker)) = TASKS.with(|t| {
        let mut tasks = t.borrow_mut();
        let task = tasks.get(id)?;
        task.queued = false;
        Some((task.future.take()?, task.waker.clone()))
    }) else {
        return;
    };
    let ready = future.as_mut().poll(&mut Context::from_waker(&waker));
    match ready {
        Poll::Pending => TASKS.with(|t| {
            if let Some(task) = t.borrow_mut().get(id) {
                task.future = Some(future);
            }
        }),
        Poll::Ready(result) => {
            drop(future); // what the call held goes before its promise settles
            if let Some(task) = TASKS.with(|t| t.borrow_mut().remove(id)) {
                let _ = match result {
                    Ok(value) => task.resolve.call1(&JsValue::UNDEFINED, &value),
                    Err(error) => task.reject.call1(&JsValue::UNDEFINED, &to_js_error(&error)),
                };
            }
        }
    }
}

/// A number for `transport.js` to hand an outcome back with (through [`with_settled`]'s
/// function), and the future of that outcome.
pub fn outcome() -> (u32, OutcomeFuture) {
    let id = OUTCOMES.with(|o| o.borrow_mut().insert(|_| Outcome::Awaited(None)));
    (id, OutcomeFuture { id, done: false })
}

/// Runs `send` with the function `transport.js` calls once per request: `settled(number, outcome)`.
pub fn with_settled<R>(send: impl FnOnce(&Function) -> R) -> R {
    SETTLED.with(|s| send(s.get_or_init(|| Closure::new(arrive)).as_ref().unchecked_ref()))
}

fn arrive(id: u32, value: JsValue) {
    let waker = OUTCOMES.with(|o| {
        let mut outcomes = o.borrow_mut();
        match outcomes.get(id) {
            Some(Outcome::Awaited(waker)) => {
                let waker = waker.take();
                if let Some(entry) = outcomes.get(id) {
                    *entry = Outcome::Arrived(value);
                }
                waker
            }
            Some(Outcome::Abandoned) => {
                outcomes.remove(id);
                None
            }
            // Arrived already, or unknown: transport.js settles each request once.
            _ => None,
        }
    });
    if let Some(waker) = waker {
        waker.wake();
    }
}

pub struct OutcomeFuture {
    id: u32,
    done: bool,
}

impl Future for OutcomeFuture {
    type Output = JsValue;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<JsValue> {
        let id = self.id;
        let arrived = OUTCOMES.with(|o| {
            let mut outcomes = o.borrow_mut();
            match outcomes.get(id) {
                Some(Outcome::Awaited(waker)) => {
                    *waker = Some(cx.waker().clone());
                    None
                }
                Some(Outcome::Arrived(_)) => match outcomes.remove(id) {
                    Some(Outcome::Arrived(value)) => Some(value),
                    _ => None,
                },
                _ => None,
            }
        });
        match arrived {
            Some(value) => {
                self.done = true;
                Poll::Ready(value)
            }
            None => Poll::Pending,
        }
    }
}

impl Drop for OutcomeFuture {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        OUTCOMES.with(|o| {
            let mut outcomes = o.borrow_mut();
            if matches!(outcomes.get(self.id), Some(Outcome::Arrived(_))) {
                outcomes.remove(self.id);
            } else if let Some(entry) = outcomes.get(self.id) {
                *entry = Outcome::Abandoned;
            }
        });
    }
}
