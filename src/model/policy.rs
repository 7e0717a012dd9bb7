//! The automatic-backup policy: `GET`/`POST /v2/clusters/{CLUSTER_ID}/backups/policy`.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::fmt;
use serde::{Deserialize, Serialize};

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

// Hand-written visitors rather than `#[serde(untagged)]`, whose buffering machinery would add
// tens of kilobytes to the .wasm.
impl<'de> Deserialize<'de> for FrequencyInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FrequencyInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("weekdays: a list (1–7 or MON–SUN) or a string (\"daily\", \"weekdays\", \"weekends\", \"1,3,5\")")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FrequencyInput::Text(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut days = Vec::new();
                while let Some(day) = seq.next_element()? {
                    days.push(day);
                }
                Ok(FrequencyInput::Days(days))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for DayInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DayInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a weekday: 1–7 or MON–SUN")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(DayInput::Name(v.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(DayInput::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(DayInput::Number(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(DayInput::Number(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossRegionCopyPolicy {
    pub region_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<f64>,
}

/// `setBackupPolicy` options as the caller gives them.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyInput {
    pub enabled: bool,
    #[serde(default)]
    pub frequency: Option<FrequencyInput>,
    /// A two-hour UTC window `"HH:00-HH:00"`, or its start `"HH:00"`.
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub retention_days: Option<f64>,
    #[serde(default)]
    pub cross_region_copies: Option<Vec<CrossRegionCopyPolicy>>,
}

/// The body sent, normalised by `validate::policy`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyBody {
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_region_copies: Option<Vec<CrossRegionCopyPolicy>>,
}

/// The policy as the server reports it, with `frequency` as a list of weekdays (1 = Monday).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub cluster_id: String,
    /// ENABLED or DISABLED.
    pub status: String,
    #[serde(default, deserialize_with = "weekdays_from_wire")]
    pub frequency: Vec<u8>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub retention_days: Option<f64>,
    #[serde(default)]
    pub cross_region_copies: Option<Vec<CrossRegionCopyPolicy>>,
}

/// `"1,2,5"` (or null) → `[1, 2, 5]`; anything unreadable is skipped rather than failing.
fn weekdays_from_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    Ok(text
        .unwrap_or_default()
        .split(',')
        .filter_map(|p| p.trim().parse::<u8>().ok())
        .filter(|d| (1..=7).contains(d))
        .collect())
}

/// `POST …/policy` answers `{clusterId, status}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyStatus {
    pub cluster_id: String,
    pub status: String,
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
