//! W0404: a Gluetun control-server setting that acegen replaces is named
//! at its key, on the stacks and VPNs where it is replaced, and only there.

use crate::resolve::{resolve, ResolveOptions, Stack};
use crate::test_support::settings;

const VPN: &str = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=protonvpn\n";
const REDUNDANT: &str = "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\n\
    GLUETUN_CONTAINER_NAME_2=gluetun2\nVPN_SERVICE_PROVIDER=protonvpn\n";

/// The W0404 messages for `.env` text on `stack`, with the line each points at.
fn replaced(env_text: &str, stack: Stack) -> Vec<(String, u32)> {
    let options = ResolveOptions {
        stack,
        ..ResolveOptions::default()
    };
    let (_, problems) = resolve(&settings(env_text), None, &options);
    problems
        .into_iter()
        .filter(|p| p.code == "W0404")
        .map(|p| {
            let line = p
                .origin
                .as_ref()
                .and_then(|o| o.location())
                .and_then(|l| l.position)
                .map_or(0, |at| at.line);
            (p.message, line)
        })
        .collect()
}

#[test]
fn the_control_server_address_is_always_acegens_and_says_so_at_its_line() {
    let text = format!("{VPN}HTTP_CONTROL_SERVER_ADDRESS=:9999\n");
    for stack in [Stack::Engines, Stack::Orchestrator] {
        let found = replaced(&text, stack);
        assert_eq!(found.len(), 1, "{stack:?}: {found:?}");
        assert!(found[0]
            .0
            .starts_with("HTTP_CONTROL_SERVER_ADDRESS in .env is not passed to gluetun"));
        assert!(found[0].0.contains("GLUETUN_API_PORT"));
        assert_eq!(found[0].1, 3);
    }
}

#[test]
fn the_auth_file_is_replaced_on_the_orchestrators_stack_only() {
    let text = format!("{VPN}HTTP_CONTROL_SERVER_AUTH_CONFIG_FILEPATH=/mine.toml\n");
    // The engines stack writes no auth file: the user's path is passed.
    assert_eq!(replaced(&text, Stack::Engines), vec![]);
    let found = replaced(&text, Stack::Orchestrator);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.contains("the routes the orchestrator calls"));
}

#[test]
fn the_default_role_is_replaced_only_when_an_api_key_sets_it() {
    let text = format!("{VPN}HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE={{}}\n");
    assert_eq!(replaced(&text, Stack::Engines), vec![]);
    let with_key = format!("{text}GLUETUN_API_KEY=k3y\n");
    let found = replaced(&with_key, Stack::Engines);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.contains("GLUETUN_API_KEY"));
}

#[test]
fn each_key_is_named_once_with_the_vpns_that_read_it() {
    // Both VPNs read the key without `_2`: one warning naming both.
    let both = replaced(
        &format!("{REDUNDANT}HTTP_CONTROL_SERVER_ADDRESS=:1\n"),
        Stack::Engines,
    );
    assert_eq!(both.len(), 1, "{both:?}");
    assert!(
        both[0].0.contains("not passed to gluetun and gluetun2"),
        "{both:?}"
    );
    // With a `_2` key, VPN 2 reads that one: each warning names its own VPN.
    let split = replaced(
        &format!("{REDUNDANT}HTTP_CONTROL_SERVER_ADDRESS=:1\nHTTP_CONTROL_SERVER_ADDRESS_2=:2\n"),
        Stack::Engines,
    );
    assert_eq!(split.len(), 2, "{split:?}");
    assert!(split[0].0.contains("not passed to gluetun:"), "{split:?}");
    assert!(
        split[1]
            .0
            .starts_with("HTTP_CONTROL_SERVER_ADDRESS_2 in .env is not passed to gluetun2:"),
        "{split:?}"
    );
}

#[test]
fn other_gluetun_settings_draw_nothing() {
    assert_eq!(
        replaced(
            &format!("{VPN}HTTP_CONTROL_SERVER_LOG=off\n"),
            Stack::Engines
        ),
        vec![]
    );
}
