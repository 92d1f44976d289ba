//! The proof behind skipping the parse-back, tested: random plans rendered
//! with the built-in template read back as exactly their data, and as valid
//! compose, wherever `builtin_output_is_proven` says so; and the direct
//! writer writes what minijinja makes of the template.

use super::builtin_output_is_proven;
use crate::render::compose::{self as render, Provenance};
use crate::resolve::ports::EnginePorts;
use crate::resolve::{Engine, Launch};
use crate::resolve::{EnvValue, Plan, Variant, VariantRule, VpnLayout, VpnService};
use crate::validate::custom_variant::TorrentMount;
use crate::validate::settings::PortRange;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{json, Map, Value};
use std::net::IpAddr;

/// Text as users write it, YAML's special characters, or any Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[ -~]{0,16}",
        2 => "[-$\"'#:{}\\[\\],&*!|>%@` \\\\?~.0-9a-zA-Z]{0,8}",
        2 => any::<String>(),
        1 => "(true|False|yes|No|on|null|~|8000|-1|1e3|0x1F|0o7|.inf|.NaN|<<|- a|\\? b|2001-01-01)",
    ]
}

/// Header text: mostly printable, sometimes with a line break or a control.
fn header_text() -> impl Strategy<Value = String> {
    prop_oneof![12 => "[ -~]{0,16}", 1 => any::<String>(), 1 => "[a-z]{1,4}\n(services: 1 #)?"]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z_][A-Za-z0-9_.-]{0,10}",
        2 => text(),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![12 => "[a-z0-9][a-z0-9_.-]{1,10}", 1 => text()]
}

fn env_value() -> impl Strategy<Value = EnvValue> {
    prop_oneof![
        text().prop_map(EnvValue::Literal),
        "[A-Z_][A-Z0-9_]{0,8}".prop_map(EnvValue::Reference),
        text().prop_map(EnvValue::Interpolated),
    ]
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![1024u16..1040, 1u16..=65535]
}

fn vpn() -> impl Strategy<Value = VpnService> {
    (
        name(),
        prop::collection::vec((key(), env_value()), 0..4),
        port(),
        port(),
        prop::collection::vec(port(), 0..6),
    )
        .prop_map(
            |(name, environment, api_port, api_host_port, published_ports)| VpnService {
                number: 1,
                name,
                api_port,
                api_host_port,
                http_range: PortRange { start: 1, end: 2 },
                forwarded: None,
                published_ports,
                environment,
                control_auth_file: None,
            },
        )
}

/// An engine; `vpn` picks one of the plan's VPNs (by index) when it has any.
fn engine() -> impl Strategy<Value = (Engine, Option<usize>)> {
    let ports = (port(), port(), prop::option::of(port()));
    let launch = (
        prop::option::of(prop::collection::vec(text(), 0..4)),
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(text(), 1..3)),
        // Sometimes the VPN watchdog's health check (`init: true` with it).
        any::<bool>(),
    );
    let labels = prop::collection::vec((key(), text()), 0..5);
    (
        prop::option::of(name()),
        ports,
        launch,
        labels,
        prop::option::of(0usize..2),
    )
        .prop_map(
            |(name, (http, https, https_host), (command, args, health, watchdog), labels, vpn)| {
                let health = health.map(|mut test| {
                    if watchdog {
                        test[0] =
                            format!("{}; {}", crate::resolve::VPN_NAMESPACE_WATCHDOG, test[0]);
                    }
                    test
                });
                let engine = Engine {
                    number: 1,
                    name: name.unwrap_or_default(),
                    vpn: None,
                    ports: EnginePorts {
                        vpn: None,
                        http,
                        https,
                        https_host,
                        p2p: None,
                        forwarded: false,
                    },
                    command,
                    acestream_args: args,
                    labels,
                    healthcheck: health,
                };
                (engine, vpn)
            },
        )
}

fn ip() -> impl Strategy<Value = Option<IpAddr>> {
    prop::option::of(prop_oneof![
        any::<[u8; 4]>().prop_map(IpAddr::from),
        any::<[u16; 8]>().prop_map(IpAddr::from),
    ])
}

prop_compose! {
    fn plan()(
        label in header_text(),
        image in text(),
        vpns in prop::collection::vec(vpn(), 0..3),
        engines in prop::collection::vec(engine(), 0..4),
        network in prop::option::of(name()),
        bind_ip in ip(),
        memory_limit in prop::option::of(text()),
        mount in prop::option::of((text(), text())),
    ) -> Plan {
        let engines = engines
            .into_iter()
            .enumerate()
            .map(|(i, (mut engine, vpn))| {
                if engine.name.is_empty() {
                    engine.name = format!("acestream-{}", i + 1);
                }
                engine.vpn = vpn.and_then(|v| vpns.get(v)).map(|v| v.name.clone());
                engine
            })
            .collect();
        Plan {
            variant: Variant {
                engine_variant_label: label.clone(),
                label,
                rule: VariantRule::Default,
                image,
                launch: Launch::Command(Vec::new()),
                jopsis_healthcheck: false,
            },
            vpn_layout: VpnLayout::None,
            vpns,
            engines,
            network,
            bind_ip,
            memory_limit,
            torrent_mount: mount.map(|(host_path, container_path)| TorrentMount {
                host_path,
                container_path,
            }),
            orchestrator: None,
            stack: crate::resolve::Stack::Engines,
        }
    }
}

prop_compose! {
    fn provenance()(
        env_file in prop::option::of(header_text()),
        custom_variant in prop::option::of(header_text()),
        overrides in prop::collection::vec(header_text(), 0..2),
        custom_variant_enabled in any::<bool>(),
    ) -> Provenance {
        let options: Vec<Vec<String>> =
            overrides.into_iter().map(|key| vec!["--set".to_owned(), key]).collect();
        let arguments = options.iter().flatten().cloned().collect();
        Provenance { env_file, custom_variant, custom_variant_enabled, options, arguments }
    }
}

/// What compose reads back as the text itself: `$` doubled.
fn literal(text: &str) -> Value {
    Value::from(text.replace('$', "$$"))
}

fn published(ip: Option<IpAddr>, host: &str, container: &str) -> String {
    match ip {
        Some(IpAddr::V4(ip)) => format!("{ip}:{host}:{container}"),
        Some(IpAddr::V6(ip)) => format!("[{ip}]:{host}:{container}"),
        None => format!("{host}:{container}"),
    }
}

fn vpn_ports(plan: &Plan, vpn: &VpnService) -> Vec<Value> {
    let mut ports = vec![format!("127.0.0.1:{}:{}", vpn.api_host_port, vpn.api_port)];
    let mut engine_ports = vpn.published_ports.clone();
    engine_ports.sort_unstable();
    engine_ports.dedup();
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for port in engine_ports {
        match runs.last_mut() {
            Some((_, end)) if *end as u32 + 1 == port as u32 => *end = port,
            _ => runs.push((port, port)),
        }
    }
    for (start, end) in runs {
        let run = match start == end {
            true => start.to_string(),
            false => format!("{start}-{end}"),
        };
        ports.push(published(plan.bind_ip, &run, &run));
    }
    ports.into_iter().map(Value::from).collect()
}

fn list(items: &[String]) -> Value {
    items.iter().map(|item| literal(item)).collect()
}

/// The document the plan means, written without the template.
fn expected_document(plan: &Plan, gluetun_image: &str) -> Value {
    let mut services = Map::new();
    for vpn in &plan.vpns {
        let environment: Map<String, Value> = vpn
            .environment
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    EnvValue::Literal(text) => literal(text),
                    EnvValue::Reference(key) => Value::from(format!("${{{key}}}")),
                    EnvValue::Interpolated(text) => Value::from(text.as_str()),
                };
                (key.clone(), value)
            })
            .collect();
        let mut service = json!({
            "image": literal(gluetun_image),
            "container_name": vpn.name,
            "cap_add": ["NET_ADMIN"],
            "devices": ["/dev/net/tun:/dev/net/tun"],
            "environment": environment,
            "ports": vpn_ports(plan, vpn),
            "restart": "unless-stopped",
        });
        if let Some(network) = &plan.network {
            service["networks"] = json!([network]);
        }
        services.insert(vpn.name.clone(), service);
    }
    for engine in &plan.engines {
        let labels: Map<String, Value> = engine
            .labels
            .iter()
            // Compose interpolates values, not keys: a key is written as is.
            .map(|(key, value)| (key.clone(), literal(value)))
            .collect();
        let mut service = json!({
            "image": literal(&plan.variant.image),
            "container_name": engine.name,
            "labels": labels,
            "restart": "unless-stopped",
        });
        if let Some(command) = &engine.command {
            service["command"] = list(command);
        }
        if let Some(args) = &engine.acestream_args {
            service["environment"] = json!({ "ACESTREAM_ARGS": literal(args) });
        }
        match &engine.vpn {
            Some(vpn) => {
                service["network_mode"] = Value::from(format!("service:{vpn}"));
                service["depends_on"] =
                    json!({ vpn: { "condition": "service_healthy", "restart": true } });
            }
            None => {
                let p = engine.ports;
                let mut ports = vec![published(
                    plan.bind_ip,
                    &p.http.to_string(),
                    &p.http.to_string(),
                )];
                if let Some(host) = p.https_host {
                    ports.push(published(
                        plan.bind_ip,
                        &host.to_string(),
                        &p.https.to_string(),
                    ));
                }
                service["ports"] = json!(ports);
                if let Some(network) = &plan.network {
                    service["networks"] = json!([network]);
                }
            }
        }
        if let Some(test) = &engine.healthcheck {
            service["healthcheck"] = json!({
                "test": list(test),
                "interval": "30s",
                "timeout": "10s",
                "retries": 3,
                "start_period": "60s",
            });
        }
        if crate::resolve::has_vpn_watchdog(engine) {
            service["init"] = Value::from(true);
        }
        if let Some(limit) = &plan.memory_limit {
            service["mem_limit"] = Value::from(limit.as_str());
        }
        if let Some(mount) = &plan.torrent_mount {
            let volume = format!("{}:{}:rw", mount.host_path, mount.container_path);
            service["volumes"] = json!([literal(&volume)]);
        }
        services.insert(engine.name.clone(), service);
    }
    let mut document = json!({ "services": services });
    if let Some(network) = &plan.network {
        document["networks"] = json!({ network: { "name": network } });
    }
    document
}

/// Parses like compose does in the respects that matter here: a key twice
/// in one mapping is an error (serde_yaml's `Value` refuses it), and so is
/// a key that YAML reads as anything but a string.
fn parsed(text: &str) -> Result<Value, String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    as_json(yaml)
}

fn as_json(yaml: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, value) in mapping {
                let Y::String(key) = key else {
                    return Err(format!("a key read as {key:?}, not a string"));
                };
                map.insert(key, as_json(value)?);
            }
            Value::Object(map)
        }
        Y::Sequence(items) => items.into_iter().map(as_json).collect::<Result<_, _>>()?,
        Y::Tagged(tagged) => return Err(format!("a tag {}", tagged.tag)),
        scalar => serde_json::to_value(scalar).map_err(|e| e.to_string())?,
    })
}

const GLUETUN_IMAGE: &str = "qmcgaw/gluetun:v3";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn proven_output_reads_back_as_the_plan_and_is_valid_compose(
        plan in plan(),
        provenance in provenance(),
    ) {
        let text = render::render(&plan, &provenance, GLUETUN_IMAGE, None).unwrap();
        if builtin_output_is_proven(&plan, &provenance) {
            let document = parsed(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(&document, &expected_document(&plan, GLUETUN_IMAGE), "{}", text);
            let errors: Vec<String> = render::compose_schema()
                .iter_errors(&document)
                .map(|e| format!("{}: {e}", e.instance_path().as_str()))
                .collect();
            prop_assert!(errors.is_empty(), "{:?}\n{}", errors, text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_direct_writer_equals_the_built_in_template(
        plan in plan(),
        provenance in provenance(),
    ) {
        let written = render::render(&plan, &provenance, GLUETUN_IMAGE, None).unwrap();
        let templated = render::render_builtin_template(&plan, &provenance, GLUETUN_IMAGE);
        prop_assert_eq!(written, templated);
    }
}

/// A plan every condition holds for: two engines behind one VPN.
fn valid_plan() -> Plan {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    loop {
        let plan = plan().new_tree(&mut runner).unwrap().current();
        let has_vpn_engine = plan.engines.iter().any(|e| e.vpn.is_some());
        if has_vpn_engine && builtin_output_is_proven(&plan, &Provenance::default()) {
            return plan;
        }
    }
}

#[test]
fn random_plans_are_mostly_proven_so_the_property_tests_something() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let proven = (0..1000)
        .filter(|_| {
            let plan = plan().new_tree(&mut runner).unwrap().current();
            let provenance = provenance().new_tree(&mut runner).unwrap().current();
            builtin_output_is_proven(&plan, &provenance)
        })
        .count();
    assert!((300..1000).contains(&proven), "{proven} of 1000 proven");
}

#[test]
fn a_line_break_in_a_header_input_is_escaped_so_the_output_stays_proven() {
    // The header quotes every user-supplied part (render::header): a path
    // or label holding a line break stays inside the comment, and the text
    // still reads back as exactly the plan.
    let plan = valid_plan();
    let hostile = Provenance {
        env_file: Some("x\nservices: 1 #".to_owned()),
        ..Provenance::default()
    };
    let mut plan = plan;
    plan.variant.label = "custom\u{2028}amd64".to_owned();
    assert!(builtin_output_is_proven(&plan, &hostile));
    let text = render::render(&plan, &hostile, GLUETUN_IMAGE, None).unwrap();
    assert!(
        !text.lines().any(|l| l.starts_with("services: 1")),
        "{text}"
    );
    let document = parsed(&text).unwrap();
    assert_eq!(document, expected_document(&plan, GLUETUN_IMAGE), "{text}");
}

#[test]
fn a_key_twice_or_an_empty_key_takes_the_full_check() {
    let mut plan = valid_plan();
    let engine = &mut plan.engines[0];
    engine.labels.push(("a.b".to_owned(), "1".to_owned()));
    engine.labels.push(("a.b".to_owned(), "2".to_owned()));
    assert!(!builtin_output_is_proven(&plan, &Provenance::default()));

    let mut plan = valid_plan();
    plan.engines[0]
        .labels
        .push(("\n".to_owned(), "1".to_owned()));
    assert!(!builtin_output_is_proven(&plan, &Provenance::default()));

    let mut plan = valid_plan();
    let twin = plan.engines[0].name.clone();
    plan.engines[1].name = twin;
    assert!(!builtin_output_is_proven(&plan, &Provenance::default()));
}

#[test]
fn names_the_schema_refuses_take_the_full_check() {
    let mut plan = valid_plan();
    plan.network = Some("my net".to_owned());
    assert!(!builtin_output_is_proven(&plan, &Provenance::default()));

    let mut plan = valid_plan();
    plan.engines[0].vpn = Some("no-such-vpn".to_owned());
    assert!(!builtin_output_is_proven(&plan, &Provenance::default()));
}

#[test]
fn ports_published_twice_take_the_full_check() {
    let mut plan = valid_plan();
    let vpn = &mut plan.vpns[0];
    vpn.published_ports.push(vpn.api_host_port);
    assert!(!builtin_output_is_proven(&plan, &Provenance::default()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A YAML 1.1 reader (`docker-compose` v1, PyYAML-based tools) finds a
    /// string wherever the compose file means one, whatever the plan holds.
    #[test]
    fn a_yaml_11_reader_finds_strings_where_strings_are_meant(
        plan in plan(),
        provenance in provenance(),
    ) {
        prop_assume!(builtin_output_is_proven(&plan, &provenance));
        let text = render::render(&plan, &provenance, GLUETUN_IMAGE, None).unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(
            crate::render::yaml11::scalars_read_as_strings(&text),
            crate::render::yaml11::strings_meant(&value),
            "{}",
            text
        );
    }
}
