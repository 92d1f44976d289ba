//! Resolution (docs/development/spec.md §2): which variant, which VPN layout, and every engine's
//! image, command, ports and labels. The result, a [`Plan`], is all that
//! rendering and `explain` need.
//!
//! [`resolve`] settles what both stacks share (the variant, the warnings about
//! settings), then hands over to one of two composers, `engines_stack` and
//! `orchestrator_stack`, each built from the files named for what they decide.

mod clashes;
mod engines;
mod engines_stack;
mod error;
mod gluetun;
mod health;
mod image_pin;
mod labels;
mod options;
pub mod orchestrator;
mod orchestrator_stack;
mod plan;
pub mod ports;
mod published;
mod ranges;
mod replicas;
mod variant;
mod vpn;
mod vpn_intent;
mod warnings;

pub use error::ResolveError;
pub use health::{
    has_vpn_watchdog, jopsis_healthcheck, vpn_engine_healthcheck, VPN_NAMESPACE_WATCHDOG,
};
pub use options::ResolveOptions;
pub use plan::{
    ControlAuthFile, Engine, EnvValue, ForwardedPort, ForwardedSource, Launch, OrchestratorService,
    Plan, Stack, Variant, VariantRule, VpnLayout, VpnService,
};
pub use published::{MANY_PUBLISHED_PORTS, MANY_PUBLISHED_PORTS_CODE};

use crate::validate::custom_variant::CustomVariant;
use crate::validate::settings::Settings;

/// Resolves the settings and custom variant into a plan; returns the plan
/// when there is no error, and every problem (warnings included).
pub fn resolve(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    options: &ResolveOptions,
) -> (Option<Plan>, Vec<ResolveError>) {
    let mut problems = Vec::new();
    let custom = custom.filter(|c| c.enabled);
    let variant = variant::choose_variant(settings, custom);
    warnings::warn_about_unused_settings(settings, custom, &variant, &mut problems);
    warnings::warn_about_overridden_forwarded_ports(settings, options, &mut problems);
    image_pin::warn_about_a_moving_engine_image(settings, custom, &variant, &mut problems);
    let (plan, mut problems) = match options.stack {
        Stack::Orchestrator => {
            orchestrator_stack::resolve_stack(settings, custom, variant, options, problems)
        }
        Stack::Engines => {
            engines_stack::resolve_stack(settings, custom, variant, options, problems)
        }
    };
    if let Some(plan) = &plan {
        published::warn_about_many_published_ports(plan, &mut problems);
    }
    (plan, problems)
}
