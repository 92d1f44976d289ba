//! Reporting diagnostics to people and tools.

pub mod text;
