//! `POST …/backups/{BACKUP_ID}/export`: copy a backup's files to object storage (a job).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportInput {
    /// An object-storage integration (`integ-…`).
    pub integration_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
}
