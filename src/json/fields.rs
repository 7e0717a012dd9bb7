//! Decoding JSON values into Rust types field by field, with the path to any problem
//! (`request.dbCollections[0].collectionNames[1]: must be a string, not a number`).
//!
//! Server data is read leniently ([`Fields::of`]: unknown fields ignored, so the API may grow);
//! caller input strictly ([`Fields::strict`]: an unknown field is a misspelling, refused).

use super::Value;
use std::borrow::Cow;
use std::cell::Cell;
use crate::text::{cat, int, list};
use std::fmt;

/// Where a value sits, rendered only when there is a problem to report.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    Root(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// `request.dbCollections[0].dbName`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Key(Path::Root(""), key) => out.push_str(key),
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('.');
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                out.push_str(&int(*i));
                out.push(']');
            }
        }
    }
}

/// What is wrong, and where: `path: problem`. One `String`, so a `Result` carrying it stays
/// small (every field read returns one; a bigger error type showed up as kilobytes of .wasm).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem(String);

impl Problem {
    pub fn new(at: Path, problem: impl Into<String>) -> Problem {
        Problem::at(&at.text(), &problem.into())
    }

    /// A problem at a path already rendered (`Fields::path`).
    pub fn at(path: &str, problem: &str) -> Problem {
        Problem(if path.is_empty() { problem.to_owned() } else { cat(&[path, ": ", problem]) })
    }

    pub fn into_message(self) -> String {
        self.0
    }

    /// "must be a string, not a number".
    pub fn wrong_type(at: Path, expected: &str, got: &Value) -> Problem {
        Problem::new(at, cat(&["must be ", expected, ", not ", got.kind()]))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A type that can be read from a JSON value.
pub trait FromJson: Sized {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem>;
}

impl FromJson for String {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        value.as_str().map(str::to_owned).ok_or_else(|| Problem::wrong_type(at, "a string", value))
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        value.as_f64().ok_or_else(|| Problem::wrong_type(at, "a number", value))
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        match value.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(n as u32),
            _ => Err(Problem::wrong_type(at, "a whole number", value)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        match value {
            Value::Bool(b) => Ok(*b),
            _ => Err(Problem::wrong_type(at, "a boolean", value)),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let Value::Array(items) = value else { return Err(Problem::wrong_type(at, "a list", value)) };
        // A plain loop into an exact-size Vec: no regrowth, and less code per item type than
        // collecting through an iterator of Results.
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item, Path::Index(&at, i))?);
        }
        Ok(out)
    }
}

/// An object's fields.
///
/// Reads do not fail: a problem is recorded (the first one wins) and the read goes on with
/// nothing (`opt`, `need`) or a default (`req`); [`Fields::done`] then returns the decoded
/// value or that problem. So a decoder is one straight line with no early return per field:
/// each `?` was about 100 bytes of wasm (moving a `Result`, dropping the fields read so far),
/// a quarter of the .wasm's decoders (bench/HISTORY.md, seventh round).
pub struct Fields<'a> {
    fields: &'a [(Cow<'a, str>, Value<'a>)],
    at: Path<'a>,
    /// Where the next lookup starts: decoders ask for fields in the order the API sends them,
    /// so each lookup is usually found at once instead of by a scan from the first field.
    next: Cell<usize>,
    /// The first problem a read met, until `done` reports it.
    problem: Cell<Option<Problem>>,
}

/// A decoder must end with `done`, or a problem a read recorded would be lost without a word:
/// checked in debug builds (the tests; in the package's release build it would cost 0.5 KB).
#[cfg(debug_assertions)]
impl Drop for Fields<'_> {
    fn drop(&mut self) {
        assert!(self.problem.get_mut().is_none(), "a decoder recorded a problem and never reported it: end it with Fields::done");
    }
}

impl<'a> Fields<'a> {
    /// An object as the server sends it: fields this client does not know are ignored.
    pub fn of(value: &'a Value<'a>, at: Path<'a>) -> Result<Fields<'a>, Problem> {
        match value {
            Value::Object(fields) => Ok(Fields { fields, at, next: Cell::new(0), problem: Cell::new(None) }),
            _ => Err(Problem::wrong_type(at, "an object", value)),
        }
    }

    /// An object from the caller: a field not in `known` is refused, naming the known ones.
    pub fn strict(value: &'a Value<'a>, at: Path<'a>, known: &[&str]) -> Result<Fields<'a>, Problem> {
        let fields = Fields::of(value, at)?;
        if let Some((key, _)) = fields.fields.iter().find(|(key, _)| !known.contains(&key.as_ref())) {
            return Err(Problem::new(Path::Key(&at, key), cat(&["is not a known field (expected one of: ", &list(known), ")"])));
        }
        Ok(fields)
    }

    /// Whether the object has the field at all (null included).
    pub fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == key)
    }

    /// A present, non-null field.
    #[cfg_attr(hot_paths, optimize(speed))]
    pub fn value(&self, key: &str) -> Option<&'a Value<'a>> {
        let (head, tail) = self.fields.split_at(self.next.get().min(self.fields.len()));
        let i = match tail.iter().position(|(k, _)| k == key) {
            Some(i) => head.len() + i,
            None => head.iter().position(|(k, _)| k == key)?,
        };
        self.next.set(i + 1);
        Some(&self.fields[i].1).filter(|v| !v.is_null())
    }

    /// A field that must be there (and not null); its type's default if it is not.
    pub fn req<T: FromJson + Default>(&self, key: &str) -> T {
        self.need(key).unwrap_or_default()
    }

    /// A field that must be there (and not null); `None` if it is not.
    pub fn need<T: FromJson>(&self, key: &str) -> Option<T> {
        match self.value(key) {
            Some(value) => self.keep(T::from_json(value, Path::Key(&self.at, key))),
            None => {
                self.note(key, "is required");
                None
            }
        }
    }

    /// A field that may be missing or null.
    pub fn opt<T: FromJson>(&self, key: &str) -> Option<T> {
        let value = self.value(key)?;
        self.keep(T::from_json(value, Path::Key(&self.at, key)))
    }

    fn keep<T>(&self, read: Result<T, Problem>) -> Option<T> {
        match read {
            Ok(value) => Some(value),
            Err(problem) => {
                self.record(problem);
                None
            }
        }
    }

    /// Records a problem with a field found after reading it.
    pub fn note(&self, key: &str, problem: &str) {
        self.record(Problem::at(&self.path(key), problem));
    }

    fn record(&self, problem: Problem) {
        let first = self.problem.take();
        self.problem.set(Some(first.unwrap_or(problem)));
    }

    /// The decoded value, or the first problem any read met.
    pub fn done<T>(self, value: T) -> Result<T, Problem> {
        // Moved out where it can be (`take` would leave a field to drop in every decoder);
        // with the debug build's `Drop` above it cannot.
        #[cfg(not(debug_assertions))]
        let problem = self.problem.into_inner();
        #[cfg(debug_assertions)]
        let problem = self.problem.take();
        match problem {
            None => Ok(value),
            Some(problem) => Err(problem),
        }
    }

    /// Where a field sits, for a problem found after decoding it.
    pub fn path(&self, key: &str) -> String {
        Path::Key(&self.at, key).text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    struct Item {
        name: String,
        tags: Option<Vec<String>>,
    }

    impl FromJson for Item {
        fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
            let f = Fields::strict(value, at, &["name", "tags"])?;
            let item = Item { name: f.req("name"), tags: f.opt("tags") };
            f.done(item)
        }
    }

    fn items(text: &str) -> Result<Vec<Item>, String> {
        Vec::<Item>::from_json(&parse(text).unwrap(), Path::Root("request.items")).map_err(|p| p.to_string())
    }

    #[test]
    fn problems_name_the_path() {
        assert_eq!(items(r#"[{"name":"a"},{"name":1}]"#).err().unwrap(), "request.items[1].name: must be a string, not a number");
        assert_eq!(items(r#"[{"name":"a","tags":["x",null]}]"#).err().unwrap(), "request.items[0].tags[1]: must be a string, not null");
        assert_eq!(items(r#"[{}]"#).err().unwrap(), "request.items[0].name: is required");
        assert_eq!(items(r#"[{"name":"a","tag":[]}]"#).err().unwrap(), "request.items[0].tag: is not a known field (expected one of: name, tags)");
        assert_eq!(items(r#"{}"#).err().unwrap(), "request.items: must be a list, not an object");
        let ok = items(r#"[{"name":"a","tags":null},{"name":"b","tags":["t"]}]"#).unwrap();
        assert_eq!((ok[0].name.as_str(), ok[0].tags.is_none(), ok[1].tags.as_deref()), ("a", true, Some(&["t".to_owned()][..])));
    }

    #[test]
    fn the_first_problem_is_the_one_reported() {
        let v = parse(r#"{"a":1,"c":"x"}"#).unwrap();
        let f = Fields::of(&v, Path::Root("r")).unwrap();
        let (a, b, c): (String, Option<String>, Option<String>) = (f.req("a"), f.need("b"), f.opt("c"));
        assert_eq!((a.as_str(), b, c.as_deref()), ("", None, Some("x")), "reads go on after a problem");
        assert_eq!(f.done(()).unwrap_err().to_string(), "r.a: must be a string, not a number");
        let f = Fields::of(&v, Path::Root("r")).unwrap();
        let _: Option<f64> = f.need("b");
        f.note("c", "is odd");
        assert_eq!(f.done(()).unwrap_err().to_string(), "r.b: is required");
    }

    #[test]
    #[should_panic(expected = "never reported it")]
    fn a_decoder_that_forgets_done_is_caught_in_tests() {
        let v = parse(r#"{"a":1}"#).unwrap();
        let f = Fields::of(&v, Path::Root("r")).unwrap();
        let _: String = f.req("a");
    }

    #[test]
    fn a_root_without_a_name_leaves_no_leading_dot() {
        let v = parse(r#"{"a":1}"#).unwrap();
        let f = Fields::of(&v, Path::Root("")).unwrap();
        assert_eq!(f.req::<String>("a"), "");
        assert_eq!(f.done(()).unwrap_err().to_string(), "a: must be a string, not a number");
    }
}
