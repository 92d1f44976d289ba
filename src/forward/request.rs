//! What to ask: the control server URL given for each VPN, and how long
//! to wait for an answer.

use std::time::Duration;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Which control servers to ask, per VPN, and how long to wait for each answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardRequest {
    pub urls: [Option<String>; 2],
    pub timeout: Duration,
}

impl Default for ForwardRequest {
    fn default() -> Self {
        Self {
            urls: [None, None],
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl ForwardRequest {
    pub fn is_empty(&self) -> bool {
        self.urls.iter().all(Option::is_none)
    }
}

/// The command-line flag that names VPN `v`'s (0-based) control server.
pub fn flag(v: usize) -> &'static str {
    if v == 0 {
        "--forwarded-port-from"
    } else {
        "--forwarded-port-from-2"
    }
}
