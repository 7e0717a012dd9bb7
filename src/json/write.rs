//! Writing JSON text: [`ToJson`] for values, [`Obj`] for objects field by field.

use super::number::format_number;
use super::plain_prefix;
use super::Value;

/// A value that can write itself as JSON.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// A string in double quotes with JSON escapes, for messages (`"a b"`): what `{:?}` does,
/// without core's Unicode tables.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string(s, &mut out);
    out
}

/// `value` as JSON text.
pub fn to_string(value: &dyn ToJson) -> String {
    let mut out = String::with_capacity(512);
    value.write_json(&mut out);
    out
}

/// Writes an object: `Obj::write(out, |o| { o.field("a", &1.0); })`.
pub struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl Obj<'_> {
    pub fn write(out: &mut String, fields: impl FnOnce(&mut Obj)) {
        out.push('{');
        fields(&mut Obj { out, first: true });
        out.push('}');
    }

    /// A field (an `Option` writes `null` when `None`).
    #[cfg_attr(hot_paths, optimize(speed))]
    pub fn field(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        Obj::write_field(self.out, key, value);
        self
    }

    /// `"key":value`, for callers that add a field to an object already written.
    #[cfg_attr(hot_paths, optimize(speed))]
    pub fn write_field(out: &mut String, key: &str, value: &dyn ToJson) {
        write_string(key, out);
        out.push(':');
        value.write_json(out);
    }

    /// A field only when it has a value (the request bodies leave unset fields out).
    pub fn field_if<T: ToJson>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        if let Some(v) = value {
            self.field(key, v);
        }
        self
    }
}

#[cfg_attr(hot_paths, optimize(speed))]
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    loop {
        // Runs end at ASCII bytes, so every slice of `s` here is on a character boundary.
        let end = start + plain_prefix(&bytes[start..]);
        out.push_str(&s[start..end]);
        let Some(&b) = bytes.get(end) else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
        start = end + 1;
    }
    out.push('"');
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        format_number(*self, out);
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        format_number(f64::from(*self), out);
    }
}

impl ToJson for u8 {
    fn write_json(&self, out: &mut String) {
        format_number(f64::from(*self), out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl ToJson for Value<'_> {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => n.write_json(out),
            Value::String(s) => write_string(s, out),
            Value::Array(items) => items.write_json(out),
            Value::Object(fields) => Obj::write(out, |o| {
                for (k, v) in fields {
                    o.field(k, v);
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn writes_objects_lists_and_escapes() {
        let mut out = String::new();
        Obj::write(&mut out, |o| {
            o.field("s", &"a\"b\\c\n\u{1}é").field("n", &2.5).field("none", &None::<String>).field_if("skipped", &None::<f64>);
            o.field("list", &vec![1u32, 2]).field("yes", &true);
        });
        assert_eq!(out, r#"{"s":"a\"b\\c\n\u0001é","n":2.5,"none":null,"list":[1,2],"yes":true}"#);
    }

    #[test]
    fn values_round_trip() {
        let text = r#"{"a":[1,-2.5,true,false,null],"b":{"c":"x\"\\/\u0008\u000c\n\r\té😀"},"e":{},"f":[]}"#;
        let v = parse(text).unwrap();
        assert_eq!(parse(&to_string(&v)).unwrap(), v);
    }
}
