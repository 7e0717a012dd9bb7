//! JSON in and out, in one place, with no serde: a small value tree, a strict reader, a writer,
//! and helpers that decode objects field by field with the path to any problem.
//!
//! Hand-written because serde's generic machinery (and serde-wasm-bindgen's) made up about half
//! of the .wasm: the same code runs natively (unit tests, property tests against serde_json)
//! and in wasm, where results leave as one JSON string for the runtime's own `JSON.parse`.

mod fields;
mod number;
mod read;
mod write;

pub use fields::{Fields, FromJson, Path, Problem};
pub use number::{format_number, number_text, parse_number};
pub use read::parse;
pub use write::{quote, to_string, Obj, ToJson};

use std::borrow::Cow;

/// Bytes that cannot stand as themselves inside a JSON string: the quote, the backslash and
/// control characters. The reader stops a run at them, the writer escapes them; a table lookup
/// per byte, as strings are most of every response.
const NOT_PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// How many bytes at the start of `bytes` can stand in a JSON string as themselves: where the
/// reader's runs and the writer's escapes stop. (A word-wide scan was tried: fewer instructions
/// natively, no gain in the .wasm.)
#[cfg_attr(hot_paths, optimize(speed))]
fn plain_prefix(bytes: &[u8]) -> usize {
    bytes.iter().position(|&b| NOT_PLAIN[usize::from(b)]).unwrap_or(bytes.len())
}

/// A parsed JSON value. Objects keep their fields in order (they are small; a `Vec` is smaller
/// and faster here than a map). Names and strings borrow from the text they were read from
/// unless they held an escape, so a response's names and strings are read without an
/// allocation each.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(f64),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// A present, non-null field of an object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !v.is_null()),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// "a string", "a number"…: for messages about a value of the wrong type.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }

    /// Takes the value of a field out of an object (for moving big subtrees without copying).
    pub fn take(&mut self, key: &str) -> Option<Value<'a>> {
        match self {
            Value::Object(fields) => {
                fields.iter_mut().find(|(k, _)| k == key).map(|(_, v)| std::mem::replace(v, Value::Null)).filter(|v| !v.is_null())
            }
            _ => None,
        }
    }
}

/// Decodes a JSON value as `T`, the problem as text (`path: what is wrong`).
pub fn decode<T: FromJson>(value: &Value) -> Result<T, String> {
    T::from_json(value, Path::Root("")).map_err(Problem::into_message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_run_stops_exactly_where_the_table_says() {
        // Every byte value at every position.
        for b in 0..=255u8 {
            for at in 0..21 {
                let mut text = vec![b'a'; 21];
                text[at] = b;
                let want = if NOT_PLAIN[usize::from(b)] { at } else { 21 };
                assert_eq!(plain_prefix(&text), want, "byte {b:#x} at {at}");
            }
        }
        // Bytes past 0x7f (UTF-8) next to special ones are not mistaken for either.
        assert_eq!(plain_prefix("é😀\"x".as_bytes()), "é😀".len());
        assert_eq!(plain_prefix(b""), 0);
    }
}
