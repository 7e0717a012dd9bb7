//! Numbers to and from decimal text without core's float formatting and parsing (together
//! about a fifth of the old .wasm).
//!
//! Exact where it matters: integers up to 2^53 and decimals of up to 15 significant digits
//! (progress "45.5", sizes, epoch milliseconds) read and print exactly as `JSON.parse` and
//! `JSON.stringify` would. Longer fractions are printed with up to 17 digits, within an ulp.

/// 10^0 ..= 10^22: every power of ten an f64 holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
    1e22,
];

/// Decimal text (`-12`, `45.5`, `1.5e3`, also `+3` and `.5`) as a number; `None` if it is not one.
pub fn parse_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            at += 1;
            true
        }
        Some(b'+') => {
            at += 1;
            false
        }
        _ => false,
    };
    let (mut mantissa, mut exp10, mut digits, mut seen_point) = (0u64, 0i32, 0, false);
    while let Some(&b) = bytes.get(at) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    exp10 -= i32::from(seen_point);
                } else {
                    exp10 += i32::from(!seen_point); // a digit past 19 only scales
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        at += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        let sign = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                -1
            }
            Some(b'+') => {
                at += 1;
                1
            }
            _ => 1,
        };
        let start = at;
        let mut e: i32 = 0;
        while let Some(&b @ b'0'..=b'9') = bytes.get(at) {
            e = e.saturating_mul(10).saturating_add(i32::from(b - b'0'));
            at += 1;
        }
        if at == start {
            return None;
        }
        exp10 = exp10.saturating_add(sign * e);
    }
    if at != bytes.len() {
        return None;
    }
    let m = mantissa as f64;
    let value = if mantissa == 0 {
        0.0
    } else if (0..=22).contains(&exp10) {
        m * POW10[exp10 as usize] // exact when m < 2^53 and the product fits
    } else if (-22..0).contains(&exp10) {
        m / POW10[(-exp10) as usize] // one correctly rounded division: exact for m < 2^53
    } else if exp10 > 0 {
        m * 10f64.powi(exp10.min(400))
    } else {
        m / 10f64.powi((-exp10).min(400))
    };
    Some(if negative { -value } else { value })
}

/// Appends `x` as JSON: `JSON.stringify`'s text for integers and short decimals, `null` for
/// NaN and infinities (as `JSON.stringify` does).
pub fn format_number(x: f64, out: &mut String) {
    if !x.is_finite() {
        out.push_str("null");
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    let a = x.abs();
    if a.fract() == 0.0 && a < 1e19 {
        push_digits(a as u64, 0, out);
    } else {
        fraction(a, out);
    }
}

/// A magnitude with a fraction, or too large for a `u64`: its own function, so the integers
/// most answers hold (a job's progress, a size, a count) never compile it (cold start).
#[inline(never)]
fn fraction(a: f64, out: &mut String) {
    if a < 1e19 {
        // The fewest decimals that give `a` back.
        for (decimals, &scale) in POW10.iter().enumerate().take(18).skip(1) {
            let scaled = (a * scale).round();
            if scaled >= 1e19 {
                break;
            }
            if scaled / scale == a {
                push_digits(scaled as u64, decimals, out);
                return;
            }
        }
    }
    scientific(a, out);
}

/// `d.ddde±x` with the fewest digits (up to 17) that give `a` back, for magnitudes the fixed
/// form cannot take.
fn scientific(a: f64, out: &mut String) {
    let (mut y, mut exp) = (a, 0i32);
    while y >= 10.0 {
        y /= 10.0;
        exp += 1;
    }
    while y < 1.0 {
        y *= 10.0;
        exp -= 1;
    }
    let mut best = (0u64, 0usize);
    for digits in 1..=17i32 {
        let shift = exp - (digits - 1); // a ≈ m × 10^shift
        let m = scale(a, -shift).round();
        if m >= POW10[digits as usize] {
            continue; // rounded up a digit (9.96 → 10.0)
        }
        best = (m as u64, digits as usize - 1);
        if scale(m, shift) == a {
            break;
        }
    }
    push_digits(best.0, best.1, out);
    out.push('e');
    if exp < 0 {
        out.push('-');
    }
    push_digits(u64::from(exp.unsigned_abs()), 0, out);
}

/// `x × 10^e` with one rounding where the power of ten is exact.
fn scale(x: f64, e: i32) -> f64 {
    match e {
        0..=22 => x * POW10[e as usize],
        -22..=-1 => x / POW10[(-e) as usize],
        e if e > 0 => x * 10f64.powi(e),
        e => x / 10f64.powi(-e),
    }
}

/// `n` in decimal with a point `decimals` digits from the right (`1234, 2` → `12.34`).
fn push_digits(mut n: u64, decimals: usize, out: &mut String) {
    let mut buf = [b'0'; 24];
    let mut i = buf.len();
    let mut written = 0;
    while n > 0 || written <= decimals {
        if written == decimals && decimals > 0 {
            i -= 1;
            buf[i] = b'.';
        }
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        written += 1;
    }
    // Only ASCII digits and '.' were written.
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// `x` as text for messages, as JavaScript shows it (`1000`, `2.5`, `NaN`, `-Infinity`).
pub fn number_text(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let mut s = String::new();
    format_number(x, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(x: f64) -> String {
        let mut s = String::new();
        format_number(x, &mut s);
        s
    }

    #[test]
    fn prints_like_json_stringify() {
        for (x, want) in [
            (0.0, "0"),
            (-0.0, "0"),
            (7.0, "7"),
            (-42.0, "-42"),
            (45.5, "45.5"),
            (0.1, "0.1"),
            (0.05, "0.05"),
            (-0.001, "-0.001"),
            (100.25, "100.25"),
            (1_732_000_000_123.0, "1732000000123"),
            (9_007_199_254_740_993.0, "9007199254740992"),
            (f64::NAN, "null"),
            (f64::INFINITY, "null"),
        ] {
            assert_eq!(text(x), want, "{x}");
        }
    }

    #[test]
    fn reads_numbers() {
        for (s, want) in [("0", 0.0), ("-0", -0.0), ("45", 45.0), ("45.5", 45.5), ("+3", 3.0), (".5", 0.5), ("1.5e3", 1500.0), ("2E-2", 0.02), ("1e400", f64::INFINITY)] {
            assert_eq!(parse_number(s), Some(want), "{s}");
        }
        for s in ["", "-", "+", ".", "e5", "1e", "1e+", "4x", "1.2.3", "--1", " 1"] {
            assert_eq!(parse_number(s), None, "{s:?}");
        }
    }

    #[test]
    fn round_trips_what_the_client_stores() {
        // Whole milliseconds, progress with a few decimals, short fractions: exact.
        let mut x = 1.0f64;
        for i in 0..2000 {
            for v in [x, x / 7.0, (x * 1000.0).round() / 1000.0, f64::from(i) / 8.0] {
                let t = text(v);
                let back = parse_number(&t).unwrap();
                assert!(back == v || ((back - v) / v).abs() < 3e-16, "{v} → {t} → {back}");
            }
            x *= 1.0234;
        }
    }
}
