use super::*;
use crate::load::dotenv;
use serde_json::json;

/// 2.1's `defaultCategories()`, transcribed (testdata/default-categories.json says from where).
fn upstream_defaults() -> Value {
    serde_json::from_str(include_str!("testdata/default-categories.json")).unwrap()
}

fn entries(text: &str) -> Vec<Entry> {
    let parsed = dotenv::parse(text, &|_| None);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    super::super::entries(&parsed, camino::Utf8Path::new(".env"), &[])
}

fn body_of(text: &str) -> Value {
    let (assignments, problems) = assignments(&entries(text));
    assert!(problems.is_empty(), "{problems:?}");
    body(&assignments)
}

/// Does `value` have the JSON type 2.1 keeps `field` as? Go decodes every
/// number as float64 and `normalize*` turns integer fields back into ints.
fn has_type(json: Json, value: &Value) -> bool {
    match json {
        Json::Int => value.is_i64() || value.is_u64(),
        Json::Float => value.is_number(),
        Json::Bool => value.is_boolean(),
        Json::Str => value.is_string(),
        Json::StrList => value
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string)),
    }
}

#[test]
fn every_field_is_named_typed_and_defaulted_as_2_1_seeds_it() {
    let defaults = upstream_defaults();
    for field in fields::FIELDS {
        let upstream = &defaults[field.category.name()][field.name];
        assert!(
            !upstream.is_null(),
            "{} is not in defaultCategories()",
            field.path()
        );
        let ours: Value = serde_json::from_str(field.default).unwrap();
        assert_eq!(
            ours.as_f64().or(None),
            upstream.as_f64(),
            "{}",
            field.path()
        );
        if !ours.is_number() {
            assert_eq!(&ours, upstream, "{}", field.path());
        }
        assert!(
            has_type(field.json, upstream),
            "{} is a {} upstream",
            field.path(),
            field.json.name()
        );
    }
}

/// One value for every key the store overrides: the body holds exactly the
/// five categories' field names, with their types.
#[test]
fn a_body_from_every_stored_key_has_the_shape_of_the_upstream_defaults() {
    let text = "MIN_REPLICAS=3\nMAX_REPLICAS=9\nMAX_STREAMS_PER_ENGINE=4\nDOCKER_NETWORK=acestream\n\
        MONITOR_INTERVAL_S=15\nENGINE_GRACE_PERIOD_S=45\nAUTOSCALE_INTERVAL_S=20\nSTARTUP_TIMEOUT_S=2m\n\
        HEALTH_CHECK_INTERVAL_S=30\nHEALTH_FAILURE_THRESHOLD=4\nHEALTH_UNHEALTHY_GRACE_PERIOD_S=90\n\
        HEALTH_REPLACEMENT_COOLDOWN_S=120\nCIRCUIT_BREAKER_FAILURE_THRESHOLD=6\n\
        CIRCUIT_BREAKER_RECOVERY_TIMEOUT_S=600\nCIRCUIT_BREAKER_REPLACEMENT_THRESHOLD=2\n\
        CIRCUIT_BREAKER_REPLACEMENT_TIMEOUT_S=240\nUPSTREAM_CONNECT_TIMEOUT_S=5\nUPSTREAM_READ_TIMEOUT_S=120\n\
        CHANNEL_SHUTDOWN_DELAY_S=10\nNO_DATA_TIMEOUT_CHECKS=30\nNO_DATA_CHECK_INTERVAL_S=0.5\n\
        PACING_BITRATE_MULTIPLIER=2\nPROXY_PREBUFFER_SECONDS=5\nSTREAM_MODE=hls\nCONTROL_MODE=HTTP\n\
        HLS_WINDOW_SIZE=8\nVPN_ENABLED=true\nVPN_PROVIDER=mullvad\nVPN_PROTOCOL=OpenVPN\n\
        VPN_REGIONS=country:Sweden, city:Oslo\nGLUETUN_API_PORT=8000\nPREFERRED_ENGINES_PER_VPN=5\n\
        VPN_SERVERS_AUTO_REFRESH=True\nVPN_SERVERS_REFRESH_PERIOD_S=3600\nENGINE_MAX_DOWNLOAD_RATE=1000\n\
        ENGINE_MAX_UPLOAD_RATE=500\nENGINE_LIVE_CACHE_TYPE=disk\nENGINE_LIVE_BUFFER=20\n";
    let body = body_of(text);
    let defaults = upstream_defaults();
    let mut count = 0;
    for (category, fields) in body.as_object().unwrap() {
        let upstream = defaults[category.as_str()]
            .as_object()
            .unwrap_or_else(|| panic!("{category}"));
        for (name, value) in fields.as_object().unwrap() {
            let default = upstream
                .get(name)
                .unwrap_or_else(|| panic!("{category}.{name}"));
            let same_kind = match default {
                Value::Number(_) => value.is_number(),
                Value::Array(_) => value.is_array(),
                other => std::mem::discriminant(other) == std::mem::discriminant(value),
            };
            assert!(same_kind, "{category}.{name}: {value} vs {default}");
            count += 1;
        }
    }
    assert_eq!(count, fields::FIELDS.len(), "every field once: {body:#}");
    assert_eq!(
        body["orchestrator_settings"]["startup_timeout_s"],
        json!(120)
    );
    assert_eq!(body["proxy_settings"]["stream_mode"], json!("HLS"));
    assert_eq!(body["proxy_settings"]["control_mode"], json!("http"));
    assert_eq!(body["proxy_settings"]["no_data_check_interval"], json!(0.5));
    assert_eq!(body["vpn_settings"]["protocol"], json!("openvpn"));
    assert_eq!(
        body["vpn_settings"]["regions"],
        json!(["country:Sweden", "city:Oslo"])
    );
    assert_eq!(body["engine_config"]["buffer_time"], json!(20));
}

/// A POST merges each category (SettingsStore.Save): a body that holds
/// only what `.env` sets changes nothing else, so nothing else may be in it.
#[test]
fn the_body_holds_only_what_env_sets() {
    assert_eq!(
        body_of("MIN_REPLICAS=10\n"),
        json!({"engine_settings": {"min_replicas": 10}})
    );
    assert_eq!(
        body_of("CONTAINER_LABEL=a=b\nAPI_KEY=x\nPORT_RANGE_HOST=20000-20099\n"),
        json!({})
    );
}

#[test]
fn one_x_keys_are_carried_over_when_the_2_1_key_is_absent() {
    let body = body_of(
        "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=protonvpn\nVPN_TYPE=wireguard\n\
         SERVER_COUNTRIES=Spain,France\nSERVER_CITIES=Madrid\nACEXY_MAX_STREAMS_PER_ENGINE=3\n",
    );
    assert_eq!(
        body,
        json!({
            "proxy_settings": {"max_streams_per_engine": 3},
            "vpn_settings": {
                "enabled": true, "provider": "protonvpn", "protocol": "wireguard",
                "regions": ["country:Spain", "country:France", "city:Madrid"]
            }
        })
    );
    let explicit = body_of("GLUETUN_CONTAINER_NAME=gluetun\nVPN_ENABLED=false\nSERVER_COUNTRIES=Spain\nVPN_REGIONS=country:Italy\n");
    assert_eq!(
        explicit["vpn_settings"],
        json!({"enabled": false, "regions": ["country:Italy"]})
    );
}

#[test]
fn secrets_never_reach_the_body() {
    let text =
        "VPN_ENABLED=true\nWIREGUARD_PRIVATE_KEY=c2VjcmV0LWtleQ==\nOPENVPN_PASSWORD=hunter2\n\
                API_KEY=letmein\nPROTON_PASSWORD=pw-proton\n";
    let body = body_of(text).to_string();
    for secret in ["c2VjcmV0LWtleQ==", "hunter2", "letmein", "pw-proton"] {
        assert!(!body.contains(secret), "{body}");
    }
}

#[test]
fn values_the_store_would_change_are_refused_with_the_reason() {
    let refused = |text: &str| {
        let (_, problems) = assignments(&entries(text));
        problems
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(refused("MAX_STREAMS_PER_ENGINE=50\n").contains("clamps"));
    assert!(refused("ENGINE_LIVE_BUFFER=5\n").contains("below 10"));
    assert!(refused("STREAM_MODE=dash\n").contains("TS or HLS"));
    assert!(refused("PREFERRED_ENGINES_PER_VPN=0\n").contains("0 or less"));
    assert!(refused("STARTUP_TIMEOUT_S=1500ms\n").contains("whole seconds"));
    assert!(refused("MIN_REPLICAS=two\n").contains("whole number"));
    assert!(refused("VPN_ENABLED=maybe\n").contains("true or false"));
}

#[test]
fn a_stored_zero_with_a_positive_default_lasts_until_restart() {
    let (assignments, _) = assignments(&entries("MIN_REPLICAS=0\nENGINE_MAX_DOWNLOAD_RATE=0\n"));
    let lasting: Vec<bool> = assignments
        .iter()
        .map(|a| lasts_until_restart(&a.field, &a.value))
        .collect();
    assert_eq!(lasting, vec![true, false]);
}
