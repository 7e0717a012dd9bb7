//! `POST …/backups/{BACKUP_ID}/export`: copy a backup's files to object storage (a job).

use crate::json::{Fields, FromJson, Obj, Path, Problem, ToJson, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct ExportInput {
    /// An object-storage integration (`integ-…`).
    pub integration_id: String,
    pub directory: Option<String>,
}

impl FromJson for ExportInput {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["integrationId", "directory"])?;
        let input = ExportInput { integration_id: f.req("integrationId"), directory: f.opt("directory") };
        f.done(input)
    }
}

impl ToJson for ExportInput {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("integrationId", &self.integration_id).field_if("directory", &self.directory);
        });
    }
}
