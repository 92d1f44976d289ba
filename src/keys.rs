//! The `.env` keys acegen reads: one table that the validator, `explain`,
//! the README and the env JSON Schema all follow.

/// What kind of value a key holds; decides how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// One of the four built-in engine variants.
    Variant,
    /// A Docker image tag (no spaces, no `/`).
    ImageTag,
    /// A full image reference, `name[:tag]`.
    Image,
    /// A non-negative decimal integer.
    Count,
    /// `start-end`, 1 ≤ start ≤ end ≤ 65535.
    PortRange,
    /// One TCP/UDP port, 1..=65535.
    Port,
    /// `true`/`false`, any case.
    Bool,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A `key=value` label.
    Label,
    /// A compose service / network name.
    Name,
    /// A docker memory size, `512m`, `2g`, or `0` for none.
    MemorySize,
    /// `single` or `redundant`.
    VpnMode,
    /// Any text; a secret whose value acegen never reads or prints.
    Secret,
}

#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    pub name: &'static str,
    /// The default when neither `--set` nor `.env` gives the key; `None` means unset.
    pub default: Option<&'static str>,
    pub kind: KeyKind,
    pub meaning: &'static str,
}

impl KeySpec {
    pub fn is_secret(&self) -> bool {
        self.kind == KeyKind::Secret
    }
}

pub const ENGINE_VARIANT: &str = "ENGINE_VARIANT";
pub const ENGINE_ARM32_VERSION: &str = "ENGINE_ARM32_VERSION";
pub const ENGINE_ARM64_VERSION: &str = "ENGINE_ARM64_VERSION";
pub const MIN_REPLICAS: &str = "MIN_REPLICAS";
pub const MAX_REPLICAS: &str = "MAX_REPLICAS";
pub const PORT_RANGE_HOST: &str = "PORT_RANGE_HOST";
pub const ACE_HTTP_RANGE: &str = "ACE_HTTP_RANGE";
pub const ACE_HTTPS_RANGE: &str = "ACE_HTTPS_RANGE";
pub const ACE_MAP_HTTPS: &str = "ACE_MAP_HTTPS";
pub const PORT_BIND_IP: &str = "PORT_BIND_IP";
pub const CONTAINER_LABEL: &str = "CONTAINER_LABEL";
pub const DOCKER_NETWORK: &str = "DOCKER_NETWORK";
pub const ENGINE_MEMORY_LIMIT: &str = "ENGINE_MEMORY_LIMIT";
pub const GLUETUN_CONTAINER_NAME: &str = "GLUETUN_CONTAINER_NAME";
pub const GLUETUN_CONTAINER_NAME_2: &str = "GLUETUN_CONTAINER_NAME_2";
pub const VPN_MODE: &str = "VPN_MODE";
pub const GLUETUN_API_PORT: &str = "GLUETUN_API_PORT";
pub const GLUETUN_PORT_RANGE_1: &str = "GLUETUN_PORT_RANGE_1";
pub const GLUETUN_PORT_RANGE_2: &str = "GLUETUN_PORT_RANGE_2";
pub const GLUETUN_FORWARDED_PORT: &str = "GLUETUN_FORWARDED_PORT";
pub const GLUETUN_FORWARDED_PORT_2: &str = "GLUETUN_FORWARDED_PORT_2";
pub const ENGINE_P2P_RANGE: &str = "ENGINE_P2P_RANGE";
pub const GLUETUN_IMAGE: &str = "GLUETUN_IMAGE";
/// GLUETUN_IMAGE's default: the Gluetun release acegen's output was checked
/// against (docs/orchestrator.md, "Gluetun versions").
pub const GLUETUN_TESTED_IMAGE: &str = "qmcgaw/gluetun:v3.41.1";
pub const GLUETUN_API_KEY: &str = "GLUETUN_API_KEY";
pub const APP_PORT: &str = "APP_PORT";
pub const ORCHESTRATOR_IMAGE: &str = "ORCHESTRATOR_IMAGE";

const fn key(
    name: &'static str,
    default: Option<&'static str>,
    kind: KeyKind,
    meaning: &'static str,
) -> KeySpec {
    KeySpec {
        name,
        default,
        kind,
        meaning,
    }
}

/// Every key acegen reads, in the order the README documents them.
pub const KEYS: &[KeySpec] = &[
    key(
        ENGINE_VARIANT,
        Some("krinkuto11-amd64"),
        KeyKind::Variant,
        "engine variant: krinkuto11-amd64, jopsis-amd64, jopsis-arm32 or jopsis-arm64",
    ),
    key(
        ENGINE_ARM32_VERSION,
        Some("arm32-v3.2.13"),
        KeyKind::ImageTag,
        "image tag of the jopsis-arm32 variant",
    ),
    key(
        ENGINE_ARM64_VERSION,
        Some("arm64-v3.2.13"),
        KeyKind::ImageTag,
        "image tag of the jopsis-arm64 variant",
    ),
    key(
        MIN_REPLICAS,
        Some("2"),
        KeyKind::Count,
        "number of engines generated (--replicas N overrides)",
    ),
    key(
        MAX_REPLICAS,
        Some("6"),
        KeyKind::Count,
        "upper bound on the number of engines; MIN_REPLICAS <= MAX_REPLICAS, MAX_REPLICAS > 0",
    ),
    key(
        PORT_RANGE_HOST,
        Some("19000-19999"),
        KeyKind::PortRange,
        "engine HTTP ports (host side and container side are equal)",
    ),
    key(
        ACE_HTTP_RANGE,
        Some("40000-44999"),
        KeyKind::PortRange,
        "validated only: engines listen on their host port, so no port is drawn from it",
    ),
    key(
        ACE_HTTPS_RANGE,
        Some("45000-49999"),
        KeyKind::PortRange,
        "engine HTTPS ports",
    ),
    key(
        ACE_MAP_HTTPS,
        Some("false"),
        KeyKind::Bool,
        "also publish each engine's HTTPS port on a host port from PORT_RANGE_HOST (no VPN only)",
    ),
    key(
        PORT_BIND_IP,
        None,
        KeyKind::IpAddress,
        "host address every published port binds to; unset = all interfaces",
    ),
    key(
        CONTAINER_LABEL,
        Some("ondemand.app=myservice"),
        KeyKind::Label,
        "key=value label put on every engine (the orchestrator's code default)",
    ),
    key(
        DOCKER_NETWORK,
        None,
        KeyKind::Name,
        "network the engines (or the VPN services) join",
    ),
    key(
        ENGINE_MEMORY_LIMIT,
        None,
        KeyKind::MemorySize,
        "memory limit of every engine, e.g. 512m or 2g; 0 = none",
    ),
    key(
        GLUETUN_CONTAINER_NAME,
        None,
        KeyKind::Name,
        "when set, engines run inside this Gluetun VPN service's network",
    ),
    key(
        GLUETUN_CONTAINER_NAME_2,
        None,
        KeyKind::Name,
        "the second Gluetun VPN service in redundant mode",
    ),
    key(
        VPN_MODE,
        Some("single"),
        KeyKind::VpnMode,
        "single or redundant",
    ),
    key(
        GLUETUN_API_PORT,
        Some("8000"),
        KeyKind::Port,
        "port of Gluetun's HTTP control server",
    ),
    key(
        GLUETUN_PORT_RANGE_1,
        None,
        KeyKind::PortRange,
        "engine HTTP ports of VPN 1",
    ),
    key(
        GLUETUN_PORT_RANGE_2,
        None,
        KeyKind::PortRange,
        "engine HTTP ports of VPN 2",
    ),
    key(
        GLUETUN_FORWARDED_PORT,
        None,
        KeyKind::Port,
        "the P2P port VPN 1 forwards, when it is known and fixed",
    ),
    key(
        GLUETUN_FORWARDED_PORT_2,
        None,
        KeyKind::Port,
        "the P2P port VPN 2 forwards, when it is known and fixed",
    ),
    key(
        ENGINE_P2P_RANGE,
        Some("8621-8720"),
        KeyKind::PortRange,
        "internal P2P ports of engines that share a VPN's network stack",
    ),
    key(
        GLUETUN_IMAGE,
        Some(GLUETUN_TESTED_IMAGE),
        KeyKind::Image,
        "the Gluetun VPN image",
    ),
    key(
        GLUETUN_API_KEY,
        None,
        KeyKind::Secret,
        "when set, Gluetun's control server requires this API key (passed by reference)",
    ),
    key(
        APP_PORT,
        Some("8000"),
        KeyKind::Port,
        "the orchestrator's dashboard and API port on the host (--stack orchestrator publishes it)",
    ),
    key(
        ORCHESTRATOR_IMAGE,
        Some("ghcr.io/krinkuto11/acestream-orchestrator:v1.0.0"),
        KeyKind::Image,
        "the orchestrator's image (--stack orchestrator)",
    ),
];

/// Keys whose near miss (`max_replicas`, `GLUETUN_CONTAINER`) is an error,
/// not a warning: ignoring the mistyped key silently changes whether the
/// engines sit behind a VPN, which secret protects the control server,
/// which interfaces their ports are published on, or how many engines run.
pub const NEAR_MISS_IS_AN_ERROR: &[&str] = &[
    GLUETUN_CONTAINER_NAME,
    GLUETUN_CONTAINER_NAME_2,
    VPN_MODE,
    GLUETUN_API_KEY,
    PORT_BIND_IP,
    MIN_REPLICAS,
    MAX_REPLICAS,
];

/// Keys of the table that only acegen reads: the orchestrator does not
/// know them, so `--set` of one of them is not passed on to it.
pub const ACEGEN_OWN_KEYS: &[&str] = &[
    PORT_BIND_IP,
    GLUETUN_FORWARDED_PORT,
    GLUETUN_FORWARDED_PORT_2,
    ENGINE_P2P_RANGE,
    GLUETUN_IMAGE,
    GLUETUN_API_KEY,
    ORCHESTRATOR_IMAGE,
];

/// Settings only the orchestrator reads (its configuration at the commit
/// the variant rules come from, less the keys acegen shares with it and
/// Gluetun's HEALTH_* look-alikes): a `.env` holding one configures the
/// orchestrator. APP_PORT, which acegen reads too, is in [`KEYS`].
pub const ORCHESTRATOR_OWN_KEYS: &[&str] = &[
    "MIN_FREE_REPLICAS",
    "STARTUP_TIMEOUT_S",
    "IDLE_TTL_S",
    "COLLECT_INTERVAL_S",
    "STATS_HISTORY_MAX",
    "MONITOR_INTERVAL_S",
    "ENGINE_GRACE_PERIOD_S",
    "AUTOSCALE_INTERVAL_S",
    "CIRCUIT_BREAKER_FAILURE_THRESHOLD",
    "CIRCUIT_BREAKER_RECOVERY_TIMEOUT_S",
    "GLUETUN_HEALTH_CHECK_INTERVAL_S",
    "GLUETUN_PORT_CACHE_TTL_S",
    "VPN_RESTART_ENGINES_ON_RECONNECT",
    "VPN_UNHEALTHY_RESTART_TIMEOUT_S",
    "MAX_CONCURRENT_PROVISIONS",
    "MIN_PROVISION_INTERVAL_S",
    "ACEXY_MAX_STREAMS_PER_ENGINE",
    "API_KEY",
    "DB_URL",
    "AUTO_DELETE",
    "DEBUG_MODE",
    "ORCHESTRATOR_URL",
];

pub fn spec(name: &str) -> Option<&'static KeySpec> {
    KEYS.iter().find(|k| k.name == name)
}

/// The orchestrator's own `VPN_*` keys: they look like Gluetun's but are not.
const ORCHESTRATOR_VPN_KEYS: &[&str] = &[
    "VPN_MODE",
    "VPN_RESTART_ENGINES_ON_RECONNECT",
    "VPN_UNHEALTHY_RESTART_TIMEOUT_S",
];

/// Prefixes of Gluetun's own settings (from Gluetun's documented environment).
const GLUETUN_PREFIXES: &[&str] = &[
    "VPN_",
    "WIREGUARD_",
    "OPENVPN_",
    "AMNEZIAWG_",
    "SERVER_",
    "FIREWALL_",
    "HEALTH_",
    "HTTP_CONTROL_SERVER_",
    "DOT_",
    "BLOCK_",
    "UPDATER_",
    "PUBLICIP_",
    "HTTPPROXY",
    "SHADOWSOCKS",
    "PPROF_",
    "DNS_",
    "STORAGE_",
    "LOG_",
];

/// Gluetun settings that have no prefix of their own.
const GLUETUN_SINGLE_KEYS: &[&str] = &[
    "DOT",
    "TZ",
    "PUID",
    "PGID",
    "UNBLOCK",
    "VERSION_INFORMATION",
];

/// Prefixes of Gluetun's settings that configure a VPN connection (a
/// provider, a protocol, its keys, a server): with one of them in `.env` the
/// user means the engines to run behind a VPN. TZ, PUID, LOG_LEVEL and the
/// like are left out: a `.env` holds them for other reasons (the
/// orchestrator's own sets TZ).
const VPN_CONNECTION_PREFIXES: &[&str] =
    &["VPN_", "WIREGUARD_", "OPENVPN_", "AMNEZIAWG_", "SERVER_"];

/// Is `name` one of Gluetun's settings that configure a VPN connection?
pub fn is_vpn_connection_key(name: &str) -> bool {
    is_gluetun_key(name) && VPN_CONNECTION_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Gluetun's control-server address: acegen writes `:GLUETUN_API_PORT`.
pub const GLUETUN_CONTROL_ADDRESS: &str = "HTTP_CONTROL_SERVER_ADDRESS";
/// Gluetun's auth file path: acegen's own file on the orchestrator's stack.
pub const GLUETUN_CONTROL_AUTH_FILE: &str = "HTTP_CONTROL_SERVER_AUTH_CONFIG_FILEPATH";
/// Gluetun's default auth role: an API-key role when GLUETUN_API_KEY is set.
pub const GLUETUN_CONTROL_DEFAULT_ROLE: &str = "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE";

/// Keys acegen writes itself on the Gluetun service; a `.env` value is not passed.
pub const GLUETUN_OWNED_KEYS: &[&str] = &[GLUETUN_CONTROL_ADDRESS];

/// Gluetun's control-server keys that acegen sets itself where it needs to:
/// the address always (from GLUETUN_API_PORT), the auth file on the
/// orchestrator's stack, the default role when GLUETUN_API_KEY is set. A
/// value in `.env` is then not passed, and W0404 says so at the key.
pub const GLUETUN_KEYS_ACEGEN_MAY_SET: &[&str] = &[
    GLUETUN_CONTROL_ADDRESS,
    GLUETUN_CONTROL_AUTH_FILE,
    GLUETUN_CONTROL_DEFAULT_ROLE,
];

/// Is `name` one of Gluetun's own settings, to be passed to the VPN service by reference?
pub fn is_gluetun_key(name: &str) -> bool {
    if ORCHESTRATOR_VPN_KEYS.contains(&name) {
        return false;
    }
    GLUETUN_SINGLE_KEYS.contains(&name) || GLUETUN_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Is `name` a mistyped secret-looking name, one of whose `_`-separated
/// words is one edit away from KEY, PASSWORD, TOKEN or SECRET
/// (`GLUETUN_API_KEX`)? Its value is masked like a secret's.
pub fn near_secret_key(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| {
            word.len() >= 3
                && ["KEY", "PASSWORD", "TOKEN", "SECRET"]
                    .iter()
                    .any(|secret| strsim::damerau_levenshtein(word, secret) <= 1)
        })
}

/// Does a key's name say its value is a secret? (…KEY, …PASSWORD, …TOKEN, …SECRET)
pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "KEY",
        "PASSWORD",
        "TOKEN",
        "SECRET",
        "PASSPHRASE",
        "CREDENTIALS",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// Keys whose value carries a credential though their name has no secret
/// word: Gluetun's control-server default role is JSON holding an API key
/// or a password (`{"auth":"apikey","apikey":"…"}`).
const CREDENTIAL_KEYS: &[&str] = &[GLUETUN_CONTROL_DEFAULT_ROLE];

/// Must a `.env` value of `name` never be shown? Its name looks secret, or
/// it is one of [`CREDENTIAL_KEYS`] (or its `_2`). For what acegen prints
/// of `.env` and `--set`; `diff` judges the values of a compose file by
/// [`looks_secret`] and shows acegen's own default role, which holds only
/// a `${GLUETUN_API_KEY}` reference.
pub fn holds_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    looks_secret(&upper) || CREDENTIAL_KEYS.iter().any(|key| upper.contains(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_whose_value_holds_a_credential_is_never_shown() {
        assert!(holds_secret("HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE"));
        assert!(holds_secret("HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE_2"));
        assert!(holds_secret("WIREGUARD_PRIVATE_KEY"));
        assert!(!holds_secret("HTTP_CONTROL_SERVER_AUTH_CONFIG_FILEPATH"));
    }

    #[test]
    fn near_secret_key_catches_typos_of_secret_words_only() {
        for typo in ["GLUETUN_API_KEX", "OPENVPN_PASWORD", "MY_TOKN", "APP_SECRT"] {
            assert!(near_secret_key(typo), "{typo}");
        }
        for spec in KEYS.iter().filter(|spec| !looks_secret(spec.name)) {
            assert!(!near_secret_key(spec.name), "{} is not a secret", spec.name);
        }
        for gluetun in [
            "VPN_TYPE",
            "SERVER_COUNTRIES",
            "TZ",
            "FIREWALL_OUTBOUND_SUBNETS",
        ] {
            assert!(!near_secret_key(gluetun), "{gluetun}");
        }
    }

    #[test]
    fn gluetun_keys_exclude_the_orchestrators_vpn_keys() {
        assert!(is_gluetun_key("VPN_SERVICE_PROVIDER"));
        assert!(is_gluetun_key("WIREGUARD_PRIVATE_KEY"));
        assert!(is_gluetun_key("TZ"));
        assert!(!is_gluetun_key("VPN_MODE"));
        assert!(!is_gluetun_key("VPN_RESTART_ENGINES_ON_RECONNECT"));
        assert!(!is_gluetun_key("MIN_REPLICAS"));
        assert!(!is_gluetun_key("GLUETUN_API_KEY"));
    }

    #[test]
    fn vpn_connection_keys_are_gluetuns_connection_settings_only() {
        for key in [
            "VPN_SERVICE_PROVIDER",
            "VPN_TYPE",
            "WIREGUARD_PRIVATE_KEY",
            "OPENVPN_USER",
            "SERVER_COUNTRIES",
        ] {
            assert!(is_vpn_connection_key(key), "{key}");
        }
        for key in [
            "TZ",
            "PUID",
            "LOG_LEVEL",
            "VPN_MODE",
            "VPN_RESTART_ENGINES_ON_RECONNECT",
        ] {
            assert!(!is_vpn_connection_key(key), "{key}");
        }
    }

    #[test]
    fn secret_names_are_recognised_in_any_case() {
        assert!(looks_secret("WIREGUARD_PRIVATE_KEY"));
        assert!(looks_secret("openvpn_password"));
        assert!(looks_secret("API_TOKEN"));
        assert!(!looks_secret("MIN_REPLICAS"));
    }

    #[test]
    fn every_key_has_a_unique_name() {
        let mut names: Vec<_> = KEYS.iter().map(|k| k.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), KEYS.len());
    }
}
