//! One clock for the whole emulator: a monotonic `Instant` for elapsed time (job progress never jumps
//! backwards when the wall clock is adjusted) anchored to the wall clock once, for ISO-8601 strings.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    start: Instant,
    wall_start: SystemTime,
}

impl Clock {
    pub fn new() -> Self {
        Clock {
            start: Instant::now(),
            wall_start: SystemTime::now(),
        }
    }

    /// Milliseconds since the emulator started.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Unix milliseconds of an instant given in emulator milliseconds.
    pub fn wall_ms(&self, at_ms: u64) -> u64 {
        let wall = self.wall_start + Duration::from_millis(at_ms);
        wall.duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }

    /// `2024-07-30T16:49:50Z` for an instant given in emulator milliseconds.
    pub fn iso(&self, at_ms: u64) -> String {
        let wall = self.wall_start + Duration::from_millis(at_ms);
        let secs = wall
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        iso_from_unix_secs(secs)
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

/// Formats Unix seconds as ISO-8601 UTC with second precision (no chrono: one small function).
pub fn iso_from_unix_secs(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's `days_from_civil`: (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso_from_unix_secs(0), "1970-01-01T00:00:00Z");
        // The example in the API reference.
        assert_eq!(iso_from_unix_secs(1_722_358_190), "2024-07-30T16:49:50Z");
        assert_eq!(iso_from_unix_secs(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso_from_unix_secs(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(
            days_from_civil(2024, 7, 30) * 86_400 + 16 * 3600 + 49 * 60 + 50,
            1_722_358_190
        );
        assert_eq!(days_from_civil(2000, 2, 29), 951_782_400 / 86_400);
    }
}
