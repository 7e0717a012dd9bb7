//! Fault scripts as data. A test registers rules through the control API; each `/v2/` request takes
//! the first matching rule (registration order), which spends one of its `times`. Handlers know
//! nothing of faults: the dispatcher either answers with the fault instead of calling the handler
//! (`after: false`) or calls the handler and then replaces its response (`after: true`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::envelope::status_envelope;
use crate::http::{reason_phrase, Reply, Response};

/// What a rule does to the exchange.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Fault {
    /// Any HTTP status (429, 5xx, 401, …) with an optional raw body and extra headers (e.g. Retry-After).
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
    },
    /// An HTML error page as a proxy or load balancer would send it.
    Html {
        #[serde(default = "default_html_status")]
        status: u16,
    },
    /// HTTP 200 with a non-zero envelope code.
    Business {
        code: i64,
        #[serde(default = "default_business_message")]
        message: String,
    },
    /// Stall this many milliseconds, then answer normally.
    Delay { ms: u64 },
    /// HTTP 200, `Content-Type: application/json`, a body that is not JSON.
    Malformed,
    /// Announce a Content-Length larger than what is sent, then close.
    Truncated,
    /// Close the connection without writing anything.
    Drop,
    /// A redirect (3xx) to `location`; a client must not follow it blindly.
    Redirect {
        #[serde(default = "default_redirect_status")]
        status: u16,
        location: String,
    },
    /// HTTP 200 with a valid JSON envelope padded to exactly `bytes` bytes (the real response
    /// with `after: true`, else `{"code":0,"data":{}}`), plus a top-level `"padding"` field.
    Big { bytes: u64 },
}

/// Big bodies are built in memory: keep a test script from exhausting it.
pub const MAX_BIG_BYTES: u64 = 256 * 1024 * 1024;

fn default_redirect_status() -> u16 {
    302
}

fn default_html_status() -> u16 {
    502
}

fn default_business_message() -> String {
    "Injected business error".into()
}

/// A registered rule.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    pub fault_id: String,
    /// `None` = any method except OPTIONS (browser preflights are only faulted when asked for explicitly,
    /// otherwise a preflight would silently consume a fault meant for the real request).
    pub method: Option<String>,
    pub path_prefix: String,
    /// Uses left; the rule is removed when it reaches 0.
    pub remaining: u64,
    pub after: bool,
    pub fault: Fault,
}

/// The JSON a test posts to `/__emulator/faults`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    pub method: Option<String>,
    pub path_prefix: Option<String>,
    pub times: Option<u64>,
    #[serde(default)]
    pub after: bool,
    pub fault: Fault,
}

impl FaultSpec {
    /// Validates and turns the spec into a rule.
    pub fn into_rule(self, fault_id: String) -> Result<FaultRule, String> {
        let times = self.times.unwrap_or(1);
        if times == 0 {
            return Err("times must be at least 1".into());
        }
        match &self.fault {
            Fault::Status { status, .. } | Fault::Html { status }
                if !(100..=599).contains(status) =>
            {
                return Err(format!("status {status} is not an HTTP status"));
            }
            Fault::Business { code: 0, .. } => {
                return Err("a business fault needs a non-zero code".into())
            }
            Fault::Redirect { status, .. } if !(300..=399).contains(status) => {
                return Err(format!("a redirect needs a 3xx status, got {status}"));
            }
            Fault::Redirect { location, .. } if location.is_empty() => {
                return Err("a redirect needs a location".into());
            }
            Fault::Big { bytes } if *bytes > MAX_BIG_BYTES => {
                return Err(format!("bytes must be at most {MAX_BIG_BYTES}"));
            }
            _ => {}
        }
        Ok(FaultRule {
            fault_id,
            method: self.method.map(|m| m.to_ascii_uppercase()),
            path_prefix: self.path_prefix.unwrap_or_else(|| "/v2/".into()),
            remaining: times,
            after: self.after,
            fault: self.fault,
        })
    }
}

impl FaultRule {
    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = match &self.method {
            Some(m) => m.eq_ignore_ascii_case(method),
            None => !method.eq_ignore_ascii_case("OPTIONS"),
        };
        method_ok && path.starts_with(&self.path_prefix)
    }
}

/// Takes one use of the first rule matching the request; returns `(after, fault)`.
pub fn take_matching(
    rules: &mut Vec<FaultRule>,
    method: &str,
    path: &str,
) -> Option<(bool, Fault)> {
    let i = rules.iter().position(|r| r.matches(method, path))?;
    let rule = &mut rules[i];
    rule.remaining -= 1;
    let hit = (rule.after, rule.fault.clone());
    if rule.remaining == 0 {
        rules.remove(i);
    }
    Some(hit)
}

/// How a fault (other than `Delay`, which the dispatcher handles by sleeping) is written to the socket.
/// `real` is the handler's response when the rule runs `after` the handler.
pub fn render(fault: &Fault, real: Option<Response>) -> Reply {
    match fault {
        Fault::Status {
            status,
            body,
            headers,
        } => {
            let mut resp = match body {
                Some(text) => {
                    let ct = if serde_json::from_str::<Value>(text).is_ok() {
                        "application/json"
                    } else {
                        "text/plain; charset=utf-8"
                    };
                    Response::new(*status, ct, text.clone())
                }
                None => Response::json(*status, &status_envelope(*status, reason_phrase(*status))),
            };
            for (name, value) in headers {
                resp.set_header(name, value.clone());
            }
            Reply::Send(resp)
        }
        Fault::Html { status } => {
            let phrase = reason_phrase(*status);
            let page = format!(
                "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n\
                 <center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n\
                 </body>\r\n</html>\r\n"
            );
            Reply::Send(Response::new(*status, "text/html", page))
        }
        Fault::Business { code, message } => Reply::Send(Response::json(
            200,
            &serde_json::json!({ "code": code, "message": message }),
        )),
        Fault::Malformed => Reply::Send(Response::new(
            200,
            "application/json",
            "{\"code\":0,\"data\":{\"jobId\":<<not json",
        )),
        Fault::Truncated => {
            let resp = match real {
                Some(r) if r.body.len() >= 2 => r,
                _ => Response::new(
                    200,
                    "application/json",
                    "{\"code\":0,\"data\":{\"status\":\"IN_PROGRESS\"}}",
                ),
            };
            Reply::Truncate(resp)
        }
        Fault::Drop => Reply::Drop,
        Fault::Redirect { status, location } => {
            let mut resp =
                Response::json(*status, &status_envelope(*status, reason_phrase(*status)));
            resp.set_header("Location", location.clone());
            Reply::Send(resp)
        }
        Fault::Big { bytes } => Reply::Send(big(real, *bytes)),
        // Not reached: the dispatcher sleeps and answers normally. Kept total for safety.
        Fault::Delay { .. } => real.map_or(Reply::Drop, Reply::Send),
    }
}

/// The envelope (the real one if it is a JSON object) with a `"padding":"xxx…"` field making the
/// body exactly `bytes` long (or as short as it can be, if `bytes` is smaller than the envelope).
fn big(real: Option<Response>, bytes: u64) -> Response {
    let mut base = real
        .and_then(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| serde_json::json!({ "code": 0, "data": {} }));
    base["padding"] = Value::String(String::new());
    let empty_len = base.to_string().len() as u64;
    let pad = bytes.saturating_sub(empty_len) as usize;
    base["padding"] = Value::String("x".repeat(pad));
    Response::json(200, &base)
}

/// `POST /__emulator/config {"randomFaults": …}`: fail a fraction of `/v2/` requests (not
/// preflights) with a fault drawn from [`RANDOM_MENU`], for soak tests. Scripted rules win over it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RandomFaultsSpec {
    /// Share of requests faulted, 0–1 (0 turns random faults off).
    pub rate: f64,
    /// The same seed and the same request sequence give the same faults.
    #[serde(default)]
    pub seed: u64,
    /// How long a `delay` fault stalls (make it longer than the client's per-request timeout).
    #[serde(default = "default_random_delay_ms")]
    pub delay_ms: u64,
    /// Size of a `big` body.
    #[serde(default = "default_random_big_bytes")]
    pub big_bytes: u64,
}

fn default_random_delay_ms() -> u64 {
    1000
}

fn default_random_big_bytes() -> u64 {
    1024 * 1024
}

/// What a drawn fault does, before the handler (the server does nothing) or after it (the server
/// acted, the answer is lost). Only failures a real path can produce after the server acted (a
/// gateway error, a lost or cut connection, a stall, a garbled or padded body) are used `after`:
/// a 429/401/403/business error/redirect there would be a lie no client could handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RandomKind {
    Status(u16),
    Status429RetryAfterSecs,
    Status429RetryAfterDate,
    Html(u16),
    Business,
    Drop,
    Truncated,
    Delay,
    Malformed,
    Redirect,
    Big,
}

/// Every random fault: (after, kind). Each is drawn with the same probability.
pub const RANDOM_MENU: &[(bool, RandomKind)] = &[
    (false, RandomKind::Status(429)),
    (false, RandomKind::Status429RetryAfterSecs),
    (false, RandomKind::Status429RetryAfterDate),
    (false, RandomKind::Status(500)),
    (false, RandomKind::Status(502)),
    (false, RandomKind::Status(503)),
    (false, RandomKind::Status(504)),
    (false, RandomKind::Html(502)),
    (false, RandomKind::Business),
    (false, RandomKind::Status(401)),
    (false, RandomKind::Status(403)),
    (false, RandomKind::Drop),
    (false, RandomKind::Truncated),
    (false, RandomKind::Delay),
    (false, RandomKind::Malformed),
    (false, RandomKind::Redirect),
    (false, RandomKind::Big),
    (true, RandomKind::Status(500)),
    (true, RandomKind::Status(502)),
    (true, RandomKind::Status(503)),
    (true, RandomKind::Status(504)),
    (true, RandomKind::Html(504)),
    (true, RandomKind::Drop),
    (true, RandomKind::Truncated),
    (true, RandomKind::Delay),
    (true, RandomKind::Malformed),
    (true, RandomKind::Big),
];

impl RandomKind {
    /// The name stats count it under, e.g. `"503"`, `"429 Retry-After date"`, `"drop"`.
    pub fn label(self) -> String {
        match self {
            RandomKind::Status(s) => s.to_string(),
            RandomKind::Status429RetryAfterSecs => "429 Retry-After 1".into(),
            RandomKind::Status429RetryAfterDate => "429 Retry-After date".into(),
            RandomKind::Html(s) => format!("html {s}"),
            RandomKind::Business => "business".into(),
            RandomKind::Drop => "drop".into(),
            RandomKind::Truncated => "truncated".into(),
            RandomKind::Delay => "delay".into(),
            RandomKind::Malformed => "malformed".into(),
            RandomKind::Redirect => "redirect".into(),
            RandomKind::Big => "big".into(),
        }
    }

    /// The scripted fault it stands for; `wall_ms` (Unix ms) dates a `Retry-After` date.
    fn fault(self, spec: &RandomFaultsSpec, wall_ms: u64) -> Fault {
        let status = |status: u16, headers: &[(&str, String)]| Fault::Status {
            status,
            body: None,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        };
        match self {
            RandomKind::Status(s) => status(s, &[]),
            RandomKind::Status429RetryAfterSecs => status(429, &[("Retry-After", "1".into())]),
            // Rounded up to the next whole second, at least one second away.
            RandomKind::Status429RetryAfterDate => {
                status(429, &[("Retry-After", http_date(wall_ms / 1000 + 2))])
            }
            RandomKind::Html(s) => Fault::Html { status: s },
            RandomKind::Business => Fault::Business {
                code: 65000,
                message: "Injected random business error".into(),
            },
            RandomKind::Drop => Fault::Drop,
            RandomKind::Truncated => Fault::Truncated,
            RandomKind::Delay => Fault::Delay { ms: spec.delay_ms },
            RandomKind::Malformed => Fault::Malformed,
            // Port 1 on loopback: nothing listens there, so a client that follows it fails loudly.
            RandomKind::Redirect => Fault::Redirect {
                status: 302,
                location: "http://127.0.0.1:1/v2/redirected".into(),
            },
            RandomKind::Big => Fault::Big {
                bytes: spec.big_bytes,
            },
        }
    }
}

/// The live random-fault generator and what it has done.
#[derive(Debug, Clone)]
pub struct RandomFaults {
    pub spec: RandomFaultsSpec,
    rng: crate::state::Rng,
    /// Requests considered (every non-preflight `/v2/` request no scripted rule took).
    pub considered: u64,
    /// Label (`"before 503"`, `"after drop"`) → times used.
    pub by_kind: BTreeMap<String, u64>,
}

impl RandomFaults {
    pub fn new(spec: RandomFaultsSpec) -> Result<Self, String> {
        if !(spec.rate.is_finite() && (0.0..=1.0).contains(&spec.rate)) {
            return Err("randomFaults.rate must be between 0 and 1".into());
        }
        if spec.big_bytes > MAX_BIG_BYTES {
            return Err(format!(
                "randomFaults.bigBytes must be at most {MAX_BIG_BYTES}"
            ));
        }
        Ok(RandomFaults {
            rng: crate::state::Rng::with_seed(spec.seed),
            spec,
            considered: 0,
            by_kind: BTreeMap::new(),
        })
    }

    /// Draws for one request: `Some((after, fault))` for `rate` of them. Preflights are never
    /// faulted (a browser would otherwise fail before the real request).
    pub fn draw(&mut self, method: &str, wall_ms: u64) -> Option<(bool, Fault)> {
        if method.eq_ignore_ascii_case("OPTIONS") {
            return None;
        }
        self.considered += 1;
        // 53 random bits → uniform in [0, 1).
        let roll = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        if roll >= self.spec.rate {
            return None;
        }
        let (after, kind) = RANDOM_MENU[(self.rng.next_u64() % RANDOM_MENU.len() as u64) as usize];
        let when = if after { "after" } else { "before" };
        *self
            .by_kind
            .entry(format!("{when} {}", kind.label()))
            .or_default() += 1;
        Some((after, kind.fault(&self.spec, wall_ms)))
    }

    /// For `GET /__emulator/stats`.
    pub fn stats_json(&self) -> Value {
        serde_json::json!({
            "rate": self.spec.rate,
            "seed": self.spec.seed,
            "considered": self.considered,
            "faulted": self.by_kind.values().sum::<u64>(),
            "byKind": self.by_kind,
        })
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for Unix seconds, from the ISO form.
pub fn http_date(unix_secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let iso = crate::clock::iso_from_unix_secs(unix_secs); // 2024-07-30T16:49:50Z
    let month: usize = iso[5..7].parse().unwrap_or(1);
    format!(
        "{}, {} {} {} {} GMT",
        DAYS[(unix_secs / 86_400 % 7) as usize],
        &iso[8..10],
        MONTHS[month - 1],
        &iso[0..4],
        &iso[11..19]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> FaultRule {
        serde_json::from_str::<FaultSpec>(json)
            .unwrap()
            .into_rule("f1".into())
            .unwrap()
    }

    #[test]
    fn parses_specs_with_defaults() {
        let r = rule(r#"{"fault":{"type":"status","status":503,"headers":{"Retry-After":"2"}}}"#);
        assert_eq!(
            (r.method, r.path_prefix.as_str(), r.remaining, r.after),
            (None, "/v2/", 1, false)
        );
        let r = rule(
            r#"{"method":"get","pathPrefix":"/v2/jobs/","times":3,"after":true,"fault":{"type":"drop"}}"#,
        );
        assert_eq!(r.method.as_deref(), Some("GET"));
        assert_eq!(r.fault, Fault::Drop);
        assert_eq!(
            rule(r#"{"fault":{"type":"html"}}"#).fault,
            Fault::Html { status: 502 }
        );
    }

    #[test]
    fn big_bodies_have_the_exact_size() {
        for n in [0u64, 10, 100, 12_345] {
            let r = big(None, n);
            let v: Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(v["code"], 0);
            if n >= 40 {
                assert_eq!(r.body.len() as u64, n);
            }
        }
        let real = Response::json(200, &serde_json::json!({"code":0,"data":{"jobId":"j"}}));
        let r = big(Some(real), 1000);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            (r.body.len(), &v["data"]["jobId"]),
            (1000, &Value::from("j"))
        );
    }

    #[test]
    fn rejects_bad_specs() {
        assert!(serde_json::from_str::<FaultSpec>(r#"{"fault":{"type":"nope"}}"#).is_err());
        assert!(
            serde_json::from_str::<FaultSpec>(r#"{"fault":{"type":"drop"},"tims":2}"#).is_err()
        );
        let spec: FaultSpec =
            serde_json::from_str(r#"{"fault":{"type":"business","code":0}}"#).unwrap();
        assert!(spec.into_rule("x".into()).is_err());
        for bad in [
            r#"{"fault":{"type":"redirect","status":200,"location":"/x"}}"#,
            r#"{"fault":{"type":"big","bytes":999999999999}}"#,
        ] {
            let spec: FaultSpec = serde_json::from_str(bad).unwrap();
            assert!(spec.into_rule("x".into()).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<FaultSpec>(r#"{"fault":{"type":"redirect"}}"#).is_err());
    }

    #[test]
    fn rules_match_in_order_and_wear_out() {
        let mut rules = vec![
            rule(r#"{"method":"GET","pathPrefix":"/v2/jobs/","times":2,"fault":{"type":"drop"}}"#),
            rule(r#"{"fault":{"type":"malformed"}}"#),
        ];
        assert_eq!(
            take_matching(&mut rules, "POST", "/v2/clusters/x"),
            Some((false, Fault::Malformed))
        );
        assert!(take_matching(&mut rules, "OPTIONS", "/v2/jobs/j").is_none());
        assert_eq!(
            take_matching(&mut rules, "GET", "/v2/jobs/j"),
            Some((false, Fault::Drop))
        );
        assert_eq!(
            take_matching(&mut rules, "GET", "/v2/jobs/j"),
            Some((false, Fault::Drop))
        );
        assert!(take_matching(&mut rules, "GET", "/v2/jobs/j").is_none());
    }

    fn random(rate: f64, seed: u64) -> RandomFaults {
        RandomFaults::new(RandomFaultsSpec {
            rate,
            seed,
            delay_ms: 1000,
            big_bytes: 1024,
        })
        .unwrap()
    }

    #[test]
    fn random_faults_follow_the_rate_and_the_seed() {
        let draws = |seed| {
            let mut r = random(0.05, seed);
            (0..20_000)
                .map(|_| r.draw("GET", 0).map(|(a, f)| format!("{a}{f:?}")))
                .collect::<Vec<_>>()
        };
        let a = draws(42);
        assert_eq!(a, draws(42), "deterministic for a seed");
        assert_ne!(a, draws(43));
        let hits = a.iter().flatten().count();
        assert!((800..1200).contains(&hits), "about 5% of 20000: {hits}");
        // Every kind of the menu comes up.
        let mut r = random(1.0, 7);
        for _ in 0..5000 {
            r.draw("POST", 0);
        }
        assert_eq!(r.by_kind.len(), RANDOM_MENU.len(), "{:?}", r.by_kind);
        assert_eq!(r.considered, 5000);
        assert!(random(1.0, 1).draw("OPTIONS", 0).is_none());
        assert!(random(0.0, 1).draw("GET", 0).is_none());
        assert!(RandomFaults::new(RandomFaultsSpec {
            rate: 1.5,
            ..random(0.0, 0).spec
        })
        .is_err());
    }

    #[test]
    fn only_lost_answers_come_after_the_handler() {
        for (after, kind) in RANDOM_MENU {
            if *after {
                assert!(
                    !matches!(kind, RandomKind::Status(s) if *s < 500)
                        && !matches!(
                            kind,
                            RandomKind::Business
                                | RandomKind::Redirect
                                | RandomKind::Status429RetryAfterSecs
                                | RandomKind::Status429RetryAfterDate
                        ),
                    "{kind:?}"
                );
            }
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(1_722_358_190), "Tue, 30 Jul 2024 16:49:50 GMT");
    }
}
