//! Test doubles for the core: a virtual clock, scripted HTTP, an abort at a set time.

use crate::host::{Aborted, Host};
use crate::http::{HttpRequest, HttpResponse, TransportError};
use crate::model::job::{Job, JobStatus};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs a future whose every await completes at once (the fakes never pend).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("a fake pended"),
    }
}

pub fn job(id: &str, status: &str, progress: f64) -> Job {
    Job {
        job_id: id.into(),
        job_type: Some("BACKUP".into()),
        status: JobStatus::parse(status),
        progress,
        start_time: None,
        end_time: None,
        reason: None,
    }
}

/// Fires once the virtual clock reaches `at`.
pub struct FakeSignal {
    at: f64,
}

impl FakeSignal {
    pub fn at(at: f64) -> Self {
        FakeSignal { at }
    }
}

type Reply = Box<dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError>>;

pub struct FakeHost {
    pub start: f64,
    now: Cell<f64>,
    random: f64,
    sleeps: RefCell<Vec<f64>>,
    replies: RefCell<VecDeque<Reply>>,
    pub sent: RefCell<Vec<(HttpRequest, f64)>>,
    /// Virtual time each request takes.
    pub latency_ms: Cell<f64>,
}

impl FakeHost {
    pub fn new(random: f64) -> Self {
        let start = 1_700_000_000_000.0;
        FakeHost {
            start,
            now: Cell::new(start),
            random,
            sleeps: RefCell::default(),
            replies: RefCell::default(),
            sent: RefCell::default(),
            latency_ms: Cell::new(0.0),
        }
    }

    /// Lets virtual time pass (as a request in flight would).
    pub fn sleep_for(&self, ms: f64) {
        self.now.set(self.now.get() + ms);
    }

    pub fn sleeps(&self) -> Vec<f64> {
        self.sleeps.borrow().clone()
    }

    pub fn reply(&self, f: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + 'static) -> &Self {
        self.replies.borrow_mut().push_back(Box::new(f));
        self
    }

    pub fn reply_status(&self, status: u16, body: &str) -> &Self {
        let body = body.to_owned();
        self.reply(move |_| Ok(HttpResponse { status, body: body.clone(), request_id: Some("req-fake".into()), retry_after: None }))
    }

    pub fn reply_with_retry_after(&self, status: u16, retry_after: &str) -> &Self {
        let retry_after = retry_after.to_owned();
        self.reply(move |_| Ok(HttpResponse { status, body: String::new(), request_id: None, retry_after: Some(retry_after.clone()) }))
    }

    pub fn reply_error(&self, e: TransportError) -> &Self {
        self.reply(move |_| Err(e.clone()))
    }
}

impl Host for FakeHost {
    type Signal = FakeSignal;

    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn random(&self) -> f64 {
        self.random
    }
    fn is_aborted(&self, signal: &FakeSignal) -> bool {
        self.now.get() >= signal.at
    }
    async fn sleep(&self, ms: f64, signal: Option<&FakeSignal>) -> Result<(), Aborted> {
        assert!(ms >= 0.0 && ms.is_finite(), "bad sleep {ms}");
        self.sleeps.borrow_mut().push(ms);
        let wake = self.now.get() + ms;
        match signal {
            Some(s) if s.at <= wake => {
                self.now.set(self.now.get().max(s.at));
                Err(Aborted)
            }
            _ => {
                self.now.set(wake);
                Ok(())
            }
        }
    }
    async fn send(&self, request: &HttpRequest, timeout_ms: f64, signal: Option<&FakeSignal>) -> Result<HttpResponse, TransportError> {
        if signal.is_some_and(|s| self.is_aborted(s)) {
            return Err(TransportError::Aborted);
        }
        self.sent.borrow_mut().push((request.clone(), timeout_ms));
        let reply = self.replies.borrow_mut().pop_front().expect("an unexpected request was sent");
        let latency = self.latency_ms.get();
        if latency > timeout_ms {
            self.now.set(self.now.get() + timeout_ms);
            return Err(TransportError::Timeout);
        }
        self.now.set(self.now.get() + latency);
        reply(request)
    }
}
