//! Facts about the engine images, from the orchestrator's variant documentation
//! (ENGINE_VARIANTS.md): images, base commands, and the known custom parameters.

pub const NANO_ACE_IMAGE: &str = "ghcr.io/krinkuto11/nano-ace";
pub const JOPSIS_IMAGE: &str = "jopsis/acestream";
pub const NANO_ACE_ENGINE: &str = "/acestream/acestreamengine";

/// The default amd64 custom version, published as `nano-ace:latest`.
pub const DEFAULT_AMD64_VERSION: &str = "3.2.11-py3.10";
pub const AMD64_VERSIONS: &[&str] = &["3.2.11-py3.10", "3.2.11-py3.8", "3.1.75rc4-py3.7", "3.1.74"];
pub const DEFAULT_ARM_VERSION: &str = "3.2.13";
pub const ARM_VERSIONS: &[&str] = &["3.2.13", "3.2.14"];

pub const KRINKUTO11_BASE_ARGS: &[&str] = &["--client-console", "--bind-all"];

/// The jopsis arm images start the engine with `python main.py`.
pub const JOPSIS_ARM_PROGRAM: &[&str] = &["python", "main.py"];
pub const JOPSIS_ARM_BASE_ARGS: &[&str] = &[
    "--bind-all",
    "--client-console",
    "--live-cache-type",
    "memory",
    "--live-mem-cache-size",
    "104857600",
    "--disable-sentry",
    "--log-stdout",
];

/// jopsis-amd64's optimised argument string, as the orchestrator passes it
/// in ACESTREAM_ARGS (the duplicated `--stats-report-peers` is theirs).
pub const JOPSIS_AMD64_ARGS: &str = "--client-console --bind-all --service-remote-access --access-token acestream --service-access-token root --stats-report-peers --live-cache-type memory --live-cache-size 209715200 --vod-cache-type memory --cache-dir /acestream/.ACEStream --vod-drop-max-age 120 --max-file-size 2147483648 --live-buffer 25 --vod-buffer 10 --max-connections 500 --max-peers 50 --max-upload-slots 50 --auto-slots 0 --download-limit 0 --upload-limit 0 --stats-report-interval 2 --stats-report-peers --slots-manager-use-cpu-limit 1 --core-skip-have-before-playback-pos 1 --core-dlr-periodic-check-interval 5 --check-live-pos-interval 5 --refill-buffer-interval 1 --webrtc-allow-outgoing-connections 1 --allow-user-config --log-debug 0 --log-max-size 15000000 --log-backup-count 1";

/// AceStream's default P2P port: engines sharing a network stack cannot all bind it.
pub const ACESTREAM_DEFAULT_P2P_PORT: u16 = 8621;

/// The 35 parameters the orchestrator's custom variant knows.
pub const KNOWN_PARAMETERS: &[&str] = &[
    "--client-console",
    "--bind-all",
    "--service-remote-access",
    "--access-token",
    "--service-access-token",
    "--allow-user-config",
    "--cache-dir",
    "--live-cache-type",
    "--live-cache-size",
    "--vod-cache-type",
    "--vod-cache-size",
    "--vod-drop-max-age",
    "--max-file-size",
    "--live-buffer",
    "--vod-buffer",
    "--refill-buffer-interval",
    "--max-connections",
    "--max-peers",
    "--max-upload-slots",
    "--auto-slots",
    "--download-limit",
    "--upload-limit",
    "--port",
    "--webrtc-allow-outgoing-connections",
    "--webrtc-allow-incoming-connections",
    "--stats-report-interval",
    "--stats-report-peers",
    "--slots-manager-use-cpu-limit",
    "--core-skip-have-before-playback-pos",
    "--core-dlr-periodic-check-interval",
    "--check-live-pos-interval",
    "--log-debug",
    "--log-file",
    "--log-max-size",
    "--log-backup-count",
];

/// Parameters acegen allocates itself; a custom variant may not set them.
pub const ALLOCATED_PARAMETERS: &[&str] = &["--http-port", "--https-port"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_five_known_parameters() {
        assert_eq!(KNOWN_PARAMETERS.len(), 35);
    }

    #[test]
    fn jopsis_amd64_args_are_one_line() {
        assert!(!JOPSIS_AMD64_ARGS.contains('\n'));
        assert!(JOPSIS_AMD64_ARGS.starts_with("--client-console --bind-all"));
        assert!(JOPSIS_AMD64_ARGS.ends_with("--log-backup-count 1"));
    }
}
