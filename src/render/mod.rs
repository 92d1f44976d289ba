//! Rendering: one renderer per target, each from the same target-neutral
//! [`Plan`](crate::resolve::Plan) that `resolve` makes.
//!
//! - [`compose`]: the `docker-compose.yml` (the engines' stack or the
//!   orchestrator's), its header, and the checks before it is written;
//! - [`kubernetes`]: the manifests, one object a file, checked against the
//!   Kubernetes schemas;
//! - [`yaml`]: the YAML quoting that the compose writer and `diff` share.

pub mod compose;
pub mod kubernetes;
pub mod yaml;
#[cfg(test)]
pub(crate) mod yaml11;
