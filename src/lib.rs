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
// The package is built at opt-level "z" (bytes). The few functions every response runs through,
// byte by byte (the JSON reader's values and strings, the writer's strings and fields, a field's
// lookup), are marked `#[cfg_attr(hot_paths, optimize(speed))]`: compiled for speed, a 10-backup
// page's client CPU about 10 % lower for about 400 B gzip (bench/HISTORY.md, twelfth round). The
// attribute is unstable; `hot_paths` is set only by the package build (scripts/lib.sh), which
// already builds std from source under RUSTC_BOOTSTRAP, so stable builds (tests) never see it.
#![cfg_attr(hot_paths, feature(optimize_attribute))]

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
