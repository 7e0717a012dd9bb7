//! A local emulator of the Zilliz Cloud v2 control-plane API (backups and jobs) for tests, with
//! scripted faults and a test-only control API under `/__emulator/`. See README.md.
//!
//! ```no_run
//! # fn main() -> std::io::Result<()> {
//! let emulator = zilliz_cloud_emulator::EmulatorHandle::start(Default::default())?;
//! println!("{}", emulator.base_url()); // shuts down when `emulator` is dropped
//! # Ok(()) }
//! ```

pub mod clock;
pub mod config;
pub mod envelope;
pub mod faults;
pub mod http;
pub mod routes;
pub mod state;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::net::TcpListener;
use tokio::task::JoinSet;

pub use config::Config;
use faults::Fault;
use http::{Reply, Request, Response};
use state::{LoggedRequest, RuntimeConfig, State};

/// Shared by every connection: the state behind its single lock, and request-id generation (lock-free).
pub struct App {
    state: Mutex<State>,
    request_seq: AtomicU64,
    request_salt: u64,
}

impl App {
    pub fn new(config: &Config) -> Self {
        let mut state = State::new(RuntimeConfig::new(
            config.api_key.clone(),
            config.job_duration_ms,
        ));
        let request_salt = state.rng.next_u64();
        App {
            state: Mutex::new(state),
            request_seq: AtomicU64::new(0),
            request_salt,
        }
    }

    /// The one lock. A panic in a handler must not wedge every later request, so poisoning is ignored.
    /// Jobs that have succeeded since the last request have their effects applied here.
    fn lock(&self) -> MutexGuard<'_, State> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.settle();
        state
    }

    /// Unique per response: a per-process salt plus a scrambled counter (a bijection, so no repeats).
    fn next_request_id(&self) -> String {
        let n = self.request_seq.fetch_add(1, Ordering::Relaxed);
        let mut z = (n ^ self.request_salt).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z ^= z >> 29;
        format!("{:016x}{:016x}", self.request_salt, z)
    }

    /// Entry point for every request: route, then add the headers every response carries.
    pub async fn handle(&self, req: Request) -> Reply {
        let origin = req.header("origin").map(str::to_owned);
        let reply = self.dispatch(req).await;
        let request_id = self.next_request_id();
        let decorate = |mut r: Response| {
            r.default_header("RequestId", request_id.clone());
            cors(&mut r, origin.as_deref());
            r
        };
        match reply {
            Reply::Send(r) => Reply::Send(decorate(r)),
            Reply::Truncate(r) => Reply::Truncate(decorate(r)),
            Reply::Drop => Reply::Drop,
        }
    }

    async fn dispatch(&self, req: Request) -> Reply {
        let is_api = req.path.starts_with("/v2/");
        if is_api {
            return self.dispatch_api(req).await;
        }
        if req.method == "OPTIONS" {
            return Reply::Send(preflight(&req));
        }
        if req.path.starts_with("/__emulator/") {
            return Reply::Send(routes::control::handle(&mut self.lock(), &req));
        }
        let e = envelope::ApiError::not_found(&req.path);
        Reply::Send(e.to_response())
    }

    /// `/v2/`: log, pick a fault (if any), run the handler before/after it as the rule says.
    async fn dispatch_api(&self, req: Request) -> Reply {
        let fault = {
            let mut state = self.lock();
            let at_ms = state.now_ms();
            state.log_request(LoggedRequest {
                method: req.method.clone(),
                path: req.path.clone(),
                query: req.query.clone(),
                authorization: req.header("authorization").map(str::to_owned),
                body: String::from_utf8_lossy(&req.body).into_owned(),
                at_ms,
            });
            state.count_request(&routes::endpoint(&req.method, &req.path));
            // Scripted rules first; then, when configured, a random fault.
            let wall_ms = state.clock.wall_ms(at_ms);
            faults::take_matching(&mut state.faults, &req.method, &req.path)
                .or_else(|| state.random_faults.as_mut()?.draw(&req.method, wall_ms))
        };
        // The lock is released above: a delay must never sleep while holding it.
        let real = |app: &App| -> Response {
            if req.method == "OPTIONS" {
                preflight(&req)
            } else {
                routes::api(&mut app.lock(), &req)
            }
        };
        match fault {
            None => Reply::Send(real(self)),
            Some((after, Fault::Delay { ms })) => {
                let resp = if after { Some(real(self)) } else { None };
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                Reply::Send(resp.unwrap_or_else(|| real(self)))
            }
            Some((true, fault)) => {
                let resp = real(self);
                faults::render(&fault, Some(resp))
            }
            Some((false, fault)) => faults::render(&fault, None),
        }
    }
}

/// `Access-Control-Allow-Origin` (the Origin echoed, or `*`) and the exposed headers, on every response.
fn cors(resp: &mut Response, origin: Option<&str>) {
    match origin {
        Some(o) => {
            resp.default_header("Access-Control-Allow-Origin", o);
            resp.default_header("Vary", "Origin");
        }
        None => resp.default_header("Access-Control-Allow-Origin", "*"),
    }
    resp.default_header("Access-Control-Expose-Headers", "RequestId, Retry-After");
}

/// Answers a CORS preflight on any path.
fn preflight(req: &Request) -> Response {
    let mut resp = Response::empty(204);
    resp.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    let allow_headers = req
        .header("access-control-request-headers")
        .filter(|h| !h.trim().is_empty())
        .unwrap_or("Authorization, Content-Type, Accept");
    resp.set_header("Access-Control-Allow-Headers", allow_headers);
    resp.set_header("Access-Control-Max-Age", "600");
    resp
}

/// Serves until `shutdown` completes; open connections are closed then too.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let app = Arc::new(App::new(&config));
    let handler = {
        let app = Arc::clone(&app);
        Arc::new(move |req: Request| {
            let app = Arc::clone(&app);
            async move { app.handle(req).await }
        })
    };
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(http::serve_connection(stream, Arc::clone(&handler)));
                }
                // Transient accept errors (e.g. too many open files) must not stop the server.
                Err(e) => {
                    eprintln!("zilliz-cloud-emulator: accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
    Ok(())
}

/// An emulator running on its own thread and runtime; it stops when dropped. Meant for Rust tests.
pub struct EmulatorHandle {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl EmulatorHandle {
    /// Binds `config.host:config.port` (port 0 = any free port) and starts serving.
    pub fn start(config: Config) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind((config.host.as_str(), config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("zilliz-cloud-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("listener from std");
                    let _ = serve(listener, config, async {
                        let _ = stopped.await;
                    })
                    .await;
                });
            })?;
        Ok(EmulatorHandle {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
