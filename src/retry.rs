//! The retry policy, in one place, as pure functions.
//!
//! - Reads (describe job, the polls) are idempotent: retried after 429, 5xx and network errors
//!   (including the per-request timeout).
//! - Writes (creates above all) are not idempotent: re-sent only after a 429, when the server did not act. After a
//!   5xx, a network error or a timeout the backup may exist, and a blind re-send could start a
//!   second one, so the error goes back to the caller with `retryable: false`.
//! - `Retry-After` (seconds or an HTTP date) wins over the backoff; one longer than
//!   [`MAX_RETRY_AFTER_MS`] is not waited for: the `RateLimited` error carries it instead.
//! - Backoff: 250 ms × 2ⁿ capped at 10 s, with "equal jitter" (half fixed, half random) so
//!   clients that failed together do not retry together, yet never retry at once.

use crate::error::{Error, ErrorKind};

pub const BACKOFF_BASE_MS: f64 = 250.0;
pub const BACKOFF_CAP_MS: f64 = 10_000.0;
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Safe to send again.
    Read,
    /// Changes something (creates a backup, deletes, restores…): only re-sent when the server
    /// certainly did not act. The text says what may have happened ("the backup may have been
    /// created") for the error when that is unknown.
    Write(&'static str),
}

/// After `error` (with `retries_done` retries already made), how long to wait before sending the
/// same request again, or `None` to stop.
pub fn delay_before_retry(error: &Error, op: Operation, retries_done: u32, max_retries: u32, random: f64) -> Option<f64> {
    if retries_done >= max_retries {
        return None;
    }
    let allowed = match error.kind {
        ErrorKind::RateLimited => true,
        ErrorKind::Server | ErrorKind::Network => op == Operation::Read,
        _ => false,
    };
    if !allowed {
        return None;
    }
    match error.retry_after_ms {
        Some(ms) if ms > MAX_RETRY_AFTER_MS => None,
        Some(ms) => Some(ms),
        None => Some(backoff_ms(retries_done, random)),
    }
}

pub fn backoff_ms(retries_done: u32, random: f64) -> f64 {
    let ceiling = (BACKOFF_BASE_MS * 2f64.powi(retries_done.min(30) as i32)).min(BACKOFF_CAP_MS);
    ceiling / 2.0 + random.max(0.0).min(1.0) * ceiling / 2.0
}

/// `Retry-After` as milliseconds from `now_ms`: delta-seconds or an IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`). Unreadable values are ignored (the backoff applies).
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let value = value.trim_ascii();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Hundreds of digits parse as infinity: that is no delay anyone can honour.
        return crate::json::parse_number(value).map(|s| s * 1000.0).filter(|ms| ms.is_finite());
    }
    crate::time::http_date_ms(value).map(|at| (at - now_ms).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ErrorKind) -> Error {
        Error::new(kind, "x")
    }

    #[test]
    fn reads_retry_transient_failures_only() {
        for kind in [ErrorKind::RateLimited, ErrorKind::Server, ErrorKind::Network] {
            assert!(delay_before_retry(&err(kind), Operation::Read, 0, 3, 0.5).is_some(), "{kind:?}");
        }
        for kind in [ErrorKind::Unauthorized, ErrorKind::Forbidden, ErrorKind::NotFound, ErrorKind::Api, ErrorKind::Protocol, ErrorKind::InvalidInput] {
            assert_eq!(delay_before_retry(&err(kind), Operation::Read, 0, 3, 0.5), None, "{kind:?}");
        }
    }

    #[test]
    fn creates_are_resent_only_after_429() {
        assert!(delay_before_retry(&err(ErrorKind::RateLimited), Operation::Write("x"), 0, 3, 0.5).is_some());
        for kind in [ErrorKind::Server, ErrorKind::Network, ErrorKind::Protocol] {
            assert_eq!(delay_before_retry(&err(kind), Operation::Write("x"), 0, 3, 0.5), None, "{kind:?}");
        }
    }

    #[test]
    fn retries_are_bounded() {
        let e = err(ErrorKind::Server);
        assert!(delay_before_retry(&e, Operation::Read, 2, 3, 0.0).is_some());
        assert_eq!(delay_before_retry(&e, Operation::Read, 3, 3, 0.0), None);
        assert_eq!(delay_before_retry(&e, Operation::Read, 0, 0, 0.0), None);
    }

    #[test]
    fn retry_after_wins_and_is_capped() {
        let mut e = err(ErrorKind::RateLimited);
        e.retry_after_ms = Some(2000.0);
        assert_eq!(delay_before_retry(&e, Operation::Read, 0, 3, 0.9), Some(2000.0));
        e.retry_after_ms = Some(MAX_RETRY_AFTER_MS + 1.0);
        assert_eq!(delay_before_retry(&e, Operation::Read, 0, 3, 0.9), None);
    }

    #[test]
    fn backoff_grows_with_equal_jitter_and_is_capped() {
        assert_eq!(backoff_ms(0, 0.0), 125.0);
        assert_eq!(backoff_ms(0, 1.0), 250.0);
        assert_eq!(backoff_ms(1, 0.5), 375.0);
        assert_eq!(backoff_ms(2, 0.0), 500.0);
        assert_eq!(backoff_ms(20, 1.0), BACKOFF_CAP_MS);
        assert_eq!(backoff_ms(20, 0.0), BACKOFF_CAP_MS / 2.0);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2", 0.0), Some(2000.0));
        assert_eq!(parse_retry_after(" 0 ", 0.0), Some(0.0));
        // 784111777 s since the epoch is Sun, 06 Nov 1994 08:49:37 GMT.
        let at = 784_111_777_000.0;
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 3000.0), Some(3000.0));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 5000.0), Some(0.0));
        assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0.0), Some(0.0));
        assert_eq!(parse_retry_after("Tue, 24 Nov 2026 22:30:00 GMT", 1_795_559_400_000.0 - 1000.0), Some(1000.0));
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT"] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad}");
        }
    }
}
