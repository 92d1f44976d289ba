//! acegen compiles an AceStream orchestrator `.env` (and an optional
//! `custom_engine_variant.json`) into a `docker-compose.yml`, or into
//! Kubernetes manifests.
//!
//! The pipeline, one module per stage:
//! [`load`] (read files) → [`validate`] (syntax, values, schemas) →
//! [`forward`] (forwarded ports from a running Gluetun, when asked) →
//! [`resolve`] (variant, engines, ports, VPN layout: one target-neutral
//! plan) → [`render`] (one renderer per target: `render::compose`,
//! `render::kubernetes`) → [`emit`] (stdout, an atomic file or an atomic
//! folder), or [`diff`] (compare with what is on disk). [`pipeline`] runs the stages in order and collects [`diagnostic`]s;
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
pub mod orchestrator21;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod resolve;
pub mod validate;
pub mod variants;

#[cfg(test)]
pub(crate) mod test_support;
