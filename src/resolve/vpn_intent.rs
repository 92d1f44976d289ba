//! E0430: Gluetun's VPN settings are in `.env` but no VPN is named, so the
//! engines would run without the VPN the user configured — published on
//! the host, with nothing said. The worst kind of mistake: what runs
//! differs from what the user believes runs.

use super::error::ResolveError;
use crate::keys;
use crate::validate::settings::{Origin, Settings};

/// Called when no VPN is named: refuses the configuration when `.env`
/// configures a VPN connection anyway. A GLUETUN_CONTAINER_NAME that failed
/// its own check (E0201) is not reported again.
pub(super) fn vpn_settings_without_a_name(settings: &Settings, problems: &mut Vec<ResolveError>) {
    let Some(first) = settings.vpn_connection_keys.first() else {
        return;
    };
    let name = settings.raw.get(keys::GLUETUN_CONTAINER_NAME);
    let why = match name.and_then(|raw| raw.text.as_deref().map(|t| (t, &raw.origin))) {
        Some((text, _)) if !text.is_empty() => return,
        Some((_, Origin::CommandLine)) => "is empty (--set GLUETUN_CONTAINER_NAME=)".to_owned(),
        Some((_, origin)) => format!("is empty ({})", origin.describe()),
        None => "is not set".to_owned(),
    };
    let (others, verb) = match settings.vpn_connection_keys.len() - 1 {
        0 => (String::new(), "configures"),
        1 => (" and 1 other Gluetun setting".to_owned(), "configure"),
        n => (format!(" and {n} other Gluetun settings"), "configure"),
    };
    problems.push(
        ResolveError::new(
            "E0430",
            format!(
                "{}{others} {verb} a Gluetun VPN, but GLUETUN_CONTAINER_NAME {why}: the engines would run without the VPN, their ports published on the host",
                first.value
            ),
            Some(&first.origin),
        )
        .hint("set GLUETUN_CONTAINER_NAME=gluetun (or uncomment it) to run the engines behind the VPN; to run without a VPN, remove or comment out the Gluetun settings"),
    );
}

#[cfg(test)]
mod tests {
    use crate::resolve::{resolve, ResolveOptions, Stack};
    use crate::test_support::{settings, settings_with};
    use crate::validate::settings::Override;

    fn codes(settings: &crate::validate::settings::Settings, stack: Stack) -> Vec<&'static str> {
        let options = ResolveOptions {
            stack,
            ..ResolveOptions::default()
        };
        let (_, problems) = resolve(settings, None, &options);
        problems.iter().map(|p| p.code).collect()
    }

    #[test]
    fn vpn_settings_without_a_name_are_an_error_on_both_stacks() {
        let s = settings("VPN_SERVICE_PROVIDER=protonvpn\nVPN_TYPE=wireguard\nWIREGUARD_PRIVATE_KEY=s3cret-value\n");
        for stack in [Stack::Engines, Stack::Orchestrator] {
            assert!(codes(&s, stack).contains(&"E0430"), "{stack:?}");
        }
        let (_, problems) = resolve(&s, None, &ResolveOptions::default());
        let error = problems.iter().find(|p| p.code == "E0430").unwrap();
        assert!(error
            .message
            .starts_with("VPN_SERVICE_PROVIDER and 2 other Gluetun settings"));
        assert!(error.message.contains("GLUETUN_CONTAINER_NAME is not set"));
        assert!(
            !error.message.contains("s3cret") && !error.hint.as_ref().unwrap().contains("s3cret")
        );
    }

    #[test]
    fn an_emptied_name_is_an_error_too() {
        let commented = settings("# GLUETUN_CONTAINER_NAME=gluetun\nSERVER_COUNTRIES=Spain\n");
        assert!(codes(&commented, Stack::Engines).contains(&"E0430"));
        let emptied = settings_with(
            "GLUETUN_CONTAINER_NAME=gluetun\nVPN_TYPE=wireguard\n",
            &[Override {
                key: "GLUETUN_CONTAINER_NAME".into(),
                value: String::new(),
            }],
        );
        let (_, problems) = resolve(&emptied, None, &ResolveOptions::default());
        let error = problems.iter().find(|p| p.code == "E0430").expect("E0430");
        assert!(
            error.message.contains("--set GLUETUN_CONTAINER_NAME="),
            "{}",
            error.message
        );
    }

    #[test]
    fn settings_that_do_not_configure_a_vpn_pass() {
        for text in [
            "TZ=Europe/Madrid\nPUID=1000\n",
            "WIREGUARD_PRIVATE_KEY=\nVPN_TYPE=\n",
            "VPN_MODE=single\nVPN_RESTART_ENGINES_ON_RECONNECT=true\n",
            "GLUETUN_CONTAINER_NAME=gluetun\nVPN_TYPE=wireguard\n",
        ] {
            assert!(
                !codes(&settings(text), Stack::Engines).contains(&"E0430"),
                "{text}"
            );
        }
    }
}
