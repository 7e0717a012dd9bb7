//! Reading the caller's option objects: known keys only, each with its expected type, so a
//! misspelled option (`{ tokne }`) or a wrong type is an `InvalidInput` naming it.

use crate::error::{Error, ErrorKind, Result};
use super::js_value::from_js;
use crate::json::{FromJson, Path};
use crate::text::{cat, list};
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

/// An options object whose keys have been checked against `allowed`.
pub struct Options {
    object: Option<Object>,
    what: &'static str,
    /// The keys present, as the object's own JS strings: a value is read with the key JS
    /// already has, and an absent option costs no call at all (a key made from Rust is a new JS
    /// string per read, garbage on every call; 10,000 `waitForJob` calls made 6 MB of it).
    present: Vec<(String, JsValue)>,
}

impl Options {
    /// `undefined`/`null` mean "no options".
    pub fn read(value: &JsValue, what: &'static str, allowed: &[&str]) -> Result<Options> {
        if value.is_undefined() || value.is_null() {
            return Ok(Options { object: None, what, present: Vec::new() });
        }
        if !value.is_object() || value.is_function() || js_sys::Array::is_array(value) {
            return Err(Error::invalid(what, "must be an object"));
        }
        let object: Object = value.clone().unchecked_into();
        let mut present = Vec::new();
        for js_key in Object::keys(&object).iter() {
            let key = js_key.as_string().unwrap_or_default();
            if !allowed.contains(&key.as_str()) {
                return Err(Error::invalid(&cat(&[what, ".", &key]), cat(&["is not a known option (expected one of: ", &list(allowed), ")"])));
            }
            present.push((key, js_key));
        }
        Ok(Options { object: Some(object), what, present })
    }

    fn field(&self, key: &str) -> String {
        cat(&[self.what, ".", key])
    }

    /// The value, or `None` when absent or `undefined`. Own enumerable keys only: the ones
    /// `read` checked.
    pub fn get(&self, key: &str) -> Option<JsValue> {
        let object = self.object.as_ref()?;
        let (_, js_key) = self.present.iter().find(|(k, _)| k == key)?;
        Reflect::get(object, js_key).ok().filter(|v| !v.is_undefined())
    }

    pub fn string(&self, key: &str) -> Result<Option<String>> {
        self.get(key).map(|v| v.as_string().ok_or_else(|| Error::invalid(&self.field(key), "must be a string"))).transpose()
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>> {
        self.get(key).map(|v| v.as_f64().ok_or_else(|| Error::invalid(&self.field(key), "must be a number"))).transpose()
    }

    pub fn function(&self, key: &str) -> Result<Option<Function>> {
        self.get(key)
            .map(|v| v.dyn_into::<Function>().map_err(|_| Error::invalid(&self.field(key), "must be a function")))
            .transpose()
    }

    /// An `AbortSignal`, also one from another realm or a polyfill (checked by shape).
    pub fn signal(&self, key: &str) -> Result<Option<AbortSignal>> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => self.signal_of(key, value).map(Some),
        }
    }

    /// Apart from `signal`: a call made without one never compiles it (cold start).
    #[inline(never)]
    fn signal_of(&self, key: &str, value: JsValue) -> Result<AbortSignal> {
        let looks_right = value.is_object()
            && Reflect::get(&value, &"aborted".into()).is_ok_and(|a| a.as_bool().is_some())
            && Reflect::get(&value, &"addEventListener".into()).is_ok_and(|f| f.is_function());
        if looks_right { Ok(value.unchecked_into()) } else { Err(Error::invalid(&self.field(key), "must be an AbortSignal")) }
    }

    /// A plain object (or a `Headers`) of string values.
    pub fn string_map(&self, key: &str) -> Result<Vec<(String, String)>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(value) => self.string_map_of(key, value),
        }
    }

    /// Apart from `string_map`: a client made without the option never compiles it (cold start).
    #[inline(never)]
    fn string_map_of(&self, key: &str, value: JsValue) -> Result<Vec<(String, String)>> {
        let field = self.field(key);
        let bad = || Error::invalid(&field, "must be an object of header names to string values");
        if !value.is_object() || js_sys::Array::is_array(&value) {
            return Err(bad());
        }
        let mut out = Vec::new();
        let mut add = |pair: JsValue| {
            let pair: js_sys::Array = pair.dyn_into().map_err(|_| bad())?;
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(k), Some(v)) => {
                    out.push((k, v));
                    Ok(())
                }
                _ => Err(bad()),
            }
        };
        // A `Headers` instance (or any iterable of [name, value] pairs) through
        // `Object.fromEntries`; a plain object as it is.
        let object = if Reflect::get(&value, &js_sys::Symbol::iterator()).is_ok_and(|f| f.is_function()) {
            Object::from_entries(&value).map_err(|_| bad())?
        } else {
            value.unchecked_into()
        };
        for pair in Object::entries(&object).iter() {
            add(pair)?;
        }
        Ok(out)
    }
}

/// A required string argument (an id).
pub fn string_arg(value: &JsValue, field: &str) -> Result<String> {
    if value.is_undefined() || value.is_null() {
        return Err(Error::invalid(field, "is required"));
    }
    value.as_string().ok_or_else(|| Error::invalid(field, "must be a string"))
}

/// A request object, decoded strictly: an unknown (misspelled) field or a wrong type is an
/// `InvalidInput` naming its path (`request.dbCollections[0].collectionNames`).
pub fn request<T: FromJson>(value: &JsValue, field: &str) -> Result<T> {
    if value.is_undefined() || value.is_null() {
        return Err(Error::invalid(field, "is required"));
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(Error::invalid(field, "must be an object"));
    }
    strict(value, field)
}

/// Caller data decoded as `T`: anything unknown or of the wrong type is an `InvalidInput`
/// naming its path under `field`.
pub fn strict<T: FromJson>(value: &JsValue, field: &str) -> Result<T> {
    let at = Path::Root(field);
    from_js(value, at).and_then(|v| T::from_json(&v, at)).map_err(|p| Error::new(ErrorKind::InvalidInput, p.into_message()))
}
