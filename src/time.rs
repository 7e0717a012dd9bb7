//! Reading the API's timestamps: ISO-8601 UTC (`2024-07-30T16:49:50Z`) and HTTP dates
//! (`Sun, 06 Nov 1994 08:49:37 GMT`), as milliseconds since the Unix epoch.

use crate::text::{find, parse_u32, split_exact};

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
pub fn iso_ms(value: &str) -> Option<f64> {
    let v = value.trim_ascii().strip_suffix('Z')?;
    let [date, time] = split_exact(v, b'T')?;
    let [y, m, d] = numbers(date, b'-')?;
    let (hms, frac) = match time.bytes().position(|b| b == b'.') {
        Some(dot) if time[dot + 1..].bytes().all(|b| b.is_ascii_digit()) => {
            let mut fraction = String::from("0.");
            fraction.push_str(&time[dot + 1..]);
            (&time[..dot], crate::json::parse_number(&fraction)?)
        }
        Some(_) => return None,
        None => (time, 0.0),
    };
    let [h, min, s] = numbers(hms, b':')?;
    civil_ms(y, m, d, h, min, s).map(|ms| ms + frac * 1000.0)
}

/// IMF-fixdate, the only form `Retry-After` dates take today.
pub fn http_date_ms(value: &str) -> Option<f64> {
    let v = value.trim_ascii();
    let comma = find(v, ", ")?;
    let [day, month, year, time, zone] = split_exact(&v[comma + 2..], b' ')?;
    if zone != "GMT" {
        return None;
    }
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| *m == month)? as i64
        + 1;
    let [h, min, s] = numbers(time, b':')?;
    civil_ms(parse_u32(year)?.into(), month, parse_u32(day)?.into(), h, min, s)
}

/// Exactly `N` integers separated by `sep`.
fn numbers<const N: usize>(text: &str, sep: u8) -> Option<[i64; N]> {
    let parts = split_exact::<N>(text, sep)?;
    let mut out = [0; N];
    for (n, part) in out.iter_mut().zip(parts) {
        *n = parse_u32(part)?.into();
    }
    Some(out)
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
        assert_eq!(iso_ms(" 2024-7-30T16:49:50.5Z\n"), Some(1_722_358_190_500.0));
        for bad in ["", "2024-07-30", "2024-07-30T16:49:50", "2024-13-01T00:00:00Z", "x-07-30T16:49:50Z", 
            "2024-07-30T16:49:50.xZ", "2024-07-30-1T16:49:50Z", "2024-07T16:49:50Z", "2024-07-30T16:49Z", "2024-07-30T16:49:50:1Z"] {
            assert_eq!(iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 PST"), None);
        assert_eq!(http_date_ms("Sun, 32 Nov 1994 08:49:37 GMT"), None);
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT extra"), None);
        assert_eq!(http_date_ms("Sun, 06 Foo 1994 08:49:37 GMT"), None);
        assert_eq!(http_date_ms("Sun 06 Nov 1994 08:49:37 GMT"), None);
    }
}
