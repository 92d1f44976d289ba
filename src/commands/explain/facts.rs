//! What both forms of the explanation report: what set the engine count,
//! which Gluetun settings a VPN reads by reference, and whether its control
//! server needs a key.

use crate::pipeline::Compilation;
use crate::resolve::{EnvValue, VpnService};
use crate::validate::settings::Origin;

/// The Gluetun settings a VPN service receives by reference: (key in the
/// container, `.env` key it reads; `KEY_2` for VPN 2 where `.env` has one).
pub fn referenced_keys(vpn: &VpnService) -> Vec<(&str, &str)> {
    vpn.environment
        .iter()
        .filter_map(|(key, value)| match value {
            EnvValue::Reference(source) => Some((key.as_str(), source.as_str())),
            _ => None,
        })
        .collect()
}

/// Does this VPN's control server require GLUETUN_API_KEY?
pub fn requires_api_key(vpn: &VpnService) -> bool {
    vpn.environment
        .iter()
        .any(|(key, _)| key == crate::keys::GLUETUN_CONTROL_DEFAULT_ROLE)
}

pub fn replicas_source(compilation: &Compilation, replicas: Option<u32>) -> String {
    match (
        replicas,
        &compilation.validated.settings.min_replicas.origin,
    ) {
        (Some(_), _) => "--replicas".to_owned(),
        (None, Origin::Default) => "the default of MIN_REPLICAS".to_owned(),
        (None, origin) => format!("MIN_REPLICAS at {}", origin.describe()),
    }
}
