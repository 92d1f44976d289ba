//! The fields of 2.1's settings store that an `.env` key used to set: their
//! category, JSON name and type, the default the store is seeded with, and
//! what the store does to a value it saves. Facts of the orchestrator's
//! code at tag v2.1.0.2, `app/orchestrator/internal/persistence/settings.go`
//! (`defaultCategories()` and the `normalize*Settings` functions) and
//! `internal/config/config.go` (the `Apply*Settings` functions).

/// One of the five categories of the store (one SQLite column each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    EngineConfig,
    EngineSettings,
    OrchestratorSettings,
    ProxySettings,
    VpnSettings,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::EngineConfig,
        Category::EngineSettings,
        Category::OrchestratorSettings,
        Category::ProxySettings,
        Category::VpnSettings,
    ];

    /// The category's name in the store and in the body of `POST /api/v1/settings`.
    pub fn name(self) -> &'static str {
        match self {
            Category::EngineConfig => "engine_config",
            Category::EngineSettings => "engine_settings",
            Category::OrchestratorSettings => "orchestrator_settings",
            Category::ProxySettings => "proxy_settings",
            Category::VpnSettings => "vpn_settings",
        }
    }

    /// Where the dashboard shows the category (for the hint that says how to set it).
    pub fn dashboard(self) -> &'static str {
        match self {
            Category::EngineConfig => "Settings > Engine configuration",
            Category::EngineSettings => "Settings > Engines",
            Category::OrchestratorSettings => "Settings > Orchestrator",
            Category::ProxySettings => "Settings > Proxy",
            Category::VpnSettings => "Settings > VPN",
        }
    }
}

/// The JSON type the store holds a field as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Json {
    Int,
    Float,
    Bool,
    Str,
    /// An array of strings.
    StrList,
}

impl Json {
    pub fn name(self) -> &'static str {
        match self {
            Json::Int => "integer",
            Json::Float => "number",
            Json::Bool => "boolean",
            Json::Str => "string",
            Json::StrList => "array of strings",
        }
    }
}

/// What the store does to a value when it saves or loads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Kept as given.
    Kept,
    /// Clamped into `[min, max]` (`normalizeProxySettings`).
    Clamp { min: i64, max: i64 },
    /// Below `min`, replaced by the default (`normalizeEngineConfig`: buffer_time).
    AtLeast { min: i64 },
    /// Anything but these values is replaced by the default.
    OneOf(&'static [&'static str]),
    /// 0 or less is ignored when applied (`ApplyVPNSettings`: `if p > 0`).
    Positive,
}

/// A field of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub category: Category,
    pub name: &'static str,
    pub json: Json,
    /// The value `defaultCategories()` seeds it with, as JSON text.
    pub default: &'static str,
    pub rule: Rule,
}

const fn field(
    category: Category,
    name: &'static str,
    json: Json,
    default: &'static str,
    rule: Rule,
) -> Field {
    Field {
        category,
        name,
        json,
        default,
        rule,
    }
}

use Category::{EngineConfig, EngineSettings, OrchestratorSettings, ProxySettings, VpnSettings};
use Json::{Bool, Float, Int, Str, StrList};
use Rule::Kept;

pub const TOTAL_MAX_DOWNLOAD_RATE: Field =
    field(EngineConfig, "total_max_download_rate", Int, "0", Kept);
pub const TOTAL_MAX_UPLOAD_RATE: Field =
    field(EngineConfig, "total_max_upload_rate", Int, "0", Kept);
pub const LIVE_CACHE_TYPE: Field = field(
    EngineConfig,
    "live_cache_type",
    Str,
    "\"memory\"",
    Rule::OneOf(&["memory", "disk"]),
);
pub const BUFFER_TIME: Field = field(
    EngineConfig,
    "buffer_time",
    Int,
    "30",
    Rule::AtLeast { min: 10 },
);

pub const MIN_REPLICAS: Field = field(EngineSettings, "min_replicas", Int, "2", Kept);
pub const MAX_REPLICAS: Field = field(EngineSettings, "max_replicas", Int, "6", Kept);

pub const MONITOR_INTERVAL_S: Field =
    field(OrchestratorSettings, "monitor_interval_s", Int, "10", Kept);
pub const ENGINE_GRACE_PERIOD_S: Field = field(
    OrchestratorSettings,
    "engine_grace_period_s",
    Int,
    "30",
    Kept,
);
pub const AUTOSCALE_INTERVAL_S: Field = field(
    OrchestratorSettings,
    "autoscale_interval_s",
    Int,
    "30",
    Kept,
);
pub const STARTUP_TIMEOUT_S: Field =
    field(OrchestratorSettings, "startup_timeout_s", Int, "25", Kept);
pub const HEALTH_CHECK_INTERVAL_S: Field = field(
    OrchestratorSettings,
    "health_check_interval_s",
    Int,
    "20",
    Kept,
);
pub const HEALTH_FAILURE_THRESHOLD: Field = field(
    OrchestratorSettings,
    "health_failure_threshold",
    Int,
    "3",
    Kept,
);
pub const HEALTH_UNHEALTHY_GRACE_PERIOD_S: Field = field(
    OrchestratorSettings,
    "health_unhealthy_grace_period_s",
    Int,
    "60",
    Kept,
);
pub const HEALTH_REPLACEMENT_COOLDOWN_S: Field = field(
    OrchestratorSettings,
    "health_replacement_cooldown_s",
    Int,
    "60",
    Kept,
);
pub const CB_FAILURE_THRESHOLD: Field = field(
    OrchestratorSettings,
    "circuit_breaker_failure_threshold",
    Int,
    "5",
    Kept,
);
pub const CB_RECOVERY_TIMEOUT_S: Field = field(
    OrchestratorSettings,
    "circuit_breaker_recovery_timeout_s",
    Int,
    "300",
    Kept,
);
pub const CB_REPLACEMENT_THRESHOLD: Field = field(
    OrchestratorSettings,
    "circuit_breaker_replacement_threshold",
    Int,
    "3",
    Kept,
);
pub const CB_REPLACEMENT_TIMEOUT_S: Field = field(
    OrchestratorSettings,
    "circuit_breaker_replacement_timeout_s",
    Int,
    "180",
    Kept,
);
pub const DOCKER_NETWORK: Field = field(OrchestratorSettings, "docker_network", Str, "\"\"", Kept);

pub const NO_DATA_TIMEOUT_CHECKS: Field =
    field(ProxySettings, "no_data_timeout_checks", Int, "60", Kept);
pub const NO_DATA_CHECK_INTERVAL: Field =
    field(ProxySettings, "no_data_check_interval", Float, "1.0", Kept);
pub const UPSTREAM_CONNECT_TIMEOUT: Field =
    field(ProxySettings, "upstream_connect_timeout", Int, "3", Kept);
pub const UPSTREAM_READ_TIMEOUT: Field =
    field(ProxySettings, "upstream_read_timeout", Int, "90", Kept);
pub const CHANNEL_SHUTDOWN_DELAY: Field =
    field(ProxySettings, "channel_shutdown_delay", Int, "5", Kept);
pub const PROXY_PREBUFFER_SECONDS: Field = field(
    ProxySettings,
    "proxy_prebuffer_seconds",
    Float,
    "3",
    Rule::Clamp { min: 0, max: 30 },
);
pub const PACING_BITRATE_MULTIPLIER: Field = field(
    ProxySettings,
    "pacing_bitrate_multiplier",
    Float,
    "1.5",
    Kept,
);
pub const MAX_STREAMS_PER_ENGINE: Field = field(
    ProxySettings,
    "max_streams_per_engine",
    Int,
    "2",
    Rule::Clamp { min: 1, max: 20 },
);
pub const STREAM_MODE: Field = field(
    ProxySettings,
    "stream_mode",
    Str,
    "\"TS\"",
    Rule::OneOf(&["TS", "HLS"]),
);
pub const CONTROL_MODE: Field = field(
    ProxySettings,
    "control_mode",
    Str,
    "\"api\"",
    Rule::OneOf(&["http", "api"]),
);
pub const HLS_WINDOW_SIZE: Field = field(ProxySettings, "hls_window_size", Int, "6", Kept);

pub const VPN_ENABLED: Field = field(VpnSettings, "enabled", Bool, "false", Kept);
pub const VPN_PROVIDER: Field = field(VpnSettings, "provider", Str, "\"protonvpn\"", Kept);
pub const VPN_PROTOCOL: Field = field(
    VpnSettings,
    "protocol",
    Str,
    "\"wireguard\"",
    Rule::OneOf(&["wireguard", "openvpn"]),
);
pub const VPN_REGIONS: Field = field(VpnSettings, "regions", StrList, "[]", Kept);
pub const VPN_API_PORT: Field = field(VpnSettings, "api_port", Int, "8001", Rule::Positive);
pub const PREFERRED_ENGINES_PER_VPN: Field = field(
    VpnSettings,
    "preferred_engines_per_vpn",
    Int,
    "10",
    Rule::Positive,
);
pub const VPN_SERVERS_AUTO_REFRESH: Field =
    field(VpnSettings, "vpn_servers_auto_refresh", Bool, "false", Kept);
pub const VPN_SERVERS_REFRESH_PERIOD_S: Field = field(
    VpnSettings,
    "vpn_servers_refresh_period_s",
    Int,
    "86400",
    Kept,
);

/// Every field an `.env` key can give a value for.
pub const FIELDS: &[Field] = &[
    TOTAL_MAX_DOWNLOAD_RATE,
    TOTAL_MAX_UPLOAD_RATE,
    LIVE_CACHE_TYPE,
    BUFFER_TIME,
    MIN_REPLICAS,
    MAX_REPLICAS,
    MONITOR_INTERVAL_S,
    ENGINE_GRACE_PERIOD_S,
    AUTOSCALE_INTERVAL_S,
    STARTUP_TIMEOUT_S,
    HEALTH_CHECK_INTERVAL_S,
    HEALTH_FAILURE_THRESHOLD,
    HEALTH_UNHEALTHY_GRACE_PERIOD_S,
    HEALTH_REPLACEMENT_COOLDOWN_S,
    CB_FAILURE_THRESHOLD,
    CB_RECOVERY_TIMEOUT_S,
    CB_REPLACEMENT_THRESHOLD,
    CB_REPLACEMENT_TIMEOUT_S,
    DOCKER_NETWORK,
    NO_DATA_TIMEOUT_CHECKS,
    NO_DATA_CHECK_INTERVAL,
    UPSTREAM_CONNECT_TIMEOUT,
    UPSTREAM_READ_TIMEOUT,
    CHANNEL_SHUTDOWN_DELAY,
    PROXY_PREBUFFER_SECONDS,
    PACING_BITRATE_MULTIPLIER,
    MAX_STREAMS_PER_ENGINE,
    STREAM_MODE,
    CONTROL_MODE,
    HLS_WINDOW_SIZE,
    VPN_ENABLED,
    VPN_PROVIDER,
    VPN_PROTOCOL,
    VPN_REGIONS,
    VPN_API_PORT,
    PREFERRED_ENGINES_PER_VPN,
    VPN_SERVERS_AUTO_REFRESH,
    VPN_SERVERS_REFRESH_PERIOD_S,
];

impl Field {
    /// `category.field`, as the diagnostics name it.
    pub fn path(&self) -> String {
        format!("{}.{}", self.category.name(), self.name)
    }

    /// A stored 0 is dropped when the store is loaded at start if the
    /// default is positive (`loadCache`: "a stored 0 for a timeout/interval
    /// means unset/corrupted"), so such a 0 lasts only until the next restart.
    pub fn zero_is_dropped_at_load(&self) -> bool {
        matches!(self.json, Json::Int | Json::Float)
            && self.default.parse::<f64>().is_ok_and(|d| d > 0.0)
    }
}
