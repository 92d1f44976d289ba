use super::schema::{env_validator_for, keys_refused_by_schema};
use super::sources::collect_raw;
use super::*;
use crate::diagnostic::Position;
use crate::keys::KEYS;
use crate::load::dotenv;
use serde_json::{Map, Value};

fn settings_from(text: &str, overrides: &[Override]) -> (Settings, Vec<SettingError>) {
    let env = dotenv::parse(text, &|_| None);
    assert!(env.errors.is_empty(), "{:?}", env.errors);
    read_settings(&env, Utf8Path::new(".env"), overrides)
}

#[test]
fn only_names_compose_can_interpolate_are_interpolable() {
    for name in ["A", "_x", "SERVER_COUNTRIES", "k9"] {
        assert!(is_interpolable_name(name), "{name}");
    }
    for name in [
        "",
        "1A",
        "SERVER_COUNTRIES.nl",
        "VPN_SERVICE_PROVIDER-custom",
        "a[0]",
        "ÄB",
    ] {
        assert!(!is_interpolable_name(name), "{name}");
    }
}

#[test]
fn an_api_key_that_breaks_the_json_role_is_e0203_only_with_a_vpn() {
    let vpn = "GLUETUN_CONTAINER_NAME=gluetun\n";
    for value in ["'a\"b'", "'a\\b'", "\"a\\tb\""] {
        let (_, errors) = settings_from(&format!("{vpn}GLUETUN_API_KEY={value}\n"), &[]);
        let diagnostics: Vec<_> = errors.iter().map(SettingError::to_diagnostic).collect();
        assert_eq!(diagnostics.len(), 1, "{value}: {diagnostics:?}");
        assert_eq!(diagnostics[0].code, "E0203");
        assert!(
            !diagnostics[0].message.contains("a\"b"),
            "{}",
            diagnostics[0].message
        );
    }
    let (_, errors) = settings_from("GLUETUN_API_KEY='a\"b'\n", &[]);
    assert!(
        errors.is_empty(),
        "without a VPN the key is not placed in JSON"
    );
}

#[test]
fn a_bad_value_from_the_process_environment_is_not_quoted() {
    let env = dotenv::parse("GLUETUN_API_PORT=${PORT}\n", &|name| {
        (name == "PORT").then(|| "hunter2ci".to_owned())
    });
    let (settings, errors) = read_settings(&env, Utf8Path::new(".env"), &[]);
    let message = errors[0].to_diagnostic().message;
    assert!(!message.contains("hunter2ci"), "{message}");
    assert!(settings.raw[keys::GLUETUN_API_PORT].secret);
}

#[test]
fn empty_env_gives_the_documented_defaults() {
    let (s, errors) = settings_from("", &[]);
    assert!(errors.is_empty());
    assert_eq!(s.engine_variant.value, EngineVariant::Krinkuto11Amd64);
    assert_eq!(s.min_replicas.value, 2);
    assert_eq!(s.max_replicas.value, 6);
    assert_eq!(s.port_range_host.value.to_string(), "19000-19999");
    assert_eq!(s.ace_https_range.value.to_string(), "45000-49999");
    assert_eq!(s.engine_p2p_range.value.to_string(), "8621-8720");
    assert_eq!(s.gluetun_api_port.value, 8000);
    assert_eq!(s.gluetun_image.value, "qmcgaw/gluetun:v3.41.1");
    assert_eq!(
        s.container_label.value,
        ("ondemand.app".to_owned(), "myservice".to_owned())
    );
    assert!(!s.ace_map_https.value);
    assert_eq!(s.vpn_mode.value, VpnMode::Single);
    assert_eq!(s.min_replicas.origin, Origin::Default);
}

#[test]
fn set_overrides_the_file_and_the_file_overrides_defaults() {
    let overrides = [Override {
        key: "MIN_REPLICAS".into(),
        value: "4".into(),
    }];
    let (s, errors) = settings_from("MIN_REPLICAS=3\nMAX_REPLICAS=9\n", &overrides);
    assert!(errors.is_empty());
    assert_eq!(s.min_replicas.value, 4);
    assert_eq!(s.min_replicas.origin, Origin::CommandLine);
    assert_eq!(s.max_replicas.value, 9);
    assert_eq!(s.max_replicas.origin.describe(), ".env:2");
}

#[test]
fn every_bad_value_is_reported_with_its_position() {
    let text = "ENGINE_VARIANT=jopsis-arm\nPORT_RANGE_HOST=20000-19000\nACE_MAP_HTTPS=yes\nGLUETUN_API_PORT=70000\n";
    let (_, errors) = settings_from(text, &[]);
    let diagnostics: Vec<_> = errors.iter().map(SettingError::to_diagnostic).collect();
    assert_eq!(diagnostics.len(), 4, "{diagnostics:#?}");
    let lines: Vec<u32> = diagnostics
        .iter()
        .map(|d| d.location.as_ref().unwrap().position.unwrap().line)
        .collect();
    assert_eq!(lines, vec![1, 2, 3, 4]);
    assert!(diagnostics[0].message.contains("found `jopsis-arm`"));
    assert!(diagnostics[1]
        .message
        .contains("1 <= start <= end <= 65535"));
    assert_eq!(
        diagnostics[0].location.as_ref().unwrap().position,
        Some(Position::new(1, 16))
    );
}

#[test]
fn booleans_accept_any_case() {
    let (s, errors) = settings_from("ACE_MAP_HTTPS=TRUE\n", &[]);
    assert!(errors.is_empty());
    assert!(s.ace_map_https.value);
}

#[test]
fn min_above_max_is_an_error() {
    let (_, errors) = settings_from("MIN_REPLICAS=8\nMAX_REPLICAS=6\n", &[]);
    assert_eq!(errors.len(), 1);
    let d = errors[0].to_diagnostic();
    assert!(d
        .message
        .contains("MIN_REPLICAS (8) is greater than MAX_REPLICAS (6)"));
}

#[test]
fn max_replicas_zero_is_an_error() {
    let (_, errors) = settings_from("MIN_REPLICAS=0\nMAX_REPLICAS=0\n", &[]);
    assert_eq!(errors.len(), 1);
}

#[test]
fn memory_sizes() {
    assert_eq!(MemorySize::parse("512m").unwrap().unwrap().bytes, 512 << 20);
    assert_eq!(MemorySize::parse("2G").unwrap().unwrap().bytes, 2 << 30);
    assert_eq!(MemorySize::parse("0"), Ok(None));
    assert_eq!(MemorySize::parse(""), Ok(None));
    assert!(MemorySize::parse("12mb").is_err());
    assert!(MemorySize::parse("m").is_err());
    assert!(MemorySize::parse("1.5g").is_err());
}

#[test]
fn port_range_halves() {
    let r = parse_port_range("19000-19999").unwrap();
    let (a, b) = r.halves();
    assert_eq!(a.to_string(), "19000-19499");
    assert_eq!(b.unwrap().to_string(), "19500-19999");
    let odd = parse_port_range("100-102").unwrap().halves();
    assert_eq!(odd.0.to_string(), "100-101");
    assert_eq!(odd.1.unwrap().to_string(), "102-102");
    assert_eq!(parse_port_range("5-5").unwrap().halves().1, None);
}

#[test]
fn port_ranges_reject_zero_and_reversed() {
    assert!(parse_port_range("0-10").is_none());
    assert!(parse_port_range("10-9").is_none());
    assert!(parse_port_range("10-65536").is_none());
    assert!(parse_port_range("10").is_none());
    assert!(parse_port_range("1-65535").is_some());
}

#[test]
fn gluetun_keys_are_collected_once_in_file_order() {
    let (s, _) = settings_from(
        "VPN_MODE=single\nWIREGUARD_PRIVATE_KEY=x\nVPN_SERVICE_PROVIDER=mullvad\nWIREGUARD_PRIVATE_KEY=y\n",
        &[],
    );
    assert_eq!(
        s.gluetun_keys,
        vec!["WIREGUARD_PRIVATE_KEY", "VPN_SERVICE_PROVIDER"]
    );
}

#[test]
fn every_default_satisfies_the_full_env_schema() {
    // Defaults are not checked at run time (keys_refused_by_schema).
    let defaults: Map<String, Value> = KEYS
        .iter()
        .filter_map(|k| Some((k.name.to_owned(), Value::from(k.default?))))
        .collect();
    assert!(defaults.len() > 10, "the key table has defaults");
    let validator = env_validator_for(&env_schema_keys());
    let refused: Vec<String> = validator
        .iter_errors(&Value::Object(defaults))
        .map(|e| e.to_string())
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}

#[test]
fn the_env_schema_declares_the_draft_it_is_compiled_as() {
    let schema: Value = serde_json::from_str(ENV_SCHEMA_TEXT).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    // Compiled as draft 7 by its own declaration too, meta-schema check included.
    assert!(jsonschema::validator_for(&schema).is_ok());
}

#[test]
fn the_env_schema_describes_exactly_the_keys_acegen_reads() {
    let mut in_schema = env_schema_keys();
    in_schema.sort_unstable();
    let mut in_table: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
    in_table.sort_unstable();
    assert_eq!(in_schema, in_table);
}

#[test]
fn the_schema_refuses_each_kind_of_bad_value_with_its_expected_text() {
    let cases = [
        ("ENGINE_VARIANT=Jopsis-amd64", "one of krinkuto11-amd64"),
        ("ENGINE_ARM32_VERSION=arm32 v3", "an image tag"),
        ("MIN_REPLICAS=two", "a non-negative decimal integer"),
        ("MIN_REPLICAS=-1", "a non-negative decimal integer"),
        ("PORT_RANGE_HOST=0-100", "a port range"),
        ("PORT_RANGE_HOST=19000-65536", "a port range"),
        ("GLUETUN_API_PORT=0", "a port number"),
        ("ACE_MAP_HTTPS=1", "`true` or `false`"),
        ("PORT_BIND_IP=localhost", "an IPv4 or IPv6 address"),
        ("PORT_BIND_IP=300.1.1.1", "an IPv4 or IPv6 address"),
        ("CONTAINER_LABEL=nolabel", "a label `key=value`"),
        ("CONTAINER_LABEL=a b=c", "a label `key=value`"),
        ("DOCKER_NETWORK=-net", "a name of at least two letters"),
        ("ENGINE_MEMORY_LIMIT=1.5g", "a memory size"),
        ("VPN_MODE=double", "`single` or `redundant`"),
        ("GLUETUN_IMAGE=/gluetun", "an image reference"),
    ];
    for (line, expected) in cases {
        let (_, errors) = settings_from(&format!("{line}\n"), &[]);
        assert_eq!(errors.len(), 1, "{line}: {errors:?}");
        let message = errors[0].to_diagnostic().message;
        assert!(message.contains(expected), "{line}: {message}");
        // The schema itself, not only the typed parsing, refuses it.
        let env = dotenv::parse(&format!("{line}\n"), &|_| None);
        let refused = keys_refused_by_schema(&collect_raw(&env, Utf8Path::new(".env"), &[]));
        let key = line.split('=').next().unwrap();
        assert_eq!(refused.into_iter().collect::<Vec<_>>(), vec![key], "{line}");
    }
}

#[test]
fn the_schema_accepts_what_the_docs_promise() {
    let text = "VPN_MODE=redundant\nACE_MAP_HTTPS=False\nPORT_BIND_IP=[::1]\nCONTAINER_LABEL=a.b=\nPORT_RANGE_HOST=1-65535\nENGINE_MEMORY_LIMIT=2G\nGLUETUN_IMAGE=qmcgaw/gluetun@sha256:abc\n";
    let (s, errors) = settings_from(text, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(s.vpn_mode.value, VpnMode::Redundant);
    assert_eq!(s.port_bind_ip.unwrap().value.to_string(), "::1");
}

#[test]
fn vpn_mode_in_another_case_is_refused_at_its_value_with_the_spelling_meant() {
    for (line, meant) in [
        ("VPN_MODE=Redundant", "redundant"),
        ("VPN_MODE=SINGLE", "single"),
    ] {
        let (settings, errors) =
            settings_from(&format!("GLUETUN_CONTAINER_NAME=vpn1\n{line}\n"), &[]);
        assert_eq!(errors.len(), 1, "{line}: {errors:?}");
        let diagnostic = errors[0].to_diagnostic();
        assert_eq!(diagnostic.code, "E0240", "{line}");
        assert!(
            diagnostic.message.contains("exactly"),
            "{}",
            diagnostic.message
        );
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some(format!("write VPN_MODE={meant}").as_str())
        );
        let location = diagnostic.location.expect("at the value");
        assert_eq!(location.position.map(|p| p.line), Some(2));
        let expected_mode = if meant == "redundant" {
            VpnMode::Redundant
        } else {
            VpnMode::Single
        };
        assert_eq!(
            settings.vpn_mode.value, expected_mode,
            "the mode meant stands in"
        );
    }
    // The exact spellings are accepted; anything else is an ordinary bad value.
    for line in ["VPN_MODE=single", "VPN_MODE=redundant"] {
        assert_eq!(settings_from(&format!("{line}\n"), &[]).1, vec![], "{line}");
    }
    let (_, errors) = settings_from("VPN_MODE=Redundent\n", &[]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].to_diagnostic().code, "E0201");
}

#[test]
fn container_label_with_a_second_equals_sign_is_refused_at_its_value() {
    let (_, errors) = settings_from("CONTAINER_LABEL=acestream.role=engine=static\n", &[]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let diagnostic = errors[0].to_diagnostic();
    assert_eq!(diagnostic.code, "E0241");
    assert!(
        diagnostic.message.contains("holds 2 `=`"),
        "{}",
        diagnostic.message
    );
    assert!(diagnostic.hint.is_some());
    let location = diagnostic.location.expect("at the value");
    let position = location.position.expect("a position");
    assert_eq!((position.line, position.column), (1, 17));
    // One `=`, and an empty value, stay valid.
    for line in ["CONTAINER_LABEL=a=b", "CONTAINER_LABEL=a.b="] {
        assert_eq!(settings_from(&format!("{line}\n"), &[]).1, vec![], "{line}");
    }
    // From --set too.
    let set = Override {
        key: "CONTAINER_LABEL".into(),
        value: "a=b=c".into(),
    };
    let (_, errors) = settings_from("", &[set]);
    assert_eq!(errors.len(), 1);
}
