//! The backup client: one short function per endpoint (each a `Call`, see `endpoints`), on top
//! of one request loop.
//!
//! `call_value` is the only place a request is sent: URL, the `Authorization` header (the only
//! use of the config's header sets), the per-request timeout (cut to a wait's deadline), the retry policy
//! (`retry`), and the decoding of the envelope (`model::envelope`).

use crate::config::ClientConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::host::Host;
use crate::endpoints::{Call, DEFAULT_PAGE_SIZE};
use crate::http::{HttpRequest, TransportError};
use crate::limiter::Limiter;
use crate::model::backup::{Backup, BackupPage, CreateBackupRequest, CreatedBackup, DeletedBackup, ListBackupsQuery};
use crate::model::export::ExportInput;
use crate::model::policy::{Policy, PolicyInput, PolicyStatus};
use crate::model::restore::{RestoreClusterInput, RestoreCollectionInput, RestoredCluster, StartedJob};
use crate::model::envelope;
use crate::model::job::Job;
use crate::retry::{self, Operation};
use crate::waiter::{self, ProgressInfo, Step, WaitPolicy, WaitState};
use crate::text::cat;
use std::future::Future;

/// Called with each new state of what a wait follows.
pub type OnProgress<'a, T> = dyn FnMut(&T, &ProgressInfo) + 'a;
/// Given a call's `data` and the response's request id, while the body they borrow is alive.
pub type UseData<'a> = dyn FnMut(&Value, Option<&str>) -> Result<()> + 'a;
use crate::json::{FromJson, Value};

pub struct Client<H: Host> {
    host: H,
    config: ClientConfig,
    /// Shared by every call and wait on this client (see `limiter`).
    limiter: Limiter,
}

impl<H: Host> Client<H> {
    pub fn new(host: H, config: ClientConfig) -> Self {
        let limiter = Limiter::new(config.requests_per_second);
        Client { host, config, limiter }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Starts a backup. Sent once; re-sent only after a 429 (see `retry`).
    pub async fn create_backup(&self, cluster_id: &str, request: &CreateBackupRequest, signal: Option<&H::Signal>) -> Result<CreatedBackup> {
        self.send(&Call::create_backup(cluster_id, request)?, signal).await
    }

    /// One page of backups, and the page to ask for next (`None` after the last).
    pub async fn list_backups(&self, query: &ListBackupsQuery, signal: Option<&H::Signal>) -> Result<(BackupPage, Option<u32>)> {
        let page: BackupPage = self.send(&Call::list_backups(query)?, signal).await?;
        let requested_page = query.current_page.map_or(1, |p| p as u32);
        let requested_size = query.page_size.map_or(DEFAULT_PAGE_SIZE, |s| s as u32);
        let next = page.next_page(requested_page, requested_size);
        Ok((page, next))
    }

    pub async fn describe_backup(&self, cluster_id: &str, backup_id: &str, signal: Option<&H::Signal>) -> Result<Backup> {
        self.send(&Call::describe_backup(cluster_id, backup_id)?, signal).await
    }

    pub async fn delete_backup(&self, cluster_id: &str, backup_id: &str, signal: Option<&H::Signal>) -> Result<DeletedBackup> {
        self.send(&Call::delete_backup(cluster_id, backup_id)?, signal).await
    }

    /// Restores a CLUSTER backup into a new cluster. The result holds the new cluster's password,
    /// shown only once.
    pub async fn restore_cluster(&self, cluster_id: &str, backup_id: &str, input: &RestoreClusterInput, signal: Option<&H::Signal>) -> Result<RestoredCluster> {
        self.send(&Call::restore_cluster(cluster_id, backup_id, input)?, signal).await
    }

    pub async fn restore_collection(&self, cluster_id: &str, backup_id: &str, input: &RestoreCollectionInput, signal: Option<&H::Signal>) -> Result<StartedJob> {
        self.send(&Call::restore_collection(cluster_id, backup_id, input)?, signal).await
    }

    pub async fn export_backup(&self, cluster_id: &str, backup_id: &str, input: &ExportInput, signal: Option<&H::Signal>) -> Result<StartedJob> {
        self.send(&Call::export_backup(cluster_id, backup_id, input)?, signal).await
    }

    pub async fn get_backup_policy(&self, cluster_id: &str, signal: Option<&H::Signal>) -> Result<Policy> {
        self.send(&Call::get_backup_policy(cluster_id)?, signal).await
    }

    /// Enabling also starts one backup at once (the server does), so it is a write.
    pub async fn set_backup_policy(&self, cluster_id: &str, input: &PolicyInput, signal: Option<&H::Signal>) -> Result<PolicyStatus> {
        self.send(&Call::set_backup_policy(cluster_id, input)?, signal).await
    }

    /// Polls the backup until AVAILABLE (Ok), DELETED (`JobFailed`), the deadline, or the signal.
    /// An `async` block, as `wait_for_job` is.
    #[allow(clippy::manual_async_fn)] // an `async fn` keeps a second copy of its arguments
    pub fn wait_for_backup<'a>(
        &'a self,
        cluster_id: &'a str,
        backup_id: &'a str,
        policy: &'a WaitPolicy,
        signal: Option<&'a H::Signal>,
        on_progress: &'a mut OnProgress<'a, Backup>,
    ) -> impl Future<Output = Result<Backup>> + 'a {
        async move {
            let call = Call::describe_backup(cluster_id, backup_id)?;
            let mut state = WaitState::new(policy, self.host.now_ms());
            let until = state.deadline;
            // Not boxed: a poll is small until its slot is granted (then its request is boxed: `call`).
            let poll = |deadline: f64, priority: f64| self.call(&call, signal, Some((deadline, priority)));
            match waiter::run(&self.host, &mut state, until, signal, backup_id, poll, on_progress).await {
                Ok(Step::Done(backup)) => Ok(backup),
                Ok(Step::Paused) => unreachable!("a wait whose budget is its deadline never pauses"),
                Err(e) => Err(e.for_backup(backup_id)),
            }
        }
    }

    pub(crate) fn host(&self) -> &H {
        &self.host
    }

    pub async fn describe_job(&self, job_id: &str, signal: Option<&H::Signal>) -> Result<Job> {
        self.send(&Call::describe_job(job_id)?, signal).await
    }

    /// Polls the job until SUCCESSFUL (Ok) or FAILED (`JobFailed`), the deadline, or the signal.
    ///
    /// This and `wait_for_job_step` are `async` blocks, not `async fn`s, as `waiter::run` is:
    /// thousands of waits can be alive at once, and an `async fn` keeps a second copy of its
    /// arguments in its future.
    #[allow(clippy::manual_async_fn)] // an `async fn` keeps a second copy of its arguments
    pub fn wait_for_job<'a>(&'a self, job_id: &'a str, policy: &'a WaitPolicy, signal: Option<&'a H::Signal>, on_progress: &'a mut OnProgress<'a, Job>) -> impl Future<Output = Result<Job>> + 'a {
        async move {
            let mut state = WaitState::new(policy, self.host.now_ms());
            let until = state.deadline;
            match self.wait_for_job_step(job_id, &mut state, until, signal, on_progress).await? {
                Step::Done(job) => Ok(job),
                Step::Paused => unreachable!("a wait whose budget is its deadline never pauses"),
            }
        }
    }

    /// Polls the job from `state` until it ends or the next poll falls after `until`
    /// (`Step::Paused`: `state` then says where to continue). Errors carry the job id.
    #[allow(clippy::manual_async_fn)] // an `async fn` keeps a second copy of its arguments
    pub fn wait_for_job_step<'a>(
        &'a self,
        job_id: &'a str,
        state: &'a mut WaitState<Job>,
        until: f64,
        signal: Option<&'a H::Signal>,
        on_progress: &'a mut OnProgress<'a, Job>,
    ) -> impl Future<Output = Result<Step<Job>>> + 'a {
        async move {
            let call = Call::describe_job(job_id)?;
            state.check()?;
            // Not boxed: a poll is small until its slot is granted (then its request is boxed: `call`).
            let poll = |deadline: f64, priority: f64| self.call(&call, signal, Some((deadline, priority)));
            let result = waiter::run(&self.host, state, until, signal, job_id, poll, on_progress).await;
            result.map_err(|mut e| {
                e.job_id.get_or_insert_with(|| job_id.to_owned());
                if e.job.is_none() {
                    e.job = state.last.clone();
                }
                e
            })
        }
    }

    /// Creates a backup and follows its job. A failure after the create carries the backup and
    /// job ids, so the caller never loses track of a backup it started.
    pub async fn create_backup_and_wait(
        &self,
        cluster_id: &str,
        request: &CreateBackupRequest,
        policy: &WaitPolicy,
        signal: Option<&H::Signal>,
        on_progress: &mut OnProgress<'_, Job>,
    ) -> Result<(CreatedBackup, Job)> {
        let created = self.create_backup(cluster_id, request, signal).await?;
        match self.wait_for_job(&created.job_id, policy, signal, on_progress).await {
            Ok(job) => Ok((created, job)),
            Err(e) => Err(e.for_backup(&created.backup_id)),
        }
    }

    /// One call decoded as `T`.
    pub async fn send<T: FromJson>(&self, call: &Call, signal: Option<&H::Signal>) -> Result<T> {
        self.call(call, signal, None).await
    }

    /// One call, its `data` handed to `use_data` (with the response's request id) while the
    /// body it borrows from is alive: one async path for every endpoint (the JS surface turns
    /// the simple ones into results itself).
    pub async fn send_value(&self, call: &Call, signal: Option<&H::Signal>, use_data: &mut UseData<'_>) -> Result<()> {
        self.call_value(call, signal, None, use_data).await
    }

    /// One call decoded as `T`: a thin generic shell over the request loop (`attempts`).
    /// An `async` block, as `waiter::run` is: a wait's poll is inside every queued wait.
    #[allow(clippy::manual_async_fn)] // an `async fn` keeps a second copy of its arguments
    fn call<'a, T: FromJson + 'a>(&'a self, call: &'a Call, signal: Option<&'a H::Signal>, wait: Option<(f64, f64)>) -> impl Future<Output = Result<T>> + 'a {
        async move {
            // Bound first: `take_slot(..)?.await` kept the `Result` beside the future.
            let acquire = self.take_slot(call, wait, signal)?;
            let slot = acquire.await?;
            Box::pin(self.decoded(call, signal, wait, slot)).await
        }
    }

    /// The boxed part of `call`: the request loop, its result decoded as `T`.
    async fn decoded<'s, T: FromJson>(&'s self, call: &Call, signal: Option<&H::Signal>, wait: Option<(f64, f64)>, slot: crate::limiter::Slot<'s>) -> Result<T> {
        let mut decoded = None;
        self.attempts(call, signal, wait, slot, &mut |data, request_id| {
            decoded = Some(envelope::decode_data(data, 200, request_id)?);
            Ok(())
        })
        .await?;
        decoded.ok_or_else(not_decoded)
    }

    /// Sends the request (retrying as the policy allows) and hands the envelope's `data` and
    /// the response's request id to `use_data`, whose error is final (a response that was
    /// answered but cannot be read is not sent again). `wait` is `(deadline, priority)` for a
    /// wait's polls: the timeout is cut to the deadline, and the priority orders the limiter's
    /// queue.
    ///
    /// Both this and `call` wait for their first slot before anything else lives in their
    /// future, and box the rest: a call queued behind the limiter — most of a fleet's waits,
    /// most of the time, as 10,000 waits want far more than 20 polls a second — is then a small
    /// future (the limiter's hand-written `Acquire`, its endpoint an index), and room for the
    /// request in flight, its retries and the decoding is taken once the slot is granted.
    /// Fleet bench, BENCHMARKS.md.
    async fn call_value(&self, call: &Call, signal: Option<&H::Signal>, wait: Option<(f64, f64)>, use_data: &mut UseData<'_>) -> Result<()> {
        let acquire = self.take_slot(call, wait, signal)?;
        let slot = acquire.await?;
        Box::pin(self.attempts(call, signal, wait, slot, use_data)).await
    }

    /// Joins the limiter's line for the call's next attempt (the signal is checked first).
    fn take_slot<'s>(&'s self, call: &Call, wait: Option<(f64, f64)>, signal: Option<&'s H::Signal>) -> Result<crate::limiter::Acquire<'s, 's, H>> {
        if signal.is_some_and(|s| self.host.is_aborted(s)) {
            return Err(aborted());
        }
        let priority = wait.map_or_else(|| self.host.now_ms(), |(_, priority)| priority);
        Ok(self.limiter.acquire(&self.host, call.endpoint, priority, signal))
    }

    /// A call's attempts: the first with the slot already taken, each retry with a new one.
    async fn attempts<'s>(
        &'s self,
        call: &Call,
        signal: Option<&H::Signal>,
        wait: Option<(f64, f64)>,
        first_slot: crate::limiter::Slot<'s>,
        use_data: &mut UseData<'_>,
    ) -> Result<()> {
        let op = call.op;
        let deadline = wait.map(|(deadline, _)| deadline);
        let headers = self.config.request_headers(call.body.is_some());
        let url = crate::endpoints::join(&[&self.config.base_url, &call.path]);
        let request = HttpRequest { method: call.method, url, headers, body: call.body.clone() };

        let mut held = first_slot;
        let mut retries_done = 0;
        loop {
            let now = self.host.now_ms();
            let timeout_ms = match deadline {
                Some(d) => self.config.timeout_ms.min(d - now),
                None => self.config.timeout_ms,
            };
            if timeout_ms <= 0.0 {
                return Err(transport_error(&request, TransportError::Timeout, 0.0, op));
            }
            let sent = self.host.send(&request, timeout_ms, signal).await;
            held.answered(self.host.now_ms());
            let error = match sent {
                Ok(response) => match envelope::open(&response) {
                    Ok(data) => return use_data(&data, response.request_id.as_deref()),
                    Err(mut e) => {
                        e.retry_after_ms = response.retry_after.as_deref().and_then(|v| retry::parse_retry_after(v, self.host.now_ms()));
                        e
                    }
                },
                Err(e) => transport_error(&request, e, timeout_ms, op),
            };
            if error.kind == ErrorKind::Aborted {
                return Err(error);
            }
            let delay = retry::delay_before_retry(&error, op, retries_done, self.config.max_retries, self.host.random())
                .filter(|delay| deadline.is_none_or(|d| self.host.now_ms() + delay < d));
            match delay {
                Some(delay) => {
                    self.host.sleep(delay, signal).await?;
                    retries_done += 1;
                    let acquire = self.take_slot(call, wait, signal)?;
                    held = acquire.await?;
                }
                None => return Err(settle(error, op, retries_done)),
            }
        }
    }
}

#[cold]
fn aborted() -> Error {
    Error::new(ErrorKind::Aborted, "the operation was aborted")
}

/// A call ended without handing its `data` over (it always does on success): a protocol error
/// rather than a panic. Shared with the JS surface's own decoding paths.
#[cold]
pub(crate) fn not_decoded() -> Error {
    Error::new(ErrorKind::Protocol, "the response was not decoded")
}

/// The limiter's or a sleep's abort, as the call's error.
impl From<crate::host::Aborted> for Error {
    fn from(_: crate::host::Aborted) -> Error {
        aborted()
    }
}

#[cold]
#[inline(never)]
fn transport_error(request: &HttpRequest, e: TransportError, timeout_ms: f64, op: Operation) -> Error {
    let (method, url) = (request.method.as_str(), request.url.as_str());
    match e {
        TransportError::Aborted => aborted(),
        TransportError::Timeout => {
            let within = crate::json::number_text(timeout_ms);
            Error::new(ErrorKind::Network, cat(&["no response from Zilliz Cloud within ", &within, " ms (", method, " ", url, ")"]))
        }
        TransportError::Network(cause) => Error::new(ErrorKind::Network, cat(&["could not reach Zilliz Cloud (", method, " ", url, "): ", &cause])),
    }
    .retryable(op == Operation::Read)
}

/// Whether a failed write may still have taken effect on the server.
pub fn is_ambiguous(e: &Error) -> bool {
    matches!(e.kind, ErrorKind::Server | ErrorKind::Network | ErrorKind::Protocol)
}

/// The final word on an error that will not be retried (any more).
#[cold]
#[inline(never)]
fn settle(mut e: Error, op: Operation, retries_done: u32) -> Error {
    // A write that failed in a way the server may have acted on: say so, and make sure nobody
    // retries it blindly (a second create could start a second backup).
    if let Operation::Write(effect) = op {
        if is_ambiguous(&e) {
            e.retryable = false;
            e.message.push_str(&cat(&[". ", &effect[..1].to_ascii_uppercase(), &effect[1..], " anyway: check before trying again"]));
        }
    }
    if retries_done > 0 {
        e.message.push_str(&cat(&[" (after ", &crate::text::int(retries_done as usize), " retries)"]));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClientOptions;
    use crate::http::Method;
    use crate::test_support::{block_on, FakeHost, FakeSignal};

    const KEY: &str = "sk-LEAKCHECK-0123456789";
    const JOB: &str = r#"{"code":0,"data":{"jobId":"job-1","type":"BACKUP","status":"IN_PROGRESS","progress":"40"}}"#;
    const CREATED: &str = r#"{"code":0,"data":{"backupId":"backup1_a","backupName":"Dedicated-01_backup1","jobId":"job-1"}}"#;

    fn client(max_retries: f64) -> Client<FakeHost> {
        let config = ClientConfig::new(ClientOptions {
            token: Some(KEY.into()),
            base_url: Some("http://127.0.0.1:9".into()),
            max_retries: Some(max_retries),
            headers: vec![("X-Trace".into(), "t1".into())],
            ..Default::default()
        })
        .unwrap();
        Client::new(FakeHost::new(0.5), config)
    }

    fn cluster() -> CreateBackupRequest {
        CreateBackupRequest { backup_type: "CLUSTER".into(), db_collections: None, cross_region_copies: None }
    }

    fn no_leak(e: &Error) {
        assert!(!format!("{e:?}").contains(KEY), "the key leaked: {e:?}");
    }

    #[test]
    fn create_sends_the_documented_request() {
        let c = client(3.0);
        c.host.reply_status(200, CREATED);
        let b = block_on(c.create_backup("in01-abc", &cluster(), None)).unwrap();
        assert_eq!(b.job_id, "job-1");
        let sent = c.host.sent.borrow();
        let (req, timeout) = &sent[0];
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "http://127.0.0.1:9/v2/clusters/in01-abc/backups/create");
        assert_eq!(req.body.as_deref(), Some(r#"{"backupType":"CLUSTER"}"#));
        assert!(req.headers.contains(&("Authorization".into(), format!("Bearer {KEY}"))));
        assert!(req.headers.contains(&("Content-Type".into(), "application/json".into())));
        assert!(req.headers.contains(&("X-Trace".into(), "t1".into())));
        assert_eq!(*timeout, 30_000.0);
    }

    #[test]
    fn bad_input_sends_nothing() {
        let c = client(3.0);
        let e = block_on(c.create_backup("in01/../x", &cluster(), None)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        let mut bad = cluster();
        bad.backup_type = "EVERYTHING".into();
        assert_eq!(block_on(c.create_backup("in01-a", &bad, None)).unwrap_err().kind, ErrorKind::InvalidInput);
        assert_eq!(block_on(c.describe_job("job 1", None)).unwrap_err().kind, ErrorKind::InvalidInput);
        assert!(c.host.sent.borrow().is_empty());
    }

    #[test]
    fn reads_retry_5xx_and_network_errors_then_succeed() {
        let c = client(3.0);
        c.host.reply_status(503, "").reply_error(TransportError::Network("reset".into())).reply_error(TransportError::Timeout);
        c.host.reply_status(200, JOB);
        let j = block_on(c.describe_job("job-1", None)).unwrap();
        assert_eq!(j.progress, 40.0);
        assert_eq!(c.host.sent.borrow().len(), 4);
        // Equal jitter at random 0.5: 187.5, 375, 750.
        assert_eq!(c.host.sleeps(), vec![187.5, 375.0, 750.0]);
    }

    #[test]
    fn reads_give_up_after_max_retries() {
        let c = client(2.0);
        for _ in 0..3 {
            c.host.reply_status(502, "<html>bad gateway</html>");
        }
        let e = block_on(c.describe_job("job-1", None)).unwrap_err();
        assert_eq!((e.kind, e.retryable, e.http_status), (ErrorKind::Server, true, Some(502)));
        assert!(e.message.contains("after 2 retries"), "{}", e.message);
        assert_eq!(c.host.sent.borrow().len(), 3);
    }

    #[test]
    fn retry_after_is_honoured() {
        let c = client(3.0);
        c.host.reply_with_retry_after(429, "3");
        c.host.reply_status(200, JOB);
        block_on(c.describe_job("job-1", None)).unwrap();
        assert_eq!(c.host.sleeps(), vec![3000.0]);
    }

    #[test]
    fn a_retry_after_too_long_is_returned_not_waited() {
        let c = client(3.0);
        c.host.reply_with_retry_after(429, "3600");
        let e = block_on(c.describe_job("job-1", None)).unwrap_err();
        assert_eq!((e.kind, e.retryable, e.retry_after_ms), (ErrorKind::RateLimited, true, Some(3_600_000.0)));
        assert!(c.host.sleeps().is_empty());
    }

    #[test]
    fn create_is_resent_after_429_only() {
        let c = client(3.0);
        c.host.reply_with_retry_after(429, "1");
        c.host.reply_status(200, CREATED);
        assert!(block_on(c.create_backup("in01-a", &cluster(), None)).is_ok());
        assert_eq!(c.host.sent.borrow().len(), 2);

        for failure in [
            Box::new(|h: &FakeHost| { h.reply_status(500, ""); }) as Box<dyn Fn(&FakeHost)>,
            Box::new(|h: &FakeHost| { h.reply_error(TransportError::Network("socket hang up".into())); }),
            Box::new(|h: &FakeHost| { h.reply_error(TransportError::Timeout); }),
            Box::new(|h: &FakeHost| { h.reply_status(200, "{\"code\":0,\"data\":{\"backupI"); }),
        ] {
            let c = client(3.0);
            failure(&c.host);
            let e = block_on(c.create_backup("in01-a", &cluster(), None)).unwrap_err();
            assert!(!e.retryable, "{e:?}");
            assert!(e.message.contains("may have been created"), "{}", e.message);
            assert_eq!(c.host.sent.borrow().len(), 1, "never re-sent: {}", e.message);
            no_leak(&e);
        }
    }

    #[test]
    fn unauthorized_is_not_retried_and_does_not_leak_the_key() {
        let c = client(3.0);
        c.host.reply_status(401, r#"{"code":21119,"message":"The apikey is illegal"}"#);
        let e = block_on(c.describe_job("job-1", None)).unwrap_err();
        assert_eq!((e.kind, e.code, e.retryable), (ErrorKind::Unauthorized, Some(21119), false));
        assert_eq!(c.host.sent.borrow().len(), 1);
        no_leak(&e);
    }

    #[test]
    fn wait_cuts_request_timeouts_and_retries_to_the_deadline() {
        let c = client(3.0);
        c.host.latency_ms.set(50_000.0);
        c.host.reply_status(200, JOB);
        let policy = WaitPolicy::new(crate::waiter::WaitOptions { timeout_ms: Some(20_000.0), ..Default::default() }).unwrap();
        let e = block_on(c.wait_for_job("job-1", &policy, None, &mut |_, _| {})).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout);
        assert_eq!(e.job_id.as_deref(), Some("job-1"));
        assert_eq!(c.host.sent.borrow()[0].1, 20_000.0, "the request timeout is cut to the time left");
        assert_eq!(c.host.now_ms() - c.host.start, 20_000.0);
    }

    #[test]
    fn create_and_wait_failures_keep_both_ids() {
        let c = client(0.0);
        c.host.reply_status(200, CREATED).reply_status(503, "");
        let e = block_on(c.create_backup_and_wait("in01-a", &cluster(), &WaitPolicy::default(), None, &mut |_, _| {})).unwrap_err();
        assert_eq!((e.kind, e.job_id.as_deref(), e.backup_id.as_deref()), (ErrorKind::Server, Some("job-1"), Some("backup1_a")));
    }

    #[test]
    fn abort_stops_retries() {
        let c = client(3.0);
        c.host.reply_status(503, "");
        let signal = FakeSignal::at(c.host.start + 100.0);
        let e = block_on(c.describe_job("job-1", Some(&signal))).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Aborted);
        assert_eq!(c.host.sent.borrow().len(), 1);
    }
}

#[cfg(test)]
mod future_sizes {
    use super::*;
    use crate::config::ClientOptions;
    use crate::test_support::FakeHost;

    /// Thousands of waits can be alive at once (BENCHMARKS.md, fleet): each holds its future,
    /// asleep between polls or in the limiter's line. A request in flight lives in its own box.
    #[test]
    fn a_waiting_wait_holds_little_memory() {
        let config = ClientConfig::new(ClientOptions { token: Some("k".into()), ..Default::default() }).unwrap();
        let c = Client::new(FakeHost::new(0.5), config);
        let policy = WaitPolicy::default();
        let mut report = |_: &Job, _: &ProgressInfo| {};
        let wait = c.wait_for_job("job-1", &policy, None, &mut report);
        // 64-bit here: 664 bytes, 408 in wasm32, a poll waiting in the limiter's line included.
        // It was 1,312 before the request in flight was boxed, and 712 plus a 696-byte box per
        // queued poll before the poll waited for its slot first and the `async fn`s became
        // `async` blocks (an `async fn` keeps a second copy of its arguments).
        assert!(std::mem::size_of_val(&wait) <= 720, "{} bytes", std::mem::size_of_val(&wait));
    }
}
