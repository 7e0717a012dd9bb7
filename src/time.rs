//! Reading the API's timestamps: ISO-8601 UTC (`2024-07-30T16:49:50Z`) and HTTP dates
//! (`Sun, 06 Nov 1994 08:49:37 GMT`), as milliseconds since the Unix epoch.

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
pub fn iso_ms(value: &str) -> Option<f64> {
    let v = value.trim().strip_suffix('Z')?;
    let (date, time) = v.split_once('T')?;
    let d: Vec<i64> = date.split('-').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (hms, frac) = match time.split_once('.') {
        Some((hms, frac)) if frac.bytes().all(|b| b.is_ascii_digit()) => (hms, crate::json::parse_number(&format!("0.{frac}"))?),
        Some(_) => return None,
        None => (time, 0.0),
    };
    let t: Vec<i64> = hms.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    if d.len() != 3 || t.len() != 3 {
        return None;
    }
    civil_ms(d[0], d[1], d[2], t[0], t[1], t[2]).map(|ms| ms + frac * 1000.0)
}

/// IMF-fixdate, the only form `Retry-After` dates take today.
pub fn http_date_ms(value: &str) -> Option<f64> {
    let rest = value.trim().split_once(", ")?.1;
    let parts: Vec<&str> = rest.split(' ').collect();
    if parts.len() != 5 || parts[4] != "GMT" {
        return None;
    }
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| *m == parts[1])? as i64
        + 1;
    let t: Vec<i64> = parts[3].split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    if t.len() != 3 {
        return None;
    }
    civil_ms(parts[2].parse().ok()?, month, parts[0].parse().ok()?, t[0], t[1], t[2])
}

fn civil_ms(y: i64, m: i64, d: i64, h: i64, min: i64, s: i64) -> Option<f64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(0..=23).contains(&h) || !(0..=59).contains(&min) || !(0..=60).contains(&s) {
        return None;
    }
    Some(((days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + s) * 1000) as f64)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso() {
        assert_eq!(iso_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(iso_ms("2024-07-30T16:49:50Z"), Some(1_722_358_190_000.0));
        assert_eq!(iso_ms("2024-07-30T16:49:50.250Z"), Some(1_722_358_190_250.0));
        for bad in ["", "2024-07-30", "2024-07-30T16:49:50", "2024-13-01T00:00:00Z", "x-07-30T16:49:50Z"] {
            assert_eq!(iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 PST"), None);
        assert_eq!(http_date_ms("Sun, 32 Nov 1994 08:49:37 GMT"), None);
    }
}
