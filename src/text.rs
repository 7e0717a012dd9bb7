//! Byte-level string helpers in place of `str`'s pattern API (`find`, `split`, `contains`):
//! its searchers are kilobytes of .wasm, which a runtime that compiles wasm lazily (V8)
//! compiles on first use, before the first request (BENCHMARKS.md, cold start). And [`cat`] in
//! place of `format!`: messages are built from pieces, so none of `core::fmt` is in the .wasm.

/// `parts` joined into one string: what `format!` builds for messages, without `core::fmt`'s
/// machinery (its formatter, padding and integer printing were about 4 KB of .wasm).
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `items` joined by ", " (as `join(", ")`, whose generic code is bigger than this loop).
pub fn list(items: &[&str]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

/// `text` cut at the first `sep` (an ASCII byte), as `str::split_once` with a `char`.
pub fn split_once(text: &str, sep: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == sep)?;
    Some((&text[..at], &text[at + 1..]))
}

/// The parts of `text` between each `sep` (an ASCII byte), as `str::split` with a `char`:
/// without `str`'s searcher and `memchr`, which nothing else needs.
pub struct Parts<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Parts<'a> {
    pub fn new(text: &'a str, sep: u8) -> Parts<'a> {
        Parts { rest: Some(text), sep }
    }
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_once(rest, self.sep) {
            Some((part, after)) => {
                self.rest = Some(after);
                Some(part)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// A decimal `u32` as `str::parse::<u32>` reads it (an optional `+`, then digits), by a byte
/// loop: `str::parse`'s generic integer code is not needed anywhere else.
pub fn parse_u32(text: &str) -> Option<u32> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    let mut n: u32 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
    }
    Some(n)
}

/// A decimal `u8`, as `str::parse::<u8>` reads it.
pub fn parse_u8(text: &str) -> Option<u8> {
    parse_u32(text).and_then(|n| u8::try_from(n).ok())
}

/// A count or an index as text (`12`), for messages.
pub fn int(n: usize) -> String {
    crate::json::number_text(n as f64)
}

/// Where `part` first occurs in `text` (`Some(0)` for an empty `part`, as `str::find`).
pub fn find(text: &str, part: &str) -> Option<usize> {
    if part.is_empty() {
        return Some(0);
    }
    text.as_bytes().windows(part.len()).position(|w| w == part.as_bytes())
}

/// `text` cut at every `sep` into exactly `N` parts (`None` for more or fewer).
pub fn split_exact<const N: usize>(text: &str, sep: u8) -> Option<[&str; N]> {
    let mut parts = Parts::new(text, sep);
    let mut out = [""; N];
    for part in out.iter_mut() {
        *part = parts.next()?;
    }
    parts.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_is_str_find() {
        for (text, part) in [("https://x", "://"), ("a/../b", "/../"), ("abc", "d"), ("", "a"), ("abc", ""), ("aab", "ab"), ("é, x", ", ")] {
            assert_eq!(find(text, part), text.find(part), "{text:?} {part:?}");
        }
    }

    #[test]
    fn cat_and_int_build_what_format_would() {
        assert_eq!(cat(&["a", "", "bc", "é"]), format!("{}{}{}{}", "a", "", "bc", "é"));
        assert_eq!(cat(&[]), "");
        for n in [0, 7, 10, 1234, 9_007_199_254_740_991] {
            assert_eq!(int(n), n.to_string());
        }
    }

    #[test]
    fn parse_u32_and_u8_are_str_parse() {
        for text in ["0", "7", "007", "+3", "255", "256", "1000", "", "+", "-1", "-0", " 1", "1 ", "1a", "٣", "++1", "4294967295", "4294967296", "99999999999"] {
            assert_eq!(parse_u32(text), text.parse::<u32>().ok(), "{text:?}");
            assert_eq!(parse_u8(text), text.parse::<u8>().ok(), "{text:?}");
        }
    }

    #[test]
    fn list_parts_and_split_once_are_str_s() {
        for items in [&[][..], &["a"], &["a", "b", "é"]] {
            assert_eq!(list(items), items.join(", "));
        }
        for text in ["", ",", "a", "a,b", ",a,,b,", "é,ü", "1, 3,5"] {
            assert_eq!(Parts::new(text, b',').collect::<Vec<_>>(), text.split(',').collect::<Vec<_>>(), "{text:?}");
            assert_eq!(split_once(text, b','), text.split_once(','), "{text:?}");
        }
    }

    #[test]
    fn split_exact_wants_exactly_n() {
        assert_eq!(split_exact::<4>("127.0.0.1", b'.'), Some(["127", "0", "0", "1"]));
        assert_eq!(split_exact::<4>("1.2.3", b'.'), None);
        assert_eq!(split_exact::<4>("1.2.3.4.5", b'.'), None);
        assert_eq!(split_exact::<2>("a.", b'.'), Some(["a", ""]));
        assert_eq!(split_exact::<1>("", b'.'), Some([""]));
    }
}
