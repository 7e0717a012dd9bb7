//! A strict RFC 8259 reader: what `JSON.parse` accepts, nothing more (no comments, no trailing
//! commas), with a nesting limit so a hostile body cannot exhaust the stack.

use super::number::parse_number;
use super::plain_prefix;
use super::Value;
use std::borrow::Cow;

/// Deeper nesting than any response of the API has, by far.
const MAX_DEPTH: u32 = 128;


pub fn parse(text: &str) -> Result<Value<'_>, String> {
    let mut r = Reader { text, bytes: text.as_bytes(), at: 0 };
    r.skip_space();
    let value = r.value(0)?;
    r.skip_space();
    if r.at != r.bytes.len() {
        return Err(r.fail("unexpected text after the value"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn fail(&self, what: &str) -> String {
        crate::text::cat(&[what, " at byte ", &crate::text::int(self.at)])
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.fail("unexpected character"))
        }
    }

    #[cfg_attr(hot_paths, optimize(speed))]
    fn value(&mut self, depth: u32) -> Result<Value<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nested too deeply"));
        }
        match self.peek() {
            None => Err(self.fail("unexpected end")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.expect("true", Value::Bool(true)),
            Some(b'f') => self.expect("false", Value::Bool(false)),
            Some(b'n') => self.expect("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.fail("unexpected character")),
        }
    }

    fn array(&mut self, depth: u32) -> Result<Value<'a>, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.fail("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: u32) -> Result<Value<'a>, String> {
        self.at += 1;
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Vec::new()));
        }
        // Room for a backup's dozen fields at once: one allocation, not three growing ones.
        let mut fields: Vec<(Cow<'a, str>, Value<'a>)> = Vec::with_capacity(16);
        // One bit per name seen, by a cheap hash: a name is compared with the earlier ones only
        // when its bit is already set (the API never repeats names, so this almost never runs).
        let mut seen: u64 = 0;
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a field name"));
            }
            let key = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.fail("expected `:`"));
            }
            self.at += 1;
            self.skip_space();
            let value = self.value(depth + 1)?;
            // As in `JSON.parse`, a repeated name's last value wins.
            let bit = 1u64 << (key.len().wrapping_add(usize::from(key.as_bytes().last().copied().unwrap_or(0))) & 63);
            let earlier = if seen & bit != 0 { fields.iter_mut().find(|(k, _)| *k == key) } else { None };
            seen |= bit;
            match earlier {
                Some(field) => field.1 = value,
                None => fields.push((key, value)),
            }
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(fields));
                }
                _ => return Err(self.fail("expected `,` or `}`")),
            }
        }
    }

    fn number(&mut self) -> Result<Value<'a>, String> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while let Some(b'0'..=b'9') = r.peek() {
                r.at += 1;
            }
            r.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        if !digits(self) || (self.bytes[int_start] == b'0' && self.at - int_start > 1) {
            return Err(self.fail("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.fail("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.fail("invalid number"));
            }
        }
        // The bytes just checked are ASCII.
        let text = self.text.get(start..self.at).ok_or_else(|| self.fail("invalid number"))?;
        parse_number(text).map(Value::Number).ok_or_else(|| self.fail("invalid number"))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let hex = self.bytes.get(self.at..self.at + 4).ok_or_else(|| self.fail("unexpected end"))?;
        let mut n = 0;
        for &b in hex {
            let d = (b as char).to_digit(16).ok_or_else(|| self.fail("invalid \\u escape"))?;
            n = n * 16 + d;
        }
        self.at += 4;
        Ok(n)
    }

    /// A string: borrowed from the text when it holds no escape (nearly always), else decoded.
    #[cfg_attr(hot_paths, optimize(speed))]
    fn string(&mut self) -> Result<Cow<'a, str>, String> {
        self.at += 1; // the opening quote
        let start = self.at;
        let end = self.plain_run(start)?;
        if self.bytes[end] == b'"' {
            self.at = end + 1;
            // The run starts and stops at ASCII bytes of a `&str`: char boundaries, already valid.
            return self.text.get(start..end).map(Cow::Borrowed).ok_or_else(|| self.fail("invalid UTF-8"));
        }
        let mut out = String::new();
        let mut end = end;
        loop {
            out.push_str(self.text.get(self.at..end).ok_or_else(|| self.fail("invalid UTF-8"))?);
            self.at = end;
            match self.bytes[end] {
                b'"' => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    let escape = *self.bytes.get(end + 1).ok_or_else(|| self.fail("unterminated string"))?;
                    self.at += 2;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.fail("invalid escape")),
                    };
                    out.push(c);
                }
                _ => return Err(self.fail("control character in a string")),
            }
            end = self.plain_run(self.at)?;
        }
    }

    /// Where the run of plain bytes from `from` stops: at a quote, a backslash or a control
    /// character (an error if the text ends first).
    #[inline(always)]
    fn plain_run(&self, from: usize) -> Result<usize, String> {
        let end = from + plain_prefix(&self.bytes[from..]);
        if end == self.bytes.len() {
            return Err(self.fail("unterminated string"));
        }
        Ok(end)
    }

    /// `\uXXXX`, joining a surrogate pair. A lone surrogate (valid JSON, not valid Unicode)
    /// becomes U+FFFD, as a Rust string cannot hold it.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u") {
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                return Ok(char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)).unwrap_or('\u{FFFD}'));
            }
            self.at = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(r#" {"a":[1,-2.5e1,true,false,null],"b":{"c":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"},"e":{}, "f":[]} "#).unwrap();
        assert_eq!(
            v,
            Value::Object(vec![
                ("a".into(), Value::Array(vec![Value::Number(1.0), Value::Number(-25.0), Value::Bool(true), Value::Bool(false), Value::Null])),
                ("b".into(), Value::Object(vec![("c".into(), Value::String("x\"\\/\u{8}\u{c}\n\r\té😀".into()))])),
                ("e".into(), Value::Object(vec![])),
                ("f".into(), Value::Array(vec![])),
            ])
        );
    }

    #[test]
    fn refuses_what_json_parse_refuses() {
        for bad in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "{a:1}", "'x'", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"\\x\"",
            "\"a\nb\"", "\"abc", "[1 2]", "{\"a\" 1}", "1 2", "NaN", "Infinity", "\"\\u12\"", "//", "[1]x",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_last_of_repeated_names_wins_and_lone_surrogates_are_replaced() {
        assert_eq!(parse(r#"{"a":1,"a":2}"#).unwrap(), Value::Object(vec![("a".into(), Value::Number(2.0))]));
        assert_eq!(parse(r#""\ud800x""#).unwrap(), Value::String("\u{FFFD}x".into()));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().contains("deeply"));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok).is_ok());
    }
}
