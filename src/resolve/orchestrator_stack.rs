//! `--stack orchestrator` (SPEC 5): the orchestrator's own deployment — the
//! VPN services and an `orchestrator` service, no engines (the orchestrator
//! starts them at run time). Each VPN publishes exactly the host ports the
//! orchestrator will give the engines it starts behind that VPN.

use super::clashes::{self, ControlServer, EngineRanges};
use super::error::{any_error, ResolveError};
use super::gluetun::vpn_services;
use super::labels::check_label_key;
use super::options::ResolveOptions;
use super::orchestrator::{self, check_vpn_names, vpn_ranges};
use super::plan::{Plan, Stack, Variant, VpnLayout};
use super::ports::{NamedRange, RangeName};
use super::variant::memory_limit;
use super::vpn::vpn_names;
use super::warnings::{
    warn_about_no_network_without_a_vpn, warn_about_options_without_effect_on_the_orchestrator,
    warn_about_replaced_gluetun_settings,
};
use crate::validate::custom_variant::CustomVariant;
use crate::validate::settings::Settings;

/// Resolves the orchestrator's stack. `problems` already holds the
/// warnings about settings common to both shapes.
pub(super) fn resolve_stack(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    variant: Variant,
    options: &ResolveOptions,
    mut problems: Vec<ResolveError>,
) -> (Option<Plan>, Vec<ResolveError>) {
    warn_about_options_without_effect_on_the_orchestrator(options, &mut problems);
    let names = vpn_names(settings, &mut problems);
    check_label_key(settings, &mut problems);
    check_vpn_names(settings, names.as_deref(), &mut problems);
    let ranges = match &names {
        Some(names) => vpn_ranges(settings, names.len(), &mut problems),
        None => Some(Vec::new()),
    };
    let names = names.unwrap_or_default();
    let Some(ranges) = ranges else {
        return (None, problems);
    };
    let Some(vpns) = vpn_services(settings, options, &names, &ranges, &mut problems) else {
        return (None, problems);
    };
    warn_about_replaced_gluetun_settings(settings, &vpns, &mut problems);
    if vpns.is_empty() {
        warn_about_no_network_without_a_vpn(settings, &mut problems);
    }
    let bind_ip = settings.port_bind_ip.as_ref().map(|ip| ip.value);
    // Without a VPN the orchestrator publishes each engine's port itself
    // (on every interface: it does not know PORT_BIND_IP).
    let own_range = NamedRange {
        name: RangeName::PortRangeHost,
        range: settings.port_range_host.value,
    };
    let (engine_ranges, address) = match vpns.is_empty() {
        true => (vec![own_range], None),
        false => (ranges.clone(), bind_ip),
    };
    let engines = EngineRanges {
        ranges: &engine_ranges,
        address,
    };
    let controls: Vec<ControlServer> = vpns
        .iter()
        .map(|vpn| ControlServer {
            number: vpn.number,
            name: &vpn.name,
            host_port: vpn.api_host_port,
        })
        .collect();
    clashes::check(
        settings,
        Stack::Orchestrator,
        &engines,
        &controls,
        &mut problems,
    );
    if any_error(&problems) {
        return (None, problems);
    }
    let orchestrator = orchestrator::service(
        settings,
        options,
        &names,
        vpns.is_empty().then_some(own_range.range),
    );
    let plan = Plan {
        stack: Stack::Orchestrator,
        vpn_layout: VpnLayout::of_count(names.len()),
        memory_limit: memory_limit(settings, custom),
        torrent_mount: custom.and_then(|c| c.torrent_mount.clone()),
        variant,
        vpns,
        engines: Vec::new(),
        network: settings.docker_network.as_ref().map(|n| n.value.clone()),
        bind_ip,
        orchestrator: Some(orchestrator),
    };
    (Some(plan), problems)
}

#[cfg(test)]
mod tests;
