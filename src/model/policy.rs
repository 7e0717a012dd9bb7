//! The automatic-backup policy: `GET`/`POST /v2/clusters/{CLUSTER_ID}/backups/policy`.

use crate::json::{Fields, FromJson, Obj, Path, Problem, ToJson, Value};

/// Weekdays as the caller may give them: `[1, 3]`, `["MON", "wed"]`, `"daily"`, `"1,3,5"`.
#[derive(Clone, Debug, PartialEq)]
pub enum FrequencyInput {
    Text(String),
    Days(Vec<DayInput>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum DayInput {
    Number(f64),
    Name(String),
}

impl FromJson for FrequencyInput {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        match value {
            Value::String(s) => Ok(FrequencyInput::Text(s.to_string())),
            Value::Array(_) => Vec::from_json(value, at).map(FrequencyInput::Days),
            _ => Err(Problem::wrong_type(at, "weekdays: a list (1–7 or MON–SUN) or a string (\"daily\", \"weekdays\", \"weekends\", \"1,3,5\")", value)),
        }
    }
}

impl FromJson for DayInput {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        match value {
            Value::String(s) => Ok(DayInput::Name(s.to_string())),
            Value::Number(n) => Ok(DayInput::Number(*n)),
            _ => Err(Problem::wrong_type(at, "a weekday: 1–7 or MON–SUN", value)),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CrossRegionCopyPolicy {
    pub region_id: String,
    pub retention_days: Option<f64>,
}

impl CrossRegionCopyPolicy {
    fn read(f: Fields) -> Result<Self, Problem> {
        let copy = CrossRegionCopyPolicy { region_id: f.req("regionId"), retention_days: f.opt("retentionDays") };
        f.done(copy)
    }
}

/// From the caller: strict.
impl FromJson for CrossRegionCopyPolicy {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        Self::read(Fields::strict(value, at, &["regionId", "retentionDays"])?)
    }
}

impl ToJson for CrossRegionCopyPolicy {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("regionId", &self.region_id).field_if("retentionDays", &self.retention_days);
        });
    }
}

/// `setBackupPolicy` options as the caller gives them.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyInput {
    pub enabled: bool,
    pub frequency: Option<FrequencyInput>,
    /// A two-hour UTC window `"HH:00-HH:00"`, or its start `"HH:00"`.
    pub start_time: Option<String>,
    pub retention_days: Option<f64>,
    pub cross_region_copies: Option<Vec<CrossRegionCopyPolicy>>,
}

impl FromJson for PolicyInput {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["enabled", "frequency", "startTime", "retentionDays", "crossRegionCopies"])?;
        let input = PolicyInput {
            enabled: f.req("enabled"),
            frequency: f.opt("frequency"),
            start_time: f.opt("startTime"),
            retention_days: f.opt("retentionDays"),
            cross_region_copies: f.opt("crossRegionCopies"),
        };
        f.done(input)
    }
}

/// The body sent, normalised by `validate::policy`.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyBody {
    pub enabled: bool,
    pub frequency: Option<String>,
    pub start_time: Option<String>,
    pub retention_days: Option<u32>,
    pub cross_region_copies: Option<Vec<CrossRegionCopyPolicy>>,
}

impl ToJson for PolicyBody {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("enabled", &self.enabled)
                .field_if("frequency", &self.frequency)
                .field_if("startTime", &self.start_time)
                .field_if("retentionDays", &self.retention_days)
                .field_if("crossRegionCopies", &self.cross_region_copies);
        });
    }
}

/// The policy as the server reports it, with `frequency` as a list of weekdays (1 = Monday).
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub cluster_id: String,
    /// ENABLED or DISABLED.
    pub status: String,
    pub frequency: Vec<u8>,
    pub start_time: Option<String>,
    pub retention_days: Option<f64>,
    pub cross_region_copies: Option<Vec<CrossRegionCopyPolicy>>,
}

impl FromJson for Policy {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let copies = match f.value("crossRegionCopies") {
            // From the server: fields this client does not know are ignored.
            Some(Value::Array(items)) => {
                let mut copies = Vec::with_capacity(items.len());
                for (i, c) in items.iter().enumerate() {
                    copies.push(CrossRegionCopyPolicy::read(Fields::of(c, Path::Index(&Path::Key(&at, "crossRegionCopies"), i))?)?);
                }
                Some(copies)
            }
            Some(other) => return Err(Problem::wrong_type(Path::Key(&at, "crossRegionCopies"), "a list", other)),
            None => None,
        };
        let policy = Policy {
            cluster_id: f.req("clusterId"),
            status: f.req("status"),
            frequency: weekdays_from_wire(f.value("frequency")),
            start_time: f.opt("startTime"),
            retention_days: f.opt("retentionDays"),
            cross_region_copies: copies,
        };
        f.done(policy)
    }
}

impl ToJson for Policy {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("clusterId", &self.cluster_id)
                .field("status", &self.status)
                .field("frequency", &self.frequency)
                .field("startTime", &self.start_time)
                .field("retentionDays", &self.retention_days)
                .field("crossRegionCopies", &self.cross_region_copies);
        });
    }
}

/// `"1,2,5"` (or null) → `[1, 2, 5]`; anything unreadable is skipped rather than failing.
fn weekdays_from_wire(value: Option<&Value>) -> Vec<u8> {
    let mut days = Vec::new();
    for part in crate::text::Parts::new(value.and_then(Value::as_str).unwrap_or_default(), b',') {
        days.extend(crate::text::parse_u8(part.trim_ascii()).filter(|d| (1..=7).contains(d)));
    }
    days
}

/// `POST …/policy` answers `{clusterId, status}`.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyStatus {
    pub cluster_id: String,
    pub status: String,
}

impl FromJson for PolicyStatus {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let status = PolicyStatus { cluster_id: f.req("clusterId"), status: f.req("status") };
        f.done(status)
    }
}

impl ToJson for PolicyStatus {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("clusterId", &self.cluster_id).field("status", &self.status);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn policy_output_has_weekdays_as_a_list() {
        let p: Policy = json::decode(&json::parse(r#"{"clusterId":"inxx","status":"ENABLED","startTime":"02:00-04:00","frequency":"1,2,3,5","retentionDays":7}"#).unwrap()).unwrap();
        assert_eq!(p.frequency, vec![1, 2, 3, 5]);
        let p: Policy = json::decode(&json::parse(r#"{"clusterId":"inxx","status":"DISABLED","startTime":null,"frequency":null,"retentionDays":0}"#).unwrap()).unwrap();
        assert!(p.frequency.is_empty());
    }
}
