//! # zilliz-cloud-backup
//!
//! Create Zilliz Cloud backups and follow the backup job to its end, from browsers, Node, Deno,
//! Bun and Cloudflare workerd. The logic is plain Rust (unit-tested natively); only `wasm/`
//! touches JavaScript (`fetch`, timers, `AbortSignal`, JS values). See ARCHITECTURE.md.
//!
//! ```js
//! import { BackupClient } from "zilliz-cloud-backup";
//! const client = new BackupClient({ token: env.ZILLIZ_API_KEY });
//! const { backupId, job } = await client.createBackupAndWait("in01-…", { backupType: "CLUSTER" });
//! ```

// Floats are bounded with `max().min()`, not `clamp()`: clamp's panic message formats floats,
// which would pull core's float formatting (~20 KB) into the .wasm.
#![allow(clippy::manual_clamp)]

pub mod client;
pub mod config;
pub mod endpoints;
pub mod error;
pub mod flows;
pub mod host;
pub mod http;
pub mod json;
pub mod limiter;
pub mod model;
pub mod retry;
pub mod text;
pub mod time;
pub mod validate;
pub mod waiter;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(test)]
mod test_support;

pub use client::Client;
pub use config::{ClientConfig, ClientOptions};
pub use error::{Error, ErrorKind};
