//! What resolution needs beyond the settings: the command line's choices.

use super::plan::{ForwardedPort, Stack};

/// What resolution needs beyond the settings.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// `--replicas N`.
    pub replicas: Option<u32>,
    /// Forwarded ports read from a running Gluetun, per VPN (overrides the settings).
    pub forwarded_from_control_server: [Option<ForwardedPort>; 2],
    /// `--stack`.
    pub stack: Stack,
    /// The `.env` file read, as given; `None` when there was none.
    pub env_file: Option<String>,
}
