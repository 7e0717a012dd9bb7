//! Wire types, one file per API resource, with the API's camelCase names.
//!
//! Decoding is lenient where the server may grow (unknown fields are ignored, unknown enum values
//! are kept as strings) and strict where the caller is concerned (requests deny unknown fields so a
//! misspelled field name is an error, not a silently ignored option).

pub mod backup;
pub mod envelope;
pub mod export;
pub mod job;
mod open_enum;
pub mod policy;
pub mod restore;
