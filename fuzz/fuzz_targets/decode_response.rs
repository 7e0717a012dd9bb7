//! Any bytes as an HTTP response (status from the first two bytes, the rest as the body, plus a
//! `Retry-After` from the body's first line) through every decoder the client uses: the envelope,
//! then job, backup, list page, policy and the write results. Decoding may fail — with an error,
//! never a panic — and what decodes must hold the invariants the rest of the client relies on.
//! The JSON reader itself is checked against serde_json: both accept the same documents.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zilliz_cloud_backup::http::HttpResponse;
use zilliz_cloud_backup::model::backup::{Backup, BackupPage, CreatedBackup, DeletedBackup};
use zilliz_cloud_backup::model::envelope;
use zilliz_cloud_backup::model::job::Job;
use zilliz_cloud_backup::model::policy::{Policy, PolicyStatus};
use zilliz_cloud_backup::model::restore::{RestoredCluster, StartedJob};
use zilliz_cloud_backup::json::{self, FromJson};
use zilliz_cloud_backup::{retry, time, ErrorKind};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    // Mostly 2xx (where the decoders run), sometimes anything.
    let status = match data[0] % 4 {
        0 => 100 + u16::from(data[1]) * 2,
        _ => 200 + u16::from(data[1] % 4),
    };
    let body = String::from_utf8_lossy(&data[2..]).into_owned();
    let first_line = body.lines().next().unwrap_or("").to_owned();
    let response = HttpResponse { status, request_id: Some("req-fuzz".into()), retry_after: Some(first_line.clone()), body };

    // Our reader and serde_json agree on what is JSON (serde_json refuses numbers past f64's
    // range, which `JSON.parse` and ours read as infinities), and what we read we can write back.
    match (json::parse(&response.body), serde_json::from_str::<serde_json::Value>(&response.body)) {
        (Ok(ours), Ok(_)) => assert_eq!(json::parse(&json::to_string(&ours)).as_ref().map(|_| ()), Ok(()), "our output reads back"),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => assert!(e.to_string().contains("out of range"), "only we accepted {:?}: {e}", response.body),
        (Err(e), Ok(_)) => panic!("only serde_json accepted {:?}: {e}", response.body),
    }

    check::<Job>(&response, |job| {
        assert!(job.progress.is_finite() && (0.0..=100.0).contains(&job.progress), "progress {}", job.progress);
    });
    check::<Backup>(&response, |_| {});
    check::<BackupPage>(&response, |page| {
        let _ = page.next_page(1, 10);
        let _ = page.next_page(u32::MAX, 100);
    });
    check::<Policy>(&response, |p| {
        assert!(p.frequency.iter().all(|d| (1..=7).contains(d)), "weekdays {:?}", p.frequency);
    });
    check::<PolicyStatus>(&response, |_| {});
    check::<CreatedBackup>(&response, |_| {});
    check::<DeletedBackup>(&response, |_| {});
    check::<RestoredCluster>(&response, |_| {});
    check::<StartedJob>(&response, |_| {});

    // The header and date readers see server text too.
    if let Some(ms) = retry::parse_retry_after(&first_line, 1_700_000_000_000.0) {
        assert!(ms.is_finite() && ms >= 0.0, "Retry-After {first_line:?} → {ms}");
    }
    if let Some(ms) = time::iso_ms(&first_line) {
        assert!(ms.is_finite(), "{first_line:?} → {ms}");
    }
    let _ = time::http_date_ms(&first_line);
});

/// Decodes `T`; on success checks `ok`; on failure checks the error is one a response can cause.
fn check<T: FromJson>(response: &HttpResponse, ok: impl FnOnce(&T)) {
    match envelope::decode::<T>(response) {
        Ok(value) => {
            assert!((200..300).contains(&response.status), "a non-2xx decoded as data");
            ok(&value);
        }
        Err(e) => {
            assert!(
                !matches!(e.kind, ErrorKind::InvalidInput | ErrorKind::Timeout | ErrorKind::Aborted | ErrorKind::JobFailed | ErrorKind::Network),
                "a response cannot cause {:?}",
                e.kind
            );
            assert_eq!(e.http_status, Some(response.status), "the status is kept");
        }
    }
}
