//! The orchestrator's own stack (`--stack orchestrator`): what its template
//! receives beyond the VPN services, and its header line.

use super::header::shell_word;
use super::{compose_literal, environment_view, published, KeyValue};
use crate::resolve::{Plan, VpnLayout};
use serde::Serialize;

pub const TEMPLATE: &str = include_str!("../../../templates/orchestrator-stack.yml.j2");
pub const TEMPLATE_NAME: &str = "orchestrator-stack.yml.j2";

#[derive(Serialize)]
pub(super) struct OrchestratorView {
    name: String,
    image: String,
    env_file: String,
    environment: Vec<KeyValue>,
    ports: Vec<String>,
    depends_on: Vec<String>,
}

pub(super) fn view(plan: &Plan) -> Option<OrchestratorView> {
    let service = plan.orchestrator.as_ref()?;
    Some(OrchestratorView {
        name: crate::resolve::orchestrator::SERVICE_NAME.to_owned(),
        image: compose_literal(&service.image),
        env_file: compose_literal(&service.env_file),
        environment: environment_view(&service.environment),
        ports: vec![published(
            plan.bind_ip,
            &service.app_port.to_string(),
            &service.container_port.to_string(),
        )],
        depends_on: service.depends_on.clone(),
    })
}

/// The header's last line: what this stack is. Names a user chose go
/// through [`shell_word`], like every user-supplied part of the header.
pub(super) fn header_summary(plan: &Plan) -> Option<String> {
    let service = plan.orchestrator.as_ref()?;
    let names: Vec<String> = plan.vpns.iter().map(|v| shell_word(&v.name)).collect();
    let vpn = match plan.vpn_layout {
        VpnLayout::None => "with no VPN".to_owned(),
        VpnLayout::Single => format!("behind one VPN ({})", names.join(", ")),
        VpnLayout::Redundant => format!("behind two VPNs ({})", names.join(", ")),
    };
    Some(format!(
        "The orchestrator's own stack: it starts {} engine{} of variant {} itself, {vpn}.",
        service.min_replicas,
        if service.min_replicas == 1 { "" } else { "s" },
        shell_word(&plan.variant.label)
    ))
}
