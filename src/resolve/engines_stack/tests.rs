//! Resolution rules (docs/development/spec.md §2): variant choice, engines, VPN services, and
//! each refusal with its message and position.

use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::{
    has_vpn_watchdog, jopsis_healthcheck, resolve, Engine, EnvValue, ForwardedPort,
    ForwardedSource, Plan, ResolveError, ResolveOptions, VariantRule, VpnLayout,
    VPN_NAMESPACE_WATCHDOG,
};
use crate::test_support::{resolved, settings};
use crate::validate::custom_variant::{check_custom_variant, CustomVariant};
use crate::variants;
use camino::Utf8Path;

fn custom(json: &str) -> CustomVariant {
    let (variant, problems) =
        check_custom_variant(Utf8Path::new("custom_engine_variant.json"), json);
    assert!(
        problems.iter().all(|p| p.severity == Severity::Warning),
        "{problems:?}"
    );
    variant.unwrap()
}

fn plan_with(env_text: &str, custom: Option<&CustomVariant>, replicas: Option<u32>) -> Plan {
    let options = ResolveOptions {
        replicas,
        ..Default::default()
    };
    resolved(&settings(env_text), custom, &options)
}

fn plan(env_text: &str) -> Plan {
    plan_with(env_text, None, None)
}

/// The errors of a configuration that cannot be resolved.
fn refusal(env_text: &str, custom: Option<&CustomVariant>) -> Vec<Diagnostic> {
    let (plan, problems) = resolve(&settings(env_text), custom, &ResolveOptions::default());
    assert!(plan.is_none(), "expected a refusal");
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(ResolveError::to_diagnostic)
        .collect()
}

fn line_of(d: &Diagnostic) -> u32 {
    d.location
        .as_ref()
        .and_then(|l| l.position)
        .map_or(0, |p| p.line)
}

fn label<'a>(engine: &'a Engine, key: &str) -> Option<&'a str> {
    engine
        .labels
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

const ENABLED_CUSTOM_AMD64: &str = r#"{"enabled": true, "platform": "amd64", "amd64_version": "3.1.74",
  "parameters": [{"name": "--live-buffer", "type": "int", "value": 30, "enabled": true},
                 {"name": "--stats-report-peers", "type": "flag", "value": true, "enabled": true},
                 {"name": "--vod-buffer", "type": "int", "value": 5, "enabled": false}]}"#;

#[test]
fn the_default_variant_is_krinkuto11_with_two_engines() {
    let p = plan("");
    assert_eq!(p.variant.rule, VariantRule::Default);
    assert_eq!(p.variant.image, "ghcr.io/krinkuto11/nano-ace:latest");
    assert_eq!(p.engines.len(), 2);
    assert_eq!(
        p.engines[0].command.as_deref().unwrap(),
        [
            "/acestream/acestreamengine",
            "--client-console",
            "--bind-all",
            "--http-port",
            "19000",
            "--https-port",
            "45000"
        ]
    );
    assert!(p.engines[0].healthcheck.is_none());
    assert_eq!(p.vpn_layout, VpnLayout::None);
}

#[test]
fn engine_variant_picks_the_image_and_how_it_is_started() {
    let p = plan("ENGINE_VARIANT=jopsis-amd64\n");
    assert!(matches!(p.variant.rule, VariantRule::EngineVariant(_)));
    assert_eq!(p.variant.image, "jopsis/acestream:x64");
    let engine = &p.engines[1];
    assert!(engine.command.is_none());
    let args = engine.acestream_args.as_deref().unwrap();
    assert!(args.starts_with(variants::JOPSIS_AMD64_ARGS));
    assert!(args.ends_with("--log-backup-count 1 --http-port 19001 --https-port 45001"));
    assert!(engine.healthcheck.as_ref().unwrap()[1]
        .contains("http://127.0.0.1:19001/webui/api/service?method=get_version"));

    let arm = plan("ENGINE_VARIANT=jopsis-arm32\nENGINE_ARM32_VERSION=arm32-v3.2.14\n");
    assert_eq!(arm.variant.image, "jopsis/acestream:arm32-v3.2.14");
    let command = arm.engines[0].command.as_deref().unwrap();
    assert_eq!(&command[..3], ["python", "main.py", "--bind-all"]);
    assert_eq!(
        &command[command.len() - 4..],
        ["--http-port", "19000", "--https-port", "45000"]
    );
    assert_eq!(
        plan("ENGINE_VARIANT=jopsis-arm64\n").variant.image,
        "jopsis/acestream:arm64-v3.2.13"
    );
}

#[test]
fn an_enabled_custom_variant_wins_over_engine_variant() {
    let variant = custom(ENABLED_CUSTOM_AMD64);
    let p = plan_with("ENGINE_VARIANT=jopsis-amd64\n", Some(&variant), None);
    assert_eq!(p.variant.rule, VariantRule::CustomVariant);
    assert_eq!(p.variant.label, "custom-amd64");
    assert_eq!(p.variant.image, "ghcr.io/krinkuto11/nano-ace:3.1.74");
    assert_eq!(
        p.engines[0].command.as_deref().unwrap(),
        [
            "/acestream/acestreamengine",
            "--live-buffer",
            "30",
            "--stats-report-peers",
            "--http-port",
            "19000",
            "--https-port",
            "45000"
        ]
    );
    // The orchestrator labels a custom variant's engines with the platform.
    assert_eq!(
        label(&p.engines[0], "acestream.engine_variant"),
        Some("amd64")
    );
    let arm = custom(r#"{"enabled": true, "platform": "arm64"}"#);
    let p = plan_with("", Some(&arm), None);
    assert_eq!(
        label(&p.engines[0], "acestream.engine_variant"),
        Some("arm64")
    );
}

#[test]
fn engines_carry_the_orchestrators_default_label() {
    let p = plan("");
    assert_eq!(label(&p.engines[0], "ondemand.app"), Some("myservice"));
    assert_eq!(label(&p.engines[0], "orchestrator.managed"), None);
}

#[test]
fn a_disabled_custom_variant_is_ignored() {
    let variant = custom(&ENABLED_CUSTOM_AMD64.replace(
        "\"enabled\": true, \"platform\"",
        "\"enabled\": false, \"platform\"",
    ));
    let p = plan_with(
        "ENGINE_VARIANT=jopsis-arm64\nENGINE_MEMORY_LIMIT=1g\n",
        Some(&variant),
        None,
    );
    assert_eq!(p.variant.label, "jopsis-arm64");
    assert_eq!(p.memory_limit.as_deref(), Some("1g"));
}

#[test]
fn custom_arm_uses_the_jopsis_image_and_its_memory_limit_wins() {
    let variant = custom(
        r#"{"enabled": true, "platform": "arm32", "arm_version": "3.2.14", "memory_limit": "512m"}"#,
    );
    let p = plan_with("ENGINE_MEMORY_LIMIT=2g\n", Some(&variant), None);
    assert_eq!(p.variant.image, "jopsis/acestream:arm32-v3.2.14");
    assert_eq!(
        p.engines[0].command.as_deref().unwrap()[..2],
        ["python", "main.py"]
    );
    assert_eq!(p.memory_limit.as_deref(), Some("512m"));
    assert!(p.engines[0].healthcheck.is_some());
}

#[test]
fn a_custom_memory_limit_of_zero_means_none_and_wins_over_engine_memory_limit() {
    let zero = custom(r#"{"enabled": true, "platform": "amd64", "memory_limit": "0"}"#);
    let (p, problems) = resolve(
        &settings("ENGINE_MEMORY_LIMIT=512m\n"),
        Some(&zero),
        &ResolveOptions::default(),
    );
    assert_eq!(p.unwrap().memory_limit, None);
    // ENGINE_MEMORY_LIMIT is then without effect, and says so.
    assert!(problems
        .iter()
        .any(|w| w.code == "W0401" && w.message.starts_with("ENGINE_MEMORY_LIMIT has no effect")));
    for unset in [r#""""#, "null"] {
        let fallback = custom(&format!(
            r#"{{"enabled": true, "platform": "amd64", "memory_limit": {unset}}}"#
        ));
        let p = plan_with("ENGINE_MEMORY_LIMIT=512m\n", Some(&fallback), None);
        assert_eq!(p.memory_limit.as_deref(), Some("512m"), "{unset}");
    }
}

#[test]
fn https_ports_skip_only_the_engines_own_http_port() {
    let p = plan("PORT_RANGE_HOST=45000-45010\nACE_HTTPS_RANGE=45000-45010\n");
    let got: Vec<_> = p
        .engines
        .iter()
        .map(|e| (e.ports.http, e.ports.https))
        .collect();
    assert_eq!(got, vec![(45000, 45001), (45001, 45002)]);
}

#[test]
fn replicas_override_min_replicas_but_not_max() {
    assert_eq!(
        plan_with("MIN_REPLICAS=3\n", None, Some(5)).engines.len(),
        5
    );
    let (plan, problems) = resolve(
        &settings("MAX_REPLICAS=4\n"),
        None,
        &ResolveOptions {
            replicas: Some(5),
            ..Default::default()
        },
    );
    assert!(plan.is_none());
    assert_eq!(problems[0].code, "E0401");
    assert_eq!(
        problems[0].message,
        "5 engines asked for (--replicas), but MAX_REPLICAS is 4 (from .env:1)"
    );
    // The location points at MAX_REPLICAS, the value to raise, not at --replicas.
    let diagnostic = problems[0].to_diagnostic();
    assert_eq!(diagnostic.location.unwrap().position.unwrap().line, 1);
    assert!(!diagnostic.message.contains("command line"));
}

#[test]
fn replicas_above_the_default_max_name_the_default() {
    let (_, problems) = resolve(
        &settings(""),
        None,
        &ResolveOptions {
            replicas: Some(7),
            ..Default::default()
        },
    );
    assert_eq!(
        problems[0].to_diagnostic().message,
        "7 engines asked for (--replicas), but MAX_REPLICAS is 6 (the default)"
    );
}

#[test]
fn zero_engines_generate_only_the_vpn_services_with_a_warning() {
    let (plan, problems) = resolve(
        &settings("MIN_REPLICAS=0\nGLUETUN_CONTAINER_NAME=gluetun\n"),
        None,
        &ResolveOptions::default(),
    );
    let plan = plan.unwrap();
    assert!(plan.engines.is_empty());
    // The ports the orchestrator's engines will need are published already.
    assert_eq!(
        plan.vpns[0].published_ports,
        (19000..=19005).collect::<Vec<_>>()
    );
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "W0403");
    assert_eq!(
        problems[0]
            .to_diagnostic()
            .location
            .unwrap()
            .position
            .unwrap()
            .line,
        1
    );
}

#[test]
fn single_vpn_engines_share_the_vpn_network() {
    let p = plan("GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_PORT_RANGE_1=20000-20009\nMIN_REPLICAS=3\nVPN_SERVICE_PROVIDER=mullvad\n");
    assert_eq!(p.vpn_layout, VpnLayout::Single);
    let vpn = &p.vpns[0];
    // Published: the ports of every engine up to MAX_REPLICAS (6), on this VPN.
    assert_eq!(vpn.published_ports, (20000..=20005).collect::<Vec<_>>());
    assert_eq!(vpn.api_host_port, 8000);
    for (i, engine) in p.engines.iter().enumerate() {
        assert_eq!(engine.vpn.as_deref(), Some("gluetun"));
        assert_eq!(label(engine, "acestream.vpn_container"), Some("gluetun"));
        assert_eq!(label(engine, "acestream.forwarded"), None);
        assert_eq!(engine.ports.p2p, Some(8621 + i as u16));
        let command = engine.command.as_deref().unwrap();
        assert_eq!(
            command[command.len() - 2..],
            ["--port".to_owned(), (8621 + i).to_string()]
        );
    }
    assert_eq!(
        vpn.environment,
        vec![
            (
                "HTTP_CONTROL_SERVER_ADDRESS".to_owned(),
                EnvValue::Literal(":8000".to_owned())
            ),
            (
                "VPN_SERVICE_PROVIDER".to_owned(),
                EnvValue::Reference("VPN_SERVICE_PROVIDER".to_owned())
            ),
        ]
    );
}

#[test]
fn a_static_forwarded_port_goes_to_the_first_engine_and_opens_the_firewall() {
    let p = plan("GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_FORWARDED_PORT=40001\nMIN_REPLICAS=2\n");
    assert_eq!(p.engines[0].ports.p2p, Some(40001));
    assert_eq!(label(&p.engines[0], "acestream.forwarded"), Some("true"));
    assert_eq!(p.engines[1].ports.p2p, Some(8621));
    assert_eq!(label(&p.engines[1], "acestream.forwarded"), None);
    assert!(p.vpns[0].environment.contains(&(
        "FIREWALL_VPN_INPUT_PORTS".to_owned(),
        EnvValue::Literal("40001".to_owned())
    )));

    // The user's own FIREWALL_VPN_INPUT_PORTS wins, by reference.
    let p = plan("GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_FORWARDED_PORT=40001\nFIREWALL_VPN_INPUT_PORTS=40001,40002\n");
    let firewall: Vec<_> = p.vpns[0]
        .environment
        .iter()
        .filter(|(k, _)| k == "FIREWALL_VPN_INPUT_PORTS")
        .collect();
    assert_eq!(
        firewall,
        [&(
            "FIREWALL_VPN_INPUT_PORTS".to_owned(),
            EnvValue::Reference("FIREWALL_VPN_INPUT_PORTS".to_owned())
        )]
    );
}

#[test]
fn a_port_from_the_control_server_overrides_the_setting_without_touching_the_firewall() {
    let options = ResolveOptions {
        forwarded_from_control_server: [
            Some(ForwardedPort {
                port: 51413,
                source: ForwardedSource::ControlServer("http://127.0.0.1:8000".to_owned()),
            }),
            None,
        ],
        ..Default::default()
    };
    let (plan, problems) = resolve(
        &settings("GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_FORWARDED_PORT=40001\n"),
        None,
        &options,
    );
    let plan = plan.unwrap();
    assert_eq!(problems[0].code, "W0402");
    assert!(problems[0]
        .message
        .starts_with("GLUETUN_FORWARDED_PORT is 40001 but the control server forwards 51413"));
    assert_eq!(plan.engines[0].ports.p2p, Some(51413));
    assert!(!plan.vpns[0]
        .environment
        .iter()
        .any(|(k, _)| k == "FIREWALL_VPN_INPUT_PORTS"));
}

#[test]
fn the_api_key_is_required_by_reference() {
    let p = plan("GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_API_KEY=s3cret\nHTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE=x\n");
    let roles: Vec<_> = p.vpns[0]
        .environment
        .iter()
        .filter(|(k, _)| k == "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE")
        .collect();
    assert_eq!(
        roles,
        [&(
            "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE".to_owned(),
            EnvValue::Interpolated(r#"{"auth":"apikey","apikey":"${GLUETUN_API_KEY}"}"#.to_owned())
        )]
    );
    assert!(!format!("{:?}", p.vpns).contains("s3cret"));
}

#[test]
fn redundant_engines_alternate_and_the_second_vpn_reads_key_2() {
    let p = plan(
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\nMIN_REPLICAS=3\n\
         WIREGUARD_PRIVATE_KEY=a\nWIREGUARD_PRIVATE_KEY_2=b\nSERVER_COUNTRIES=Spain\nVPN_RESTART_ENGINES_ON_RECONNECT=true\n",
    );
    assert_eq!(p.vpn_layout, VpnLayout::Redundant);
    let vpns: Vec<_> = p
        .engines
        .iter()
        .map(|e| e.vpn.as_deref().unwrap())
        .collect();
    assert_eq!(vpns, ["gluetun", "gluetun2", "gluetun"]);
    // PORT_RANGE_HOST is split in two halves.
    let http: Vec<_> = p.engines.iter().map(|e| e.ports.http).collect();
    assert_eq!(http, [19000, 19500, 19001]);
    assert_eq!(p.vpns[1].api_host_port, 8001);
    assert_eq!(p.vpns[1].api_port, 8000);
    let references = |v: usize| -> Vec<(String, String)> {
        p.vpns[v]
            .environment
            .iter()
            .filter_map(|(k, value)| match value {
                EnvValue::Reference(source) => Some((k.clone(), source.clone())),
                _ => None,
            })
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        references(0),
        [
            pair("WIREGUARD_PRIVATE_KEY", "WIREGUARD_PRIVATE_KEY"),
            pair("SERVER_COUNTRIES", "SERVER_COUNTRIES")
        ]
    );
    assert_eq!(
        references(1),
        [
            pair("WIREGUARD_PRIVATE_KEY", "WIREGUARD_PRIVATE_KEY_2"),
            pair("SERVER_COUNTRIES", "SERVER_COUNTRIES")
        ]
    );
}

#[test]
fn redundant_mode_needs_two_different_names() {
    let errors = refusal("VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\n", None);
    assert_eq!(errors[0].code, "E0402");
    assert!(
        errors[0]
            .message
            .contains("GLUETUN_CONTAINER_NAME_2 is not set"),
        "{}",
        errors[0].message
    );
    assert_eq!(line_of(&errors[0]), 1);

    let errors = refusal(
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=vpn\nGLUETUN_CONTAINER_NAME_2=vpn\n",
        None,
    );
    assert!(errors[0].message.contains("two different VPN names"));
    assert_eq!(line_of(&errors[0]), 3);
}

#[test]
fn redundant_ranges_must_be_both_set_and_disjoint() {
    let base = "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=vpn1\nGLUETUN_CONTAINER_NAME_2=vpn2\n";
    let errors = refusal(&format!("{base}GLUETUN_PORT_RANGE_1=19000-19499\n"), None);
    assert_eq!(errors[0].code, "E0403");
    assert!(errors[0]
        .message
        .contains("GLUETUN_PORT_RANGE_1 is set but GLUETUN_PORT_RANGE_2 is not"));
    assert_eq!(line_of(&errors[0]), 4);

    let errors = refusal(
        &format!("{base}GLUETUN_PORT_RANGE_1=19000-19499\nGLUETUN_PORT_RANGE_2=19400-19999\n"),
        None,
    );
    assert!(
        errors[0].message.contains("overlap"),
        "{}",
        errors[0].message
    );
    assert_eq!(line_of(&errors[0]), 5);
}

#[test]
fn too_few_ports_says_how_many_are_needed_and_available() {
    let errors = refusal("MIN_REPLICAS=4\nPORT_RANGE_HOST=19000-19002\n", None);
    assert_eq!(errors[0].code, "E0404");
    assert_eq!(
        errors[0].message,
        "PORT_RANGE_HOST 19000-19002 has 3 ports, but 4 are needed (4 engines × one HTTP port)"
    );
    assert_eq!(line_of(&errors[0]), 2);
    let errors = refusal(
        "MIN_REPLICAS=3\nACE_MAP_HTTPS=true\nPORT_RANGE_HOST=19000-19004\n",
        None,
    );
    assert!(
        errors[0].message.contains("has 5 ports, but 6 are needed"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_vpn_cannot_take_an_engines_name() {
    let errors = refusal("GLUETUN_CONTAINER_NAME=acestream-2\n", None);
    assert_eq!(errors[0].code, "E0402");
}

#[test]
fn custom_port_parameter_behind_a_vpn_is_refused_at_its_position() {
    let variant = custom(
        "{\"enabled\": true, \"platform\": \"amd64\",\n \"parameters\": [\n  {\"name\": \"--port\", \"type\": \"int\", \"value\": 8621, \"enabled\": true}]}",
    );
    let errors = refusal("GLUETUN_CONTAINER_NAME=gluetun\n", Some(&variant));
    assert_eq!(errors[0].code, "E0405");
    let location = errors[0].location.as_ref().unwrap();
    assert_eq!(location.file, "custom_engine_variant.json");
    assert_eq!(location.position.unwrap().line, 3);
    // Without a VPN every engine has its own stack: the parameter is passed.
    let p = plan_with("", Some(&variant), None);
    assert!(p.engines[0]
        .command
        .as_deref()
        .unwrap()
        .contains(&"--port".to_owned()));
}

#[test]
fn the_container_label_cannot_replace_acegens_labels() {
    let errors = refusal("CONTAINER_LABEL=acestream.http_port=1\n", None);
    assert_eq!(errors[0].code, "E0406");
}

#[test]
fn labels_describe_each_engine() {
    let p = plan("ACE_MAP_HTTPS=true\nCONTAINER_LABEL=team=media\n");
    let labels = &p.engines[1].labels;
    let expected = [
        ("team", "media"),
        ("acestream.engine_variant", "krinkuto11-amd64"),
        ("acestream.http_port", "19002"),
        ("acestream.https_port", "45001"),
        ("host.http_port", "19002"),
        ("host.https_port", "19003"),
    ];
    let got: Vec<(&str, &str)> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn settings_without_effect_are_warned_about() {
    let (_, problems) = resolve(
        &settings(
            "GLUETUN_CONTAINER_NAME=vpn\nACE_MAP_HTTPS=true\nENGINE_ARM32_VERSION=arm32-v3.2.14\n",
        ),
        None,
        &ResolveOptions::default(),
    );
    let warnings: Vec<_> = problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].starts_with("ACE_MAP_HTTPS has no effect behind a VPN"));
    assert!(warnings[1].starts_with("ENGINE_ARM32_VERSION has no effect"));
}

#[test]
fn growth_leaves_existing_engines_exactly_as_they_were() {
    let configurations = [
        "ACE_MAP_HTTPS=true\n",
        "ENGINE_VARIANT=jopsis-amd64\nGLUETUN_CONTAINER_NAME=vpn\nGLUETUN_FORWARDED_PORT=40000\n",
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=vpn1\nGLUETUN_CONTAINER_NAME_2=vpn2\nGLUETUN_FORWARDED_PORT_2=40000\n",
    ];
    for env in configurations {
        for n in 1..8 {
            let small = plan_with(&format!("{env}MAX_REPLICAS=20\n"), None, Some(n));
            let grown = plan_with(&format!("{env}MAX_REPLICAS=20\n"), None, Some(n + 1));
            assert_eq!(
                grown.engines[..n as usize],
                small.engines[..],
                "{env} n={n}"
            );
        }
    }
}

#[test]
fn a_vpn_publishes_what_fits_when_its_range_is_smaller_than_max_replicas() {
    let p = plan("GLUETUN_CONTAINER_NAME=vpn\nGLUETUN_PORT_RANGE_1=19000-19003\nMIN_REPLICAS=2\nMAX_REPLICAS=50\n");
    assert_eq!(p.vpns[0].published_ports, [19000, 19001, 19002, 19003]);
}

#[test]
fn jopsis_engines_behind_a_vpn_get_the_namespace_watchdog_and_the_others_do_not() {
    let vpn = "ENGINE_VARIANT=jopsis-arm64\nGLUETUN_CONTAINER_NAME=gluetun\nVPN_TYPE=wireguard\n";
    let p = plan(vpn);
    let engine = &p.engines[1];
    let test = &engine.healthcheck.as_ref().unwrap()[1];
    assert!(test.starts_with(VPN_NAMESPACE_WATCHDOG), "{test}");
    assert!(
        test.ends_with(&jopsis_healthcheck(engine.ports.http)[1]),
        "{test}"
    );
    assert!(!test.contains('$'), "compose would interpolate: {test}");
    assert!(has_vpn_watchdog(engine));

    let no_vpn = plan("ENGINE_VARIANT=jopsis-arm64\n");
    assert_eq!(
        no_vpn.engines[1].healthcheck,
        Some(jopsis_healthcheck(no_vpn.engines[1].ports.http))
    );
    assert!(!has_vpn_watchdog(&no_vpn.engines[1]));

    let distroless = plan("GLUETUN_CONTAINER_NAME=gluetun\nVPN_TYPE=wireguard\n");
    assert!(distroless.engines[0].vpn.is_some());
    assert!(distroless.engines[0].healthcheck.is_none());
    assert!(!has_vpn_watchdog(&distroless.engines[0]));
}

/// The watchdog's shell, run on a copy of /proc/net/dev with the kills
/// replaced by a marker: it acts only when the namespace has nothing but lo.
#[test]
fn the_namespace_watchdog_acts_only_when_lo_is_the_only_interface() {
    let header = "Inter-|   Receive                |  Transmit\n face |bytes    packets errs|bytes    packets\n";
    let lo = "    lo:     120       2    0    0    0     0          0         0      120       2\n";
    let eth0 =
        "  eth0:    5000      40    0    0    0     0          0         0     3000      30\n";
    let dir = tempfile::tempdir().unwrap();
    let run = |dev: &str| {
        let path = dir.path().join("dev");
        std::fs::write(&path, dev).unwrap();
        let script = VPN_NAMESPACE_WATCHDOG
            .replace("/proc/net/dev", path.to_str().unwrap())
            .replace(
                "sleep 5; kill -TERM -1; sleep 3; kill -KILL -1",
                "echo ended",
            );
        assert_ne!(script, VPN_NAMESPACE_WATCHDOG);
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        )
    };
    assert_eq!(run(&format!("{header}{lo}")), (false, "ended".to_owned()));
    assert_eq!(run(&format!("{header}{lo}{eth0}")), (true, String::new()));
    assert_eq!(run(&format!("{header}{eth0}{lo}")), (true, String::new()));
}
