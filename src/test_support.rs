//! Helpers shared by the unit tests of every stage: settings from `.env`
//! text, and a plan resolved or compiled with a check that nothing in the
//! way was an error, so a test fails at the first unexpected error.

use crate::diagnostic::Severity;
use crate::load::Inputs;
use crate::pipeline::{compile_inputs, Request};
use crate::resolve::{resolve, Plan, ResolveOptions};
use crate::validate::custom_variant::CustomVariant;
use crate::validate::settings::{read_settings, Override, Settings};
use camino::Utf8Path;

/// The settings a clean `.env` text gives, asserting reading it has no error.
pub(crate) fn settings(env_text: &str) -> Settings {
    settings_with(env_text, &[])
}

/// The settings a clean `.env` text and `--set` overrides give, asserting
/// that neither has an error.
pub(crate) fn settings_with(env_text: &str, overrides: &[Override]) -> Settings {
    let env = crate::load::dotenv::parse(env_text, &|_| None);
    assert!(env.errors.is_empty(), "{:?}", env.errors);
    let (settings, errors) = read_settings(&env, Utf8Path::new(".env"), overrides);
    assert!(errors.is_empty(), "{errors:?}");
    settings
}

/// The plan `settings` resolve to, asserting resolution reports no error
/// (warnings are allowed).
pub(crate) fn resolved(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    options: &ResolveOptions,
) -> Plan {
    let (plan, problems) = resolve(settings, custom, options);
    let errors: Vec<_> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    plan.expect("a resolution without errors has a plan")
}

/// The plan the whole pipeline makes of in-memory `inputs` (see
/// [`Inputs::from_text`]), asserting no diagnostic is an error.
pub(crate) fn plan_for(inputs: Inputs, request: &Request) -> Plan {
    let compilation = compile_inputs(inputs, request);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    compilation
        .plan
        .expect("a compilation without errors has a plan")
}
