//! Byte-level string helpers in place of `str`'s pattern API (`find`, `split`, `contains`):
//! its searchers are kilobytes of .wasm, which a runtime that compiles wasm lazily (V8)
//! compiles on first use, before the first request (BENCHMARKS.md, cold start).

/// Where `part` first occurs in `text` (`Some(0)` for an empty `part`, as `str::find`).
pub fn find(text: &str, part: &str) -> Option<usize> {
    if part.is_empty() {
        return Some(0);
    }
    text.as_bytes().windows(part.len()).position(|w| w == part.as_bytes())
}

/// `text` cut at every `sep` into exactly `N` parts (`None` for more or fewer).
pub fn split_exact<const N: usize>(text: &str, sep: u8) -> Option<[&str; N]> {
    let mut out = [""; N];
    let mut rest = text;
    for (i, part) in out.iter_mut().enumerate() {
        match rest.bytes().position(|b| b == sep) {
            Some(end) if i + 1 < N => (*part, rest) = (&rest[..end], &rest[end + 1..]),
            None if i + 1 == N => *part = rest,
            _ => return None,
        }
    }
    Some(out)
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
    fn split_exact_wants_exactly_n() {
        assert_eq!(split_exact::<4>("127.0.0.1", b'.'), Some(["127", "0", "0", "1"]));
        assert_eq!(split_exact::<4>("1.2.3", b'.'), None);
        assert_eq!(split_exact::<4>("1.2.3.4.5", b'.'), None);
        assert_eq!(split_exact::<2>("a.", b'.'), Some(["a", ""]));
        assert_eq!(split_exact::<1>("", b'.'), Some([""]));
    }
}
