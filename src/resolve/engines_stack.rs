//! `--stack engines`: the engines as services, each with its own ports,
//! behind zero, one or two VPN services. Composes the shared parts: engine
//! count, VPN layout, clash check, port allocation, then the services.

use super::clashes::{self, ControlServer, EngineRanges};
use super::engines::build_engine;
use super::error::{any_error, ResolveError};
use super::gluetun::build_vpns;
use super::labels::check_label_key;
use super::options::ResolveOptions;
use super::plan::{ForwardedPort, Plan, Stack, Variant, VpnLayout};
use super::ports::{self, Layout};
use super::ranges::{engine_http_ranges, engines_to_reserve, port_error, port_request};
use super::replicas::engine_count;
use super::variant::{check_custom_port_parameter, memory_limit};
use super::vpn::{forwarded_port, own_stacks_layout, vpn_layout, vpn_names};
use super::warnings::{
    warn_about_orchestrator_settings_with_engines, warn_about_replaced_gluetun_settings,
};
use crate::validate::custom_variant::CustomVariant;
use crate::validate::settings::Settings;

/// Resolves the engines stack. `problems` already holds the warnings about
/// settings common to both stacks.
pub(super) fn resolve_stack(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    variant: Variant,
    options: &ResolveOptions,
    mut problems: Vec<ResolveError>,
) -> (Option<Plan>, Vec<ResolveError>) {
    warn_about_orchestrator_settings_with_engines(settings, &mut problems);
    let count = engine_count(settings, options, &mut problems);
    let vpn_names = vpn_names(settings, &mut problems);
    check_custom_port_parameter(custom, &vpn_names, &mut problems);
    check_label_key(settings, &mut problems);
    let forwarded: Vec<Option<ForwardedPort>> = (0..vpn_names.as_ref().map_or(0, Vec::len))
        .map(|v| forwarded_port(settings, options, v))
        .collect();
    let layout = match &vpn_names {
        Some(names) => vpn_layout(settings, names, &forwarded, &mut problems),
        None => Some(own_stacks_layout(settings)),
    };
    let (Some(count), Some(layout)) = (count, layout) else {
        return (None, problems);
    };
    if any_error(&problems) {
        return (None, problems);
    }
    let request = port_request(settings, count, layout);
    let reserve_up_to = engines_to_reserve(settings, &request);
    let engine_ranges = engine_http_ranges(&request.layout);
    let bind_ip = settings.port_bind_ip.as_ref().map(|ip| ip.value);
    let api_controls = control_servers(&request.layout, vpn_names.as_deref());
    clashes::check(
        settings,
        Stack::Engines,
        &EngineRanges {
            ranges: &engine_ranges,
            address: bind_ip,
        },
        &api_controls,
        &mut problems,
    );
    if any_error(&problems) {
        return (None, problems);
    }
    let allocation = match ports::allocate_reserving(&request, reserve_up_to) {
        Ok(allocation) => allocation,
        Err(error) => {
            problems.push(port_error(settings, &error));
            return (None, problems);
        }
    };
    let vpn_names = vpn_names.unwrap_or_default();
    let engines = allocation[..count]
        .iter()
        .enumerate()
        .map(|(i, ports)| build_engine(settings, &variant, &vpn_names, i + 1, *ports))
        .collect::<Vec<_>>();
    let vpns = build_vpns(
        settings,
        &request.layout,
        &vpn_names,
        &allocation,
        forwarded,
    );
    warn_about_replaced_gluetun_settings(settings, &vpns, &mut problems);
    let plan = Plan {
        stack: Stack::Engines,
        orchestrator: None,
        memory_limit: memory_limit(settings, custom),
        vpn_layout: VpnLayout::of_count(vpn_names.len()),
        variant,
        vpns,
        engines,
        network: settings.docker_network.as_ref().map(|n| n.value.clone()),
        bind_ip,
        torrent_mount: custom.and_then(|c| c.torrent_mount.clone()),
    };
    (Some(plan), problems)
}

/// The VPN control servers of a layout, for the host-port clash check
/// (which runs before allocation).
fn control_servers<'a>(layout: &Layout, names: Option<&'a [String]>) -> Vec<ControlServer<'a>> {
    let (Layout::Vpn(stacks), Some(names)) = (layout, names) else {
        return Vec::new();
    };
    stacks
        .iter()
        .zip(names)
        .enumerate()
        .map(|(v, (stack, name))| ControlServer {
            number: v + 1,
            name,
            host_port: stack.api_host_port,
        })
        .collect()
}

#[cfg(test)]
mod tests;
