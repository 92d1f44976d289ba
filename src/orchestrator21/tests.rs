//! The table of what 2.1 does with each key, checked row by row against
//! facts read in 2.1's source at tag v2.1.0.2 (each row's comment names the
//! file and function under app/orchestrator/internal/ unless it says
//! otherwise). A row added to the table needs a fact here, and a fact here
//! needs its row.

use super::keys::{self, Fate, Row};

fn describe(row: &Row) -> String {
    match row.fate {
        Fate::ReadAsBefore => format!("env {:?}", row.parse),
        Fate::Stored(field) => format!("store {} from {:?}", field.path(), row.parse),
        Fate::ReadUnused => format!("unused {:?}", row.parse),
        Fate::ReadDifferently { .. } => format!("differently {:?}", row.parse),
        Fate::Removed { .. } => "removed".to_owned(),
        Fate::DocumentedNeverRead { .. } => "docs only".to_owned(),
        Fate::AcegenOnly { .. } => "acegen".to_owned(),
    }
}

/// Every key config.go `load()` reads, in its order, then those read elsewhere.
#[rustfmt::skip]
const FACTS: &[(&str, &str)] = &[
    ("REDIS_HOST", "env Text"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REDIS_PORT", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REDIS_DB", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("ACESTREAM_DB_PATH", "env Text"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("API_KEY", "env Secret"), // api/proxy.go requireAPIKey
    ("ORCHESTRATOR_LISTEN_ADDR", "env Text"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("PROXY_LISTEN_ADDR", "env Text"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("STREAM_RETENTION_S", "unused Duration"), // config.go load(): StreamRetentionPeriod is read by no other code
    ("COUNTS_PUBLISH_INTERVAL_S", "unused Duration"), // config.go load(): CountsPublishInterval is read by no other code
    ("SSE_UPDATE_INTERVAL_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("UPSTREAM_CONNECT_TIMEOUT_S", "store proxy_settings.upstream_connect_timeout from Duration"), // config.go ApplySettings: case "upstream_connect_timeout"; persistence/settings.go defaultCategories seeds it
    ("UPSTREAM_READ_TIMEOUT_S", "store proxy_settings.upstream_read_timeout from Duration"), // config.go ApplySettings: case "upstream_read_timeout"; persistence/settings.go defaultCategories seeds it
    ("CLIENT_WAIT_TIMEOUT_S", "unused Duration"), // config.go load(): ClientWaitTimeout is read by no other code
    ("STREAM_TIMEOUT_S", "unused Duration"), // config.go load(): StreamTimeout is read by no other code
    ("CHUNK_TIMEOUT_S", "unused Duration"), // config.go load(): ChunkTimeout is read by no other code
    ("CHANNEL_SHUTDOWN_DELAY_S", "store proxy_settings.channel_shutdown_delay from Duration"), // config.go ApplySettings: case "channel_shutdown_delay"; persistence/settings.go defaultCategories seeds it
    ("CHANNEL_INIT_GRACE_PERIOD_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("KEEPALIVE_INTERVAL_MS", "unused Duration"), // config.go load(): KeepaliveInterval is read by no other code
    ("INITIAL_BEHIND_CHUNKS", "unused Int"), // config.go load(): InitialBehindChunks is read by no other code
    ("REDIS_CHUNK_TTL_S", "unused Duration"), // config.go load(): RedisChunkTTL is read by no other code
    ("CLEANUP_INTERVAL_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("CLEANUP_CHECK_INTERVAL_S", "unused Duration"), // config.go load(): CleanupCheckInterval is read by no other code
    ("CLIENT_HEARTBEAT_INTERVAL_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("CLIENT_RECORD_TTL_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("HLS_CLIENT_IDLE_TIMEOUT_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("NO_DATA_TIMEOUT_CHECKS", "store proxy_settings.no_data_timeout_checks from Int"), // config.go ApplySettings: case "no_data_timeout_checks"; persistence/settings.go defaultCategories seeds it
    ("NO_DATA_CHECK_INTERVAL_S", "store proxy_settings.no_data_check_interval from Duration"), // config.go ApplySettings: case "no_data_check_interval"; persistence/settings.go defaultCategories seeds it
    ("INITIAL_DATA_WAIT_TIMEOUT_S", "unused Duration"), // config.go load(): InitialDataWaitTimeout is read by no other code
    ("INITIAL_DATA_CHECK_INTERVAL_MS", "unused Duration"), // config.go load(): InitialDataCheckInterval is read by no other code
    ("PACING_BURST_SECONDS", "unused Float"), // config.go load(): PacingBurstSeconds is read by no other code
    ("PACING_BITRATE_MULTIPLIER", "store proxy_settings.pacing_bitrate_multiplier from Float"), // config.go ApplySettings: case "pacing_bitrate_multiplier"; persistence/settings.go defaultCategories seeds it
    ("PROXY_MAX_CATCHUP_MULTIPLIER", "unused Float"), // config.go load(): ProxyMaxCatchupMultiplier is read by no other code
    ("PROXY_PREBUFFER_SECONDS", "store proxy_settings.proxy_prebuffer_seconds from Int"), // config.go ApplySettings: case "proxy_prebuffer_seconds"; persistence/settings.go defaultCategories seeds it
    ("MAX_RETRIES", "unused Int"), // config.go load(): MaxRetries is read by no other code
    ("RETRY_WAIT_INTERVAL_MS", "unused Duration"), // config.go load(): RetryWaitInterval is read by no other code
    ("STREAM_MODE", "store proxy_settings.stream_mode from Text"), // config.go ApplySettings: case "stream_mode"; persistence/settings.go defaultCategories seeds it
    ("CONTROL_MODE", "store proxy_settings.control_mode from Text"), // config.go ApplySettings: case "control_mode"; persistence/settings.go defaultCategories seeds it
    ("HLS_MAX_SEGMENTS", "unused Int"), // config.go load(): HLSMaxSegments is read by no other code
    ("HLS_INITIAL_SEGMENTS", "unused Int"), // config.go load(): HLSInitialSegments is read by no other code
    ("HLS_WINDOW_SIZE", "store proxy_settings.hls_window_size from Int"), // config.go ApplySettings: case "hls_window_size"; persistence/settings.go defaultCategories seeds it
    ("HLS_BUFFER_READY_TIMEOUT_S", "unused Duration"), // config.go load(): HLSBufferReadyTimeout is read by no other code
    ("HLS_FIRST_SEGMENT_TIMEOUT_S", "unused Duration"), // config.go load(): HLSFirstSegmentTimeout is read by no other code
    ("HLS_INITIAL_BUFFER_SECONDS", "unused Int"), // config.go load(): HLSInitialBufferSeconds is read by no other code
    ("HLS_MAX_INITIAL_SEGMENTS", "unused Int"), // config.go load(): HLSMaxInitialSegments is read by no other code
    ("HLS_SEGMENT_FETCH_INTERVAL", "unused Float"), // config.go load(): HLSSegmentFetchInterval is read by no other code
    ("MAX_CLIENTS_PER_STREAM", "env Int"), // config.go Config.MaxClientsPerStream, called by proxy/stream/client_manager.go
    ("MAX_TOTAL_STREAMS", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("MAX_MEMORY_MB", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("DOCKER_NETWORK", "store orchestrator_settings.docker_network from Text"), // config.go ApplyOrchestratorSettings: case "docker_network"; persistence/settings.go defaultCategories seeds it
    ("DOCKER_HOST", "env Text"), // Docker client client.FromEnv (config.go DockerHost itself is unused)
    ("MIN_REPLICAS", "store engine_settings.min_replicas from Int"), // config.go ApplyEngineSettings: case "min_replicas"; persistence/settings.go defaultCategories seeds it
    ("MIN_FREE_REPLICAS", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("MAX_REPLICAS", "store engine_settings.max_replicas from Int"), // config.go ApplyEngineSettings: case "max_replicas"; persistence/settings.go defaultCategories seeds it
    ("MAX_STREAMS_PER_ENGINE", "store proxy_settings.max_streams_per_engine from Int"), // config.go ApplySettings: case "max_streams_per_engine"; persistence/settings.go defaultCategories seeds it
    ("AUTOSCALE_INTERVAL_S", "store orchestrator_settings.autoscale_interval_s from Duration"), // config.go ApplyOrchestratorSettings: case "autoscale_interval_s"; persistence/settings.go defaultCategories seeds it
    ("MONITOR_INTERVAL_S", "store orchestrator_settings.monitor_interval_s from Duration"), // config.go ApplyOrchestratorSettings: case "monitor_interval_s"; persistence/settings.go defaultCategories seeds it
    ("ENGINE_GRACE_PERIOD_S", "store orchestrator_settings.engine_grace_period_s from Duration"), // config.go ApplyOrchestratorSettings: case "engine_grace_period_s"; persistence/settings.go defaultCategories seeds it
    ("STARTUP_TIMEOUT_S", "store orchestrator_settings.startup_timeout_s from Duration"), // config.go ApplyOrchestratorSettings: case "startup_timeout_s"; persistence/settings.go defaultCategories seeds it
    ("HEALTH_CHECK_INTERVAL_S", "store orchestrator_settings.health_check_interval_s from Duration"), // config.go ApplyOrchestratorSettings: case "health_check_interval_s"; persistence/settings.go defaultCategories seeds it
    ("HEALTH_FAILURE_THRESHOLD", "store orchestrator_settings.health_failure_threshold from Int"), // config.go ApplyOrchestratorSettings: case "health_failure_threshold"; persistence/settings.go defaultCategories seeds it
    ("HEALTH_UNHEALTHY_GRACE_PERIOD_S", "store orchestrator_settings.health_unhealthy_grace_period_s from Duration"), // config.go ApplyOrchestratorSettings: case "health_unhealthy_grace_period_s"; persistence/settings.go defaultCategories seeds it
    ("HEALTH_REPLACEMENT_COOLDOWN_S", "store orchestrator_settings.health_replacement_cooldown_s from Duration"), // config.go ApplyOrchestratorSettings: case "health_replacement_cooldown_s"; persistence/settings.go defaultCategories seeds it
    ("CIRCUIT_BREAKER_FAILURE_THRESHOLD", "store orchestrator_settings.circuit_breaker_failure_threshold from Int"), // config.go ApplyOrchestratorSettings: case "circuit_breaker_failure_threshold"; persistence/settings.go defaultCategories seeds it
    ("CIRCUIT_BREAKER_RECOVERY_TIMEOUT_S", "store orchestrator_settings.circuit_breaker_recovery_timeout_s from Duration"), // config.go ApplyOrchestratorSettings: case "circuit_breaker_recovery_timeout_s"; persistence/settings.go defaultCategories seeds it
    ("CIRCUIT_BREAKER_REPLACEMENT_THRESHOLD", "store orchestrator_settings.circuit_breaker_replacement_threshold from Int"), // config.go ApplyOrchestratorSettings: case "circuit_breaker_replacement_threshold"; persistence/settings.go defaultCategories seeds it
    ("CIRCUIT_BREAKER_REPLACEMENT_TIMEOUT_S", "store orchestrator_settings.circuit_breaker_replacement_timeout_s from Duration"), // config.go ApplyOrchestratorSettings: case "circuit_breaker_replacement_timeout_s"; persistence/settings.go defaultCategories seeds it
    ("PORT_RANGE_HOST", "env Range"), // controlplane/engine/ports.go newPortAllocator: copied at package init, before cmd/main.go applies the store
    ("ACE_HTTP_RANGE", "env Range"), // controlplane/engine/ports.go newPortAllocator: copied at package init, before cmd/main.go applies the store
    ("ACE_HTTPS_RANGE", "env Range"), // controlplane/engine/ports.go newPortAllocator: copied at package init, before cmd/main.go applies the store
    ("ACE_MAP_HTTPS", "env Bool"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("GLUETUN_API_PORT", "store vpn_settings.api_port from Int"), // config.go ApplyVPNSettings: case "api_port"; persistence/settings.go defaultCategories seeds it
    ("GLUETUN_HEALTH_CHECK_INTERVAL_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("GLUETUN_PORT_CACHE_TTL_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("PREFERRED_ENGINES_PER_VPN", "store vpn_settings.preferred_engines_per_vpn from Int"), // config.go ApplyVPNSettings: case "preferred_engines_per_vpn"; persistence/settings.go defaultCategories seeds it
    ("MAX_ENGINES_PER_VPN", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("GLUETUN_PORT_RANGE_1", "env VpnRange"), // controlplane/engine/ports.go newPortAllocator
    ("GLUETUN_PORT_RANGE_2", "env VpnRange"), // controlplane/engine/ports.go newPortAllocator
    ("VPN_UNHEALTHY_GRACE_PERIOD_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("VPN_DRAINING_HARD_TIMEOUT_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("VPN_DRAINING_CHECK_INTERVAL_S", "unused Duration"), // config.go load(): VPNDrainingCheckInterval is read by no other code
    ("VPN_ENABLED", "store vpn_settings.enabled from Bool"), // config.go ApplyVPNSettings: case "enabled"; persistence/settings.go defaultCategories seeds it
    ("VPN_IMAGE", "env Text"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("VPN_CREDENTIALS_FILE", "unused Text"), // config.go load(): VPNCredentialsFile is read by no other code
    ("VPN_PROVIDER", "store vpn_settings.provider from Text"), // config.go ApplyVPNSettings: case "provider"; persistence/settings.go defaultCategories seeds it
    ("VPN_PROTOCOL", "store vpn_settings.protocol from Text"), // config.go ApplyVPNSettings: case "protocol"; persistence/settings.go defaultCategories seeds it
    ("VPN_REGIONS", "store vpn_settings.regions from List"), // config.go ApplyVPNSettings: case "regions"; persistence/settings.go defaultCategories seeds it
    ("VPN_SERVERS_JSON_DIR", "env Text"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("VPN_CONTROLLER_INTERVAL_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("VPN_NOTREADY_HEAL_GRACE_S", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("VPN_SERVERS_AUTO_REFRESH", "store vpn_settings.vpn_servers_auto_refresh from Bool"), // config.go ApplyVPNSettings: case "vpn_servers_auto_refresh"; persistence/settings.go defaultCategories seeds it
    ("VPN_SERVERS_REFRESH_PERIOD_S", "store vpn_settings.vpn_servers_refresh_period_s from Duration"), // config.go ApplyVPNSettings: case "vpn_servers_refresh_period_s"; persistence/settings.go defaultCategories seeds it
    ("VPN_SERVERS_REFRESH_SOURCE", "unused Text"), // config.go ApplyVPNSettings sets VPNServersRefreshSource, which nothing reads; vpn/node_provisioner.go effectiveCatalogFile gets an empty map
    ("ENGINE_VARIANT", "differently Image"), // controlplane/engine/provisioner.go resolveEngineImage
    ("ENGINE_MEMORY_LIMIT", "env Memory"), // controlplane/engine/provisioner.go parseMemory
    ("ENGINE_ARM32_VERSION", "unused Text"), // config.go load(): EngineARM32Version is read by no other code
    ("ENGINE_ARM64_VERSION", "unused Text"), // config.go load(): EngineARM64Version is read by no other code
    ("ENGINE_MAX_DOWNLOAD_RATE", "store engine_config.total_max_download_rate from Int"), // config.go ApplyEngineConfig: case "total_max_download_rate"; persistence/settings.go defaultCategories seeds it
    ("ENGINE_MAX_UPLOAD_RATE", "store engine_config.total_max_upload_rate from Int"), // config.go ApplyEngineConfig: case "total_max_upload_rate"; persistence/settings.go defaultCategories seeds it
    ("ENGINE_LIVE_CACHE_TYPE", "store engine_config.live_cache_type from Text"), // config.go ApplyEngineConfig: case "live_cache_type"; persistence/settings.go defaultCategories seeds it
    ("ENGINE_LIVE_BUFFER", "store engine_config.buffer_time from Int"), // config.go ApplyEngineConfig: case "buffer_time"; persistence/settings.go defaultCategories seeds it
    ("AUTO_DELETE", "unused Bool"), // api/management.go mgHandleOrchestratorStatus, api/sse.go: AutoDelete is only shown
    ("REPUTATION_ENABLED", "env Bool"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_W_SUCCESS", "env Float"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_W_TTFB", "env Float"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_W_DURATION", "env Float"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_LOW_CONF_PROBES", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_REFRESH_SECONDS", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_MAX_STALE_SECONDS", "unused Int"), // api/vpn_reputation.go mgHandleGetRepConfig: only shown
    ("REPUTATION_AUTO_QUARANTINE_N", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_AUTO_QUARANTINE_FOR", "env Duration"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_EXPLORATION_C", "env Float"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("REPUTATION_PICK_TOP_N", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("BUFFER_CHUNK_SIZE", "env Int"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("CONTAINER_LABEL", "env Text"), // config.go load(); no Apply*Settings case is seeded by defaultCategories
    ("LOG_LEVEL", "env Text"), // cmd/main.go setupLogger: os.Getenv("LOG_LEVEL") == "debug"
    ("GLUETUN_SERVERS_JSON_PATH", "env Text"), // controlplane/vpn/reputation.go, servers_refresh.go: os.Getenv
    ("PROTON_SERVICE_URL", "env Text"), // api/management.go mgHandleProtonRefresh: os.Getenv
    ("STATIC_DIR", "env Text"), // api/management.go: os.Getenv("STATIC_DIR")
    ("DISABLE_PROTON_SIDECAR", "env Text"), // Dockerfile, start.py start_proton_sidecar: os.getenv
    ("PROTON_STORAGE_PATH", "env Text"), // Dockerfile start.py start_proton_sidecar; app/proton_service.py
    ("PROTON_USERNAME", "env Secret"), // app/vpn/proton_updater.py: os.getenv("PROTON_USERNAME")
    ("PROTON_PASSWORD", "env Secret"), // app/vpn/proton_updater.py: os.getenv("PROTON_PASSWORD")
    ("PROTON_TOTP_CODE", "env Secret"), // app/vpn/proton_updater.py: os.getenv("PROTON_TOTP_CODE")
    ("PROTON_TOTP_SECRET", "env Secret"), // app/vpn/proton_updater.py: os.getenv("PROTON_TOTP_SECRET")
    // docs/CONFIG.md names these; neither config.go load() nor any os.Getenv reads them.
    ("APP_PORT", "docs only"), ("DB_URL", "docs only"), ("DEBUG_MODE", "docs only"), ("IDLE_TTL_S", "docs only"),
    ("M3U_TIMEOUT", "docs only"), ("MAX_CONCURRENT_PROVISIONS", "docs only"), ("MIN_PROVISION_INTERVAL_S", "docs only"),
    ("COLLECT_INTERVAL_S", "docs only"), ("STATS_HISTORY_MAX", "docs only"), ("DASHBOARD_DEFAULT_WINDOW_S", "docs only"),
    ("DASHBOARD_PERSIST_INTERVAL_S", "docs only"), ("DASHBOARD_METRICS_RETENTION_HOURS", "docs only"),
    ("LEGACY_STATS_PROBE_WORKERS", "docs only"), ("DYNAMIC_VPN_MANAGEMENT", "docs only"),
    ("VPN_RESTART_ENGINES_ON_RECONNECT", "docs only"), ("VPN_UNHEALTHY_RESTART_TIMEOUT_S", "docs only"),
    ("STREAM_LOOP_DETECTION_ENABLED", "docs only"), ("STREAM_LOOP_DETECTION_THRESHOLD_S", "docs only"),
    ("STREAM_LOOP_CHECK_INTERVAL_S", "docs only"), ("STREAM_LOOP_RETENTION_MINUTES", "docs only"),
    ("PROXY_STREAM_MODE", "docs only"), ("PROXY_CONTROL_MODE", "docs only"), ("PROXY_LEGACY_API_PREFLIGHT_TIER", "docs only"),
    ("PROXY_CONNECTION_TIMEOUT", "docs only"), ("PROXY_CLIENT_WAIT_TIMEOUT", "docs only"), ("PROXY_STREAM_TIMEOUT", "docs only"),
    ("PROXY_CHUNK_TIMEOUT", "docs only"), ("PROXY_INITIAL_BEHIND_CHUNKS", "docs only"), ("PROXY_CHUNK_SIZE", "docs only"),
    ("PROXY_BUFFER_CHUNK_SIZE", "docs only"), ("PROXY_MAX_RETRIES", "docs only"), ("PROXY_RETRY_WAIT_INTERVAL", "docs only"),
    ("PROXY_HEALTH_CHECK_INTERVAL", "docs only"), ("PROXY_GHOST_CLIENT_MULTIPLIER", "docs only"),
    ("PROXY_INITIAL_DATA_WAIT_TIMEOUT", "docs only"), ("PROXY_NO_DATA_TIMEOUT_CHECKS", "docs only"),
    ("PROXY_NO_DATA_CHECK_INTERVAL", "docs only"), ("PROXY_GRACE_PERIOD", "docs only"), ("PROXY_INIT_TIMEOUT", "docs only"),
    ("PROXY_CLEANUP_INTERVAL", "docs only"), ("PROXY_CLEANUP_CHECK_INTERVAL", "docs only"), ("PROXY_HEARTBEAT_INTERVAL", "docs only"),
    ("PROXY_KEEPALIVE_INTERVAL", "docs only"), ("PROXY_CLIENT_TTL", "docs only"), ("PROXY_BUFFER_TTL", "docs only"),
    ("GLUETUN_CONTAINER_NAME", "removed"), // persistence/settings.go normalizeVPNSettings deletes container_name; engine/provisioner.go selectVPNContainer takes ManagedDynamic nodes only
    ("GLUETUN_CONTAINER_NAME_2", "removed"), // controlplane/engine/provisioner.go selectVPNContainer
    ("VPN_MODE", "removed"), // persistence/settings.go normalizeVPNSettings deletes vpn_mode
    ("ACEXY_MAX_STREAMS_PER_ENGINE", "removed"), // config.go load() reads MAX_STREAMS_PER_ENGINE only
    ("ORCHESTRATOR_URL", "removed"), // no os.Getenv of it anywhere: proxy and orchestrator are one binary (cmd/main.go)
    ("VPN_SERVICE_PROVIDER", "removed"), // controlplane/vpn/node_provisioner.go buildGluetunEnv sets it from vpn_settings.provider
    ("VPN_TYPE", "removed"), // controlplane/vpn/node_provisioner.go buildGluetunEnv sets it from vpn_settings.protocol
    ("SERVER_COUNTRIES", "removed"), ("SERVER_CITIES", "removed"), ("SERVER_REGIONS", "removed"), ("SERVER_HOSTNAMES", "removed"), // node_provisioner.go applyRegionEnv
    ("WIREGUARD_PRIVATE_KEY", "removed"), ("WIREGUARD_PRIVATE_KEY_2", "removed"), ("WIREGUARD_ADDRESSES", "removed"), // node_provisioner.go applyCredentialEnv
    ("WIREGUARD_PRESHARED_KEY", "removed"), // node_provisioner.go applyOptionalCredentialEnv
    ("OPENVPN_USER", "removed"), ("OPENVPN_PASSWORD", "removed"), // node_provisioner.go applyCredentialEnv
    ("HTTP_CONTROL_SERVER_ADDRESS", "removed"), // node_provisioner.go buildGluetunEnv sets it from GluetunAPIPort
    ("PORT_BIND_IP", "acegen"), ("ORCHESTRATOR_IMAGE", "acegen"), ("GLUETUN_IMAGE", "acegen"), ("GLUETUN_API_KEY", "acegen"),
    ("GLUETUN_FORWARDED_PORT", "acegen"), ("GLUETUN_FORWARDED_PORT_2", "acegen"), ("ENGINE_P2P_RANGE", "acegen"), // src/keys.rs ACEGEN_OWN_KEYS
];

#[test]
fn every_key_has_the_fate_read_in_2_1s_source() {
    let mut wrong = Vec::new();
    for (key, fact) in FACTS {
        let row = keys::lookup(key).unwrap_or_else(|| panic!("{key} has no row"));
        let described = describe(&row);
        if described != *fact {
            wrong.push(format!(
                "{key}: the table says `{described}`, the source `{fact}`"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_row_of_the_table_has_a_fact() {
    let missing: Vec<&str> = keys::all()
        .map(|row| row.key)
        .filter(|key| !FACTS.iter().any(|(k, _)| k == key))
        .collect();
    assert!(missing.is_empty(), "rows without a fact: {missing:?}");
}

#[test]
fn keys_are_unique_and_forty_five_are_documented_but_never_read() {
    let mut names: Vec<&str> = keys::all().map(|row| row.key).collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "a key has two rows");
    let documented_only = keys::all()
        .filter(|r| matches!(r.fate, Fate::DocumentedNeverRead { .. }))
        .count();
    assert_eq!(documented_only, 45);
}

#[test]
fn gluetun_settings_without_a_row_are_removed_and_unknown_keys_have_no_row() {
    let row = keys::lookup("FIREWALL_OUTBOUND_SUBNETS").expect("a Gluetun key");
    assert!(matches!(
        row.fate,
        Fate::Removed {
            replacement: Some(_)
        }
    ));
    // 2.1's own HEALTH_* keys are not mistaken for Gluetun's.
    assert!(matches!(
        keys::lookup("HEALTH_FAILURE_THRESHOLD").unwrap().fate,
        Fate::Stored(_)
    ));
    assert_eq!(keys::lookup("MIN_REPLCAS"), None);
}
