//! Shared by the fuzz targets and the stable smoke harness
//! (`tests/fuzz_smoke.rs` includes these files by path).

pub mod canary;
pub mod invariants;
pub mod known;
pub mod mutate;
