//! acegen compiles an AceStream orchestrator `.env` (and an optional
//! `custom_engine_variant.json`) into a `docker-compose.yml`.
//!
//! The pipeline, one module per stage:
//! [`load`] (read files) → [`validate`] (syntax, values, schemas) →
//! [`forward`] (forwarded ports from a running Gluetun, when asked) →
//! [`resolve`] (variant, engines, ports) → [`render`] (templates, parse-back)
//! → [`emit`] (stdout or an atomic file), or [`diff`] (compare with a file on
//! disk). [`pipeline`] runs the stages in order and collects [`diagnostic`]s;
//! [`report`] prints them. [`cli`] and [`commands`] are the command line;
//! [`keys`] and [`variants`] hold the facts every stage shares.

pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod forward;
pub mod keys;
pub mod load;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod resolve;
pub mod validate;
pub mod variants;
