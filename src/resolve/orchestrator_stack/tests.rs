//! `--stack orchestrator`, host-port clashes and the engines-shape warning.

use crate::diagnostic::Severity;
use crate::resolve::{resolve, EnvValue, Plan, ResolveError, ResolveOptions, Stack};
use crate::test_support::{resolved, settings_with};
use crate::validate::settings::Override;

fn options(stack: Stack) -> ResolveOptions {
    ResolveOptions {
        stack,
        env_file: Some(".env".to_owned()),
        ..Default::default()
    }
}

fn run(env_text: &str, stack: Stack) -> (Option<Plan>, Vec<ResolveError>) {
    resolve(&settings_with(env_text, &[]), None, &options(stack))
}

fn stack(env_text: &str) -> Plan {
    resolved(
        &settings_with(env_text, &[]),
        None,
        &options(Stack::Orchestrator),
    )
}

fn codes(problems: &[ResolveError]) -> Vec<&str> {
    problems.iter().map(|p| p.code).collect()
}

fn published(plan: &Plan, v: usize) -> (u16, u16, usize) {
    let ports = &plan.vpns[v].published_ports;
    (ports[0], *ports.last().unwrap(), ports.len())
}

const SINGLE: &str = "GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_API_PORT=8001\n";

#[test]
fn the_orchestrators_stack_has_the_vpns_and_the_orchestrator_but_no_engines() {
    let plan = stack(&format!(
        "{SINGLE}DOCKER_NETWORK=aceserver\nMIN_REPLICAS=3\n"
    ));
    assert!(plan.engines.is_empty());
    assert_eq!(plan.vpns.len(), 1);
    let o = plan.orchestrator.unwrap();
    assert_eq!(o.image, "ghcr.io/krinkuto11/acestream-orchestrator:v1.0.0");
    assert_eq!((o.app_port, o.container_port), (8000, 8000));
    assert_eq!(o.env_file, ".env");
    assert_eq!(o.depends_on, ["gluetun"]);
    assert_eq!(o.min_replicas, 3);
    assert_eq!(plan.network.as_deref(), Some("aceserver"));
}

#[test]
fn a_single_vpn_without_its_range_publishes_19000_plus_max_replicas() {
    // The orchestrator's own numbering, whatever PORT_RANGE_HOST says.
    let (plan, problems) = run(
        &format!("{SINGLE}MAX_REPLICAS=50\nPORT_RANGE_HOST=20000-20999\n"),
        Stack::Orchestrator,
    );
    assert_eq!(published(&plan.unwrap(), 0), (19000, 19049, 50));
    assert_eq!(codes(&problems), ["W0420"]);
}

#[test]
fn per_vpn_ranges_are_published_whole() {
    let plan = stack(&format!("{SINGLE}GLUETUN_PORT_RANGE_1=19000-19499\n"));
    assert_eq!(published(&plan, 0), (19000, 19499, 500));
    let plan = stack(
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\n\
         GLUETUN_API_PORT=8001\nGLUETUN_PORT_RANGE_1=19000-19499\nGLUETUN_PORT_RANGE_2=19500-19999\n",
    );
    assert_eq!(published(&plan, 0), (19000, 19499, 500));
    assert_eq!(published(&plan, 1), (19500, 19999, 500));
    assert_eq!(plan.vpns[1].api_host_port, 8002);
    assert_eq!(
        plan.orchestrator.unwrap().depends_on,
        ["gluetun", "gluetun2"]
    );
}

#[test]
fn redundant_mode_without_both_ranges_is_refused_with_a_hint() {
    for ranges in ["", "GLUETUN_PORT_RANGE_1=19000-19499\n"] {
        let (plan, problems) = run(
            &format!(
                "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=a1\nGLUETUN_CONTAINER_NAME_2=b2\n\
                 GLUETUN_API_PORT=8001\n{ranges}"
            ),
            Stack::Orchestrator,
        );
        assert!(plan.is_none());
        let error = problems.iter().find(|p| p.code == "E0421").unwrap();
        assert!(error
            .hint
            .as_deref()
            .unwrap()
            .contains("GLUETUN_PORT_RANGE_2="));
    }
}

#[test]
fn without_a_vpn_the_orchestrator_needs_a_network_shared_with_its_engines() {
    let (_, problems) = run("", Stack::Orchestrator);
    assert_eq!(codes(&problems), ["W0423"]);
    let (_, problems) = run("DOCKER_NETWORK=aceserver\n", Stack::Orchestrator);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn without_a_vpn_the_stack_is_the_orchestrator_alone() {
    let plan = stack("PORT_RANGE_HOST=20000-20099\n");
    assert!(plan.vpns.is_empty() && plan.engines.is_empty());
    let o = plan.orchestrator.unwrap();
    assert!(o.depends_on.is_empty());
    assert_eq!(o.own_engine_ports.unwrap().to_string(), "20000-20099");
}

#[test]
fn a_vpn_cannot_be_named_orchestrator() {
    let (plan, problems) = run("GLUETUN_CONTAINER_NAME=orchestrator\n", Stack::Orchestrator);
    assert!(plan.is_none());
    assert!(codes(&problems).contains(&"E0422"));
}

#[test]
fn set_values_reach_the_orchestrator_but_acegens_own_keys_do_not() {
    let overrides = [
        Override {
            key: "MAX_REPLICAS".to_owned(),
            value: "20".to_owned(),
        },
        Override {
            key: "GLUETUN_IMAGE".to_owned(),
            value: "qmcgaw/gluetun:v3.40".to_owned(),
        },
    ];
    let settings = settings_with(SINGLE, &overrides);
    let (plan, _) = resolve(&settings, None, &options(Stack::Orchestrator));
    let environment = plan.unwrap().orchestrator.unwrap().environment;
    assert_eq!(
        environment,
        [(
            "MAX_REPLICAS".to_owned(),
            EnvValue::Literal("20".to_owned())
        )]
    );
}

#[test]
fn app_port_and_the_gluetun_control_port_cannot_share_a_host_port() {
    // The orchestrator's own .env with a VPN: both on 8000.
    for stack in [Stack::Orchestrator, Stack::Engines] {
        let (plan, problems) = run("APP_PORT=8000\nGLUETUN_CONTAINER_NAME=gluetun\n", stack);
        assert!(plan.is_none(), "{stack:?}");
        let error = problems.iter().find(|p| p.code == "E0420").unwrap();
        let who = match stack {
            Stack::Engines => "the orchestrator beside the engines",
            Stack::Orchestrator => "the orchestrator",
        };
        assert_eq!(
            error.message,
            format!("host port 8000 on 127.0.0.1 is published twice: APP_PORT 8000 ({who}) at .env:1 and GLUETUN_API_PORT 8000 (gluetun's control server) by default")
        );
        let line = error
            .to_diagnostic()
            .location
            .unwrap()
            .position
            .unwrap()
            .line;
        assert_eq!(line, 1);
    }
}

#[test]
fn app_port_counts_for_engines_only_when_the_env_sets_it() {
    let (plan, problems) = run("GLUETUN_CONTAINER_NAME=gluetun\n", Stack::Engines);
    assert!(plan.is_some(), "{problems:?}");
    // The orchestrator's stack always publishes APP_PORT (default 8000).
    let (plan, problems) = run("GLUETUN_CONTAINER_NAME=gluetun\n", Stack::Orchestrator);
    assert!(plan.is_none());
    assert!(codes(&problems).contains(&"E0420"));
}

#[test]
fn an_engine_range_cannot_hold_app_port() {
    let (plan, problems) = run("APP_PORT=19005\n", Stack::Engines);
    assert!(plan.is_none());
    let error = problems.iter().find(|p| p.code == "E0420").unwrap();
    assert!(
        error.message.contains("APP_PORT 19005")
            && error
                .message
                .contains("PORT_RANGE_HOST 19000-19999 (engine HTTP ports) by default"),
        "{}",
        error.message
    );
    // Another address does not clash: the engines bind only 127.0.0.1 ...
    // but the orchestrator's APP_PORT (engines shape) binds every interface.
    let (plan, _) = run("APP_PORT=19005\nPORT_BIND_IP=127.0.0.1\n", Stack::Engines);
    assert!(plan.is_none());
}

#[test]
fn a_control_port_inside_a_published_range_is_a_clash_in_the_orchestrators_stack() {
    let env = "GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_API_PORT=19010\nAPP_PORT=8000\nGLUETUN_PORT_RANGE_1=19000-19499\n";
    let (plan, problems) = run(env, Stack::Orchestrator);
    assert!(plan.is_none());
    assert!(codes(&problems).contains(&"E0420"));
    // The engines shape keeps its engines off the control port instead.
    let (plan, problems) = run(env, Stack::Engines);
    assert!(plan.is_some(), "{problems:?}");
}

#[test]
fn engines_on_the_label_of_an_orchestrator_this_env_configures_draw_a_warning() {
    let (_, problems) = run("IDLE_TTL_S=600\n", Stack::Engines);
    let warning = problems.iter().find(|p| p.code == "W0422").unwrap();
    assert!(warning.message.contains("(CONTAINER_LABEL)"));
    assert!(warning.message.contains("(IDLE_TTL_S)"));
    assert_eq!(warning.severity, Severity::Warning);
    // Not with a label of acegen's own, nor without orchestrator keys,
    // nor in the orchestrator's own stack.
    let own_label = [Override {
        key: "CONTAINER_LABEL".to_owned(),
        value: "acegen.engines=static".to_owned(),
    }];
    let (_, problems) = resolve(
        &settings_with("IDLE_TTL_S=600\n", &own_label),
        None,
        &options(Stack::Engines),
    );
    assert!(!codes(&problems).contains(&"W0422"));
    assert!(!codes(&run("MIN_REPLICAS=3\n", Stack::Engines).1).contains(&"W0422"));
    assert!(!codes(&run("IDLE_TTL_S=600\n", Stack::Orchestrator).1).contains(&"W0422"));
}

#[test]
fn orchestrator_image_is_used_only_by_the_orchestrators_stack() {
    let env = "ORCHESTRATOR_IMAGE=registry.example/orchestrator:v1.1\n";
    let (plan, problems) = run(env, Stack::Orchestrator);
    assert_eq!(
        plan.unwrap().orchestrator.unwrap().image,
        "registry.example/orchestrator:v1.1"
    );
    assert!(!codes(&problems).contains(&"W0401"));
    let (_, problems) = run(env, Stack::Engines);
    assert!(problems
        .iter()
        .any(|p| p.code == "W0401" && p.message.starts_with("ORCHESTRATOR_IMAGE")));
}

/// The environment value of `key` in VPN `v`'s service.
fn vpn_env<'p>(plan: &'p Plan, v: usize, key: &str) -> Option<&'p EnvValue> {
    plan.vpns[v]
        .environment
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, value)| value)
}

#[test]
fn each_vpn_opens_exactly_the_routes_the_orchestrator_calls_without_a_key() {
    // Gluetun 3.41 keeps every route closed once a file role exists; the
    // orchestrator sends no key, so these three must be open, and no more.
    let plan = stack(
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\n\
         GLUETUN_PORT_RANGE_1=19000-19099\nGLUETUN_PORT_RANGE_2=19100-19199\nGLUETUN_API_PORT=8001\n\
         HTTP_CONTROL_SERVER_AUTH_CONFIG_FILEPATH=/elsewhere.toml\n",
    );
    for v in 0..2 {
        let file = plan.vpns[v]
            .control_auth_file
            .as_ref()
            .expect("an auth file");
        assert_eq!(file.path, "/gluetun-control-auth.toml");
        assert_eq!(
            file.content,
            "[[roles]]\nname = \"orchestrator\"\nauth = \"none\"\n\
             routes = [\"GET /v1/portforward\", \"GET /v1/openvpn/portforwarded\", \"GET /v1/publicip/ip\"]\n"
        );
        // Gluetun reads the file acegen places, whatever `.env` says.
        let paths: Vec<_> = plan.vpns[v]
            .environment
            .iter()
            .filter(|(k, _)| k == "HTTP_CONTROL_SERVER_AUTH_CONFIG_FILEPATH")
            .collect();
        assert_eq!(paths.len(), 1);
        assert_eq!(
            paths[0].1,
            EnvValue::Literal("/gluetun-control-auth.toml".into())
        );
        // Without GLUETUN_API_KEY, no default role: every other route stays closed.
        assert_eq!(
            vpn_env(&plan, v, "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE"),
            None
        );
    }
}

#[test]
fn with_an_api_key_the_other_routes_take_the_key_and_the_orchestrators_stay_open() {
    let plan = stack(&format!("{SINGLE}GLUETUN_API_KEY=k3y\n"));
    assert!(plan.vpns[0].control_auth_file.is_some());
    assert_eq!(
        vpn_env(&plan, 0, "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE"),
        Some(&EnvValue::Interpolated(
            r#"{"auth":"apikey","apikey":"${GLUETUN_API_KEY}"}"#.into()
        ))
    );
}

#[test]
fn the_engines_stack_writes_no_auth_file() {
    // Nothing in it calls the control server; `--forwarded-port-from`
    // sends GLUETUN_API_KEY, and Gluetun 3.41.1's public role opens the
    // port-forward routes when no role is configured.
    let settings = settings_with(SINGLE, &[]);
    let plan = resolved(&settings, None, &options(Stack::Engines));
    assert!(plan.vpns.iter().all(|vpn| vpn.control_auth_file.is_none()));
    assert_eq!(
        vpn_env(&plan, 0, "HTTP_CONTROL_SERVER_AUTH_CONFIG_FILEPATH"),
        None
    );
}
