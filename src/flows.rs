//! Creating a backup so that it is never lost and never duplicated.
//!
//! **Busy cluster.** Only one manual backup job may run per cluster (and none while an automatic
//! one runs). When the create is refused with an API error and the backups list shows a
//! CREATING backup on the cluster, the cluster is busy: with `whenBusy: "fail"` (default) the
//! error says so (and names the running backup); with `"wait"` the client waits for that backup
//! to finish and creates again (the server refused, so re-sending is safe).
//!
//! **Ambiguous failure.** After a 5xx, a network error or a timeout the request may have
//! reached the server. So before sending, the client notes the ids of the cluster's latest
//! MANUAL backups of the same type (one list request). After an ambiguous failure it pauses (the
//! server may still be working on the request), lists again, and takes the newest backup that
//! was not there before and was created since the request started (less a clock-skew
//! allowance). Found: that is our backup, returned with `reconciled: true` and `jobId: null`
//! (the list does not say which job builds it; `createBackupAndWait` then follows the backup's
//! status instead). Not found: the server did not act, so the request is sent once more. If the
//! list before sending fails, its error is returned and nothing is sent; if the list after a
//! failure fails, the original error goes back (`retryable: false`, "may have been created").
//! Why the ids and not only the time: `createTime` has whole seconds and the server's clock is
//! not ours, so a backup made moments before ours would otherwise pass for ours (found by the
//! soak test). Limit: a backup someone else starts between our two lists could be taken for
//! ours; the one-job-per-cluster rule makes that unlikely, and the result says `reconciled`.

use crate::client::{is_ambiguous, Client, OnProgress};
use crate::error::{Error, ErrorKind, Result};
use crate::host::Host;
use crate::model::backup::{Backup, BackupStatus, CreateBackupRequest, ListBackupsQuery};
use crate::model::job::Job;
use crate::waiter::WaitPolicy;
use crate::json::{Obj, ToJson};
use crate::text::cat;

/// Pause before looking for the backup an ambiguous create may have made.
pub const RECONCILE_DELAY_MS: f64 = 2_000.0;
/// How many times the check after an ambiguous failure is tried before giving up.
pub const RECONCILE_ATTEMPTS: u32 = 3;
/// How far the server's clock may be behind ours.
pub const CLOCK_SKEW_MS: f64 = 30_000.0;
/// How many running backups a `whenBusy: "wait"` create waits out before giving up.
pub const MAX_BUSY_WAITS: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WhenBusy {
    #[default]
    Fail,
    Wait,
}

/// How a create treats a busy cluster and an ambiguous failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreateHow {
    pub when_busy: WhenBusy,
    /// Look for the backup after an ambiguous failure (default). Off: such a failure is
    /// returned as it is (`retryable: false`, "may have been created").
    pub reconcile: bool,
}

impl Default for CreateHow {
    fn default() -> Self {
        CreateHow { when_busy: WhenBusy::Fail, reconcile: true }
    }
}

/// What a create returns: `job_id` is `None` only when the backup was found by reconciling.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateOutcome {
    pub backup_id: String,
    pub backup_name: Option<String>,
    pub job_id: Option<String>,
    pub reconciled: bool,
}

/// How a create-and-wait ended: the job when its id is known, else the backup's final state.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedAndDone {
    pub backup_id: String,
    pub backup_name: Option<String>,
    pub job_id: Option<String>,
    pub reconciled: bool,
    pub job: Option<Job>,
    pub backup: Option<Backup>,
}

impl ToJson for CreateOutcome {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("backupId", &self.backup_id).field("backupName", &self.backup_name).field("jobId", &self.job_id).field("reconciled", &self.reconciled);
        });
    }
}

impl ToJson for CreatedAndDone {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("backupId", &self.backup_id)
                .field("backupName", &self.backup_name)
                .field("jobId", &self.job_id)
                .field("reconciled", &self.reconciled)
                .field("job", &self.job)
                .field("backup", &self.backup);
        });
    }
}

impl CreatedAndDone {
    fn new(c: CreateOutcome, job: Option<Job>, backup: Option<Backup>) -> Self {
        CreatedAndDone { backup_id: c.backup_id, backup_name: c.backup_name, job_id: c.job_id, reconciled: c.reconciled, job, backup }
    }
}

impl<H: Host> Client<H> {
    /// `createBackup` with busy-cluster handling and reconciliation (see the module docs).
    pub async fn create_backup_safely(
        &self,
        cluster_id: &str,
        request: &CreateBackupRequest,
        how: CreateHow,
        busy_wait: &WaitPolicy,
        signal: Option<&H::Signal>,
    ) -> Result<CreateOutcome> {
        // Bad input is refused before anything is sent (the list below included).
        crate::validate::resource_id("clusterId", cluster_id)?;
        crate::validate::create_backup_request(request)?;
        let started = self.host().now_ms();
        let mut resent = false;
        let mut busy_waits = 0;
        // The backups that exist before we send, when we would reconcile. If that list fails,
        // nothing is sent: a create we could not reconcile is one we must not risk (the soak
        // found a duplicate when a failed list let the create go out unprotected).
        let before = match how.reconcile {
            true => Some(self.recent_backups(cluster_id, request, signal).await?),
            false => None,
        };
        loop {
            let error = match self.create_backup(cluster_id, request, signal).await {
                Ok(c) => return Ok(CreateOutcome { backup_id: c.backup_id, backup_name: Some(c.backup_name), job_id: Some(c.job_id), reconciled: false }),
                Err(e) => e,
            };
            if let (true, Some(before)) = (is_ambiguous(&error), &before) {
                // The check is worth a few tries: if it cannot be made, the caller is left not
                // knowing whether a backup exists (the soak's remaining failure mode).
                let mut found = Err(());
                for _ in 0..RECONCILE_ATTEMPTS {
                    if self.host().sleep(RECONCILE_DELAY_MS, signal).await.is_err() {
                        return Err(error);
                    }
                    if let Ok(f) = self.find_new_backup(cluster_id, request, before, started - CLOCK_SKEW_MS, signal).await {
                        found = Ok(f);
                        break;
                    }
                }
                match found {
                    Ok(Some(b)) => return Ok(CreateOutcome { backup_id: b.backup_id, backup_name: b.backup_name, job_id: None, reconciled: true }),
                    Ok(None) if !resent => {
                        resent = true;
                        continue;
                    }
                    _ => return Err(error),
                }
            }
            if error.kind != ErrorKind::Api {
                return Err(error);
            }
            let running = match self.find_running_backup(cluster_id, signal).await {
                Ok(Some(running)) => running,
                _ => return Err(error),
            };
            if how.when_busy == WhenBusy::Fail || busy_waits >= MAX_BUSY_WAITS {
                return Err(busy(error, cluster_id, &running));
            }
            busy_waits += 1;
            match self.wait_for_backup(cluster_id, &running.backup_id, busy_wait, signal, &mut |_, _| {}).await {
                // Deleted while we waited is as good as finished: the cluster is free.
                Ok(_) => {}
                Err(e) if e.kind == ErrorKind::JobFailed => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Creates (as above) and follows the backup to its end: through its job, or through the
    /// backup's own status when reconciling found it without a job id.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_backup_and_wait_safely(
        &self,
        cluster_id: &str,
        request: &CreateBackupRequest,
        how: CreateHow,
        policy: &WaitPolicy,
        signal: Option<&H::Signal>,
        on_progress: &mut OnProgress<'_, Job>,
    ) -> Result<CreatedAndDone> {
        let created = self.create_backup_safely(cluster_id, request, how, policy, signal).await?;
        let attach = |e: Error| {
            let e = e.for_backup(&created.backup_id);
            match &created.job_id {
                Some(job_id) => e.for_job(job_id),
                None => e,
            }
        };
        match &created.job_id {
            Some(job_id) => {
                let job = self.wait_for_job(job_id, policy, signal, on_progress).await.map_err(attach)?;
                Ok(CreatedAndDone::new(created, Some(job), None))
            }
            None => {
                let backup = self.wait_for_backup(cluster_id, &created.backup_id, policy, signal, &mut |_, _| {}).await.map_err(attach)?;
                Ok(CreatedAndDone::new(created, None, Some(backup)))
            }
        }
    }

    /// The cluster's latest MANUAL backups of the request's type (newest first, one page).
    async fn recent_backups(&self, cluster_id: &str, request: &CreateBackupRequest, signal: Option<&H::Signal>) -> Result<Vec<Backup>> {
        let query = ListBackupsQuery {
            cluster_id: Some(cluster_id.to_owned()),
            creation_method: Some("MANUAL".into()),
            backup_type: Some(request.backup_type.clone()),
            page_size: Some(crate::validate::MAX_PAGE_SIZE as f64),
            ..Default::default()
        };
        let (page, _) = self.list_backups(&query, signal).await?;
        let mut backups = page.backups;
        backups.retain(|b| b.cluster_id.as_deref().is_none_or(|c| c == cluster_id));
        Ok(backups)
    }

    /// The newest backup of those now listed that was not listed `before` and was created since
    /// `since`.
    async fn find_new_backup(&self, cluster_id: &str, request: &CreateBackupRequest, before: &[Backup], since: f64, signal: Option<&H::Signal>) -> Result<Option<Backup>> {
        let created_at = |b: &Backup| b.create_time.as_deref().and_then(crate::time::iso_ms);
        let mut new = self.recent_backups(cluster_id, request, signal).await?;
        new.retain(|b| !before.iter().any(|old| old.backup_id == b.backup_id) && created_at(b).is_some_and(|t| t >= since));
        // The newest; among equal times the first listed (the list is newest first).
        let mut newest: Option<Backup> = None;
        for b in new {
            if newest.as_ref().is_none_or(|n| created_at(&b) > created_at(n)) {
                newest = Some(b);
            }
        }
        Ok(newest)
    }

    /// A backup being made on the cluster (manual or automatic), if any.
    async fn find_running_backup(&self, cluster_id: &str, signal: Option<&H::Signal>) -> Result<Option<Backup>> {
        let query = ListBackupsQuery {
            cluster_id: Some(cluster_id.to_owned()),
            page_size: Some(crate::validate::MAX_PAGE_SIZE as f64),
            ..Default::default()
        };
        let (page, _) = self.list_backups(&query, signal).await?;
        Ok(page.backups.into_iter().find(|b| b.status == BackupStatus::Creating && b.cluster_id.as_deref().is_none_or(|c| c == cluster_id)))
    }
}

fn busy(mut e: Error, cluster_id: &str, running: &Backup) -> Error {
    e.message = cat(&[
        "a backup is already running on cluster ",
        cluster_id,
        " (",
        &running.creation_method.as_deref().unwrap_or("backup").to_ascii_lowercase(),
        " ",
        &running.backup_id,
        ", ",
        running.status.as_str(),
        "): only one manual backup job may run per cluster at a time. \
         Try again when it has finished, or pass { whenBusy: \"wait\" } to queue behind it. The server said: ",
        &e.message,
    ]);
    e.running_backup_id = Some(running.backup_id.clone());
    e.retryable = true;
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ClientConfig, ClientOptions};
    use crate::http::{HttpRequest, Method, TransportError};
    use crate::test_support::{block_on, FakeHost};

    const FAIL: CreateHow = CreateHow { when_busy: WhenBusy::Fail, reconcile: true };
    const WAIT: CreateHow = CreateHow { when_busy: WhenBusy::Wait, reconcile: true };
    const CREATED: &str = r#"{"code":0,"data":{"backupId":"backup1_a","backupName":"Dedicated-01_backup1","jobId":"job-1"}}"#;
    const BUSY: &str = r#"{"code":80030,"message":"A manual backup job is already in progress"}"#;
    const EMPTY_LIST: &str = r#"{"code":0,"data":{"count":0,"currentPage":1,"pageSize":100,"backups":[]}}"#;

    fn client() -> Client<FakeHost> {
        let config = ClientConfig::new(ClientOptions { token: Some("k".into()), ..Default::default() }).unwrap();
        Client::new(FakeHost::new(0.5), config)
    }

    fn cluster() -> CreateBackupRequest {
        CreateBackupRequest { backup_type: "CLUSTER".into(), db_collections: None, cross_region_copies: None }
    }

    fn list_with(host: &FakeHost, backup: &str) -> String {
        let _ = host;
        format!(r#"{{"code":0,"data":{{"count":1,"currentPage":1,"pageSize":100,"backups":[{backup}]}}}}"#)
    }

    fn iso(ms: f64) -> String {
        // The fake clock starts at 2023-11-14T22:13:20Z (1.7e12 ms).
        assert!(ms >= 1_700_000_000_000.0);
        let s = ((ms - 1_700_000_000_000.0) / 1000.0) as u64;
        format!("2023-11-14T22:{:02}:{:02}Z", 13 + (20 + s) / 60, (20 + s) % 60)
    }

    fn sent(c: &Client<FakeHost>) -> Vec<(Method, String)> {
        c.host().sent.borrow().iter().map(|(r, _): &(HttpRequest, f64)| (r.method, r.url.replace("https://api.cloud.zilliz.com", ""))).collect()
    }

    #[test]
    fn busy_cluster_fails_with_a_clear_error() {
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        c.host().reply_status(200, BUSY);
        let running = r#"{"backupId":"backup9_r","clusterId":"in01-a","creationMethod":"MANUAL","status":"CREATING","createTime":"2023-11-14T22:00:00Z"}"#;
        c.host().reply_status(200, &list_with(c.host(), running));
        let e = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap_err();
        assert_eq!((e.kind, e.code, e.retryable), (ErrorKind::Api, Some(80030), true));
        assert_eq!(e.running_backup_id.as_deref(), Some("backup9_r"));
        assert!(e.message.contains("already running on cluster in01-a") && e.message.contains("whenBusy"), "{}", e.message);
        assert!(e.message.contains("A manual backup job is already in progress"), "the server's words are kept");
    }

    #[test]
    fn an_api_error_on_a_free_cluster_stays_as_it_is() {
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        c.host().reply_status(200, r#"{"code":80020,"message":"Backups are available only for Dedicated clusters"}"#);
        c.host().reply_status(200, EMPTY_LIST);
        let e = block_on(c.create_backup_safely("in01-a", &cluster(), WAIT, &WaitPolicy::default(), None)).unwrap_err();
        assert_eq!((e.kind, e.code, e.running_backup_id.clone()), (ErrorKind::Api, Some(80020), None));
        assert_eq!(sent(&c).len(), 3);
    }

    #[test]
    fn busy_cluster_with_wait_queues_behind_the_running_backup() {
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        c.host().reply_status(200, BUSY);
        let running = r#"{"backupId":"backup9_r","clusterId":"in01-a","creationMethod":"AUTO","status":"CREATING"}"#;
        c.host().reply_status(200, &list_with(c.host(), running));
        c.host().reply_status(200, &format!(r#"{{"code":0,"data":{running}}}"#));
        c.host().reply_status(200, &format!(r#"{{"code":0,"data":{}}}"#, running.replace("CREATING", "AVAILABLE")));
        c.host().reply_status(200, CREATED);
        let out = block_on(c.create_backup_safely("in01-a", &cluster(), WAIT, &WaitPolicy::default(), None)).unwrap();
        assert_eq!((out.job_id.as_deref(), out.reconciled), (Some("job-1"), false));
        let urls: Vec<String> = sent(&c).into_iter().map(|(_, u)| u).collect();
        assert_eq!(urls, vec![
            "/v2/backups?clusterId=in01-a&creationMethod=MANUAL&backupType=CLUSTER&pageSize=100",
            "/v2/clusters/in01-a/backups/create",
            "/v2/backups?clusterId=in01-a&pageSize=100",
            "/v2/clusters/in01-a/backups/backup9_r",
            "/v2/clusters/in01-a/backups/backup9_r",
            "/v2/clusters/in01-a/backups/create",
        ]);
    }

    #[test]
    fn an_ambiguous_failure_finds_the_backup_it_made() {
        let c = client();
        let old = r#"{"backupId":"backup1_old","clusterId":"in01-a","creationMethod":"MANUAL","status":"AVAILABLE","createTime":"2023-11-14T20:00:00Z"}"#;
        c.host().reply_status(200, &list_with(c.host(), old));
        c.host().reply_status(502, "<html>bad gateway</html>");
        let ours = format!(r#"{{"backupId":"backup2_new","backupName":"Dedicated-01_backup2","clusterId":"in01-a","creationMethod":"MANUAL","backupType":"CLUSTER","status":"CREATING","createTime":"{}"}}"#, iso(c.host().start + 1000.0));
        c.host().reply_status(200, &format!(r#"{{"code":0,"data":{{"count":2,"backups":[{ours},{old}]}}}}"#));
        let out = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap();
        assert_eq!((out.backup_id.as_str(), out.job_id.clone(), out.reconciled), ("backup2_new", None, true));
        let list = "/v2/backups?clusterId=in01-a&creationMethod=MANUAL&backupType=CLUSTER&pageSize=100";
        assert_eq!(sent(&c).iter().map(|(_, u)| u.as_str()).collect::<Vec<_>>(), vec![list, "/v2/clusters/in01-a/backups/create", list], "never re-sent");
    }

    #[test]
    fn a_backup_made_moments_before_is_not_taken_for_ours() {
        // The soak's finding: same createTime second, listed before ours was (not) made.
        let c = client();
        let just_before = format!(r#"{{"backupId":"backup1_prev","clusterId":"in01-a","creationMethod":"MANUAL","backupType":"CLUSTER","status":"AVAILABLE","createTime":"{}"}}"#, iso(c.host().start));
        c.host().reply_status(200, &list_with(c.host(), &just_before));
        c.host().reply_status(503, ""); // the server did not act
        c.host().reply_status(200, &list_with(c.host(), &just_before));
        c.host().reply_status(200, CREATED);
        let out = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap();
        assert_eq!((out.backup_id.as_str(), out.reconciled), ("backup1_a", false), "re-sent, not reconciled to the older backup");
    }

    #[test]
    fn an_ambiguous_failure_with_no_new_backup_is_sent_once_more() {
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        c.host().reply_error(TransportError::Network("connection reset".into()));
        let old = r#"{"backupId":"backup1_old","clusterId":"in01-a","creationMethod":"MANUAL","status":"AVAILABLE","createTime":"2023-11-14T20:00:00Z"}"#;
        c.host().reply_status(200, &list_with(c.host(), old));
        c.host().reply_status(200, CREATED);
        let out = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap();
        assert_eq!((out.job_id.as_deref(), out.reconciled), (Some("job-1"), false));
        let creates = sent(&c).into_iter().filter(|(m, _)| *m == Method::Post).count();
        assert_eq!(creates, 2);
    }

    #[test]
    fn a_page_without_backups_is_no_proof_that_nothing_was_created() {
        // Found by the soak: a list answered `{"code":0,"data":{}}` (a proxy's padding, a broken
        // answer) read as "no new backup", so the create was sent again: two backups.
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        c.host().reply_error(TransportError::Network("connection reset".into()));
        for _ in 0..RECONCILE_ATTEMPTS {
            c.host().reply_status(200, r#"{"code":0,"data":{},"padding":"xxxx"}"#);
        }
        let e = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap_err();
        assert!(e.message.contains("may have been created"), "{}", e.message);
        assert_eq!(sent(&c).iter().filter(|(m, _)| *m == Method::Post).count(), 1, "not sent again");
    }

    #[test]
    fn a_second_ambiguous_failure_is_returned_not_resent_again() {
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        for _ in 0..2 {
            c.host().reply_status(503, "");
            c.host().reply_status(200, EMPTY_LIST);
        }
        let e = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap_err();
        assert_eq!((e.kind, e.retryable), (ErrorKind::Server, false));
        assert!(e.message.contains("may have been created"));
        assert_eq!(sent(&c).iter().filter(|(m, _)| *m == Method::Post).count(), 2);
    }

    #[test]
    fn when_the_list_before_fails_nothing_is_sent() {
        let c = client();
        c.host().reply_status(403, r#"{"code":403,"message":"Forbidden"}"#);
        let e = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden);
        assert_eq!(sent(&c).len(), 1, "the list only: no create went out unprotected");
    }

    #[test]
    fn without_reconciling_an_ambiguous_failure_is_returned_at_once() {
        let c = client();
        c.host().reply_status(500, "");
        let how = CreateHow { reconcile: false, ..FAIL };
        let e = block_on(c.create_backup_safely("in01-a", &cluster(), how, &WaitPolicy::default(), None)).unwrap_err();
        assert_eq!((e.kind, e.retryable), (ErrorKind::Server, false));
        assert_eq!(sent(&c).len(), 1);
    }

    #[test]
    fn when_the_check_fails_the_original_error_is_returned() {
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        c.host().reply_status(500, "");
        for _ in 0..RECONCILE_ATTEMPTS {
            c.host().reply_status(401, r#"{"code":21119,"message":"The apikey is illegal"}"#);
        }
        let e = block_on(c.create_backup_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None)).unwrap_err();
        assert_eq!((e.kind, e.retryable), (ErrorKind::Server, false));
        assert_eq!(sent(&c).len(), 2 + RECONCILE_ATTEMPTS as usize, "the list before, the create, every try of the check; never re-sent");
    }

    #[test]
    fn create_and_wait_follows_a_reconciled_backup_by_its_status() {
        let c = client();
        c.host().reply_status(200, EMPTY_LIST); // the backups before the create
        c.host().reply_status(504, "");
        let ours = format!(r#"{{"backupId":"backup2_new","clusterId":"in01-a","creationMethod":"MANUAL","status":"CREATING","createTime":"{}"}}"#, iso(c.host().start));
        c.host().reply_status(200, &list_with(c.host(), &ours));
        c.host().reply_status(200, &format!(r#"{{"code":0,"data":{ours}}}"#));
        c.host().reply_status(200, &format!(r#"{{"code":0,"data":{}}}"#, ours.replace("CREATING", "AVAILABLE")));
        let out = block_on(c.create_backup_and_wait_safely("in01-a", &cluster(), FAIL, &WaitPolicy::default(), None, &mut |_, _| {})).unwrap();
        assert!(out.reconciled && out.job.is_none());
        assert_eq!(out.backup.unwrap().status, BackupStatus::Available);
    }
}
