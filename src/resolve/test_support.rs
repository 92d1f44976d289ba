//! The one "resolve and assert no errors" helper of resolve's tests.

use super::{resolve, Plan, ResolveOptions};
use crate::diagnostic::Severity;
use crate::validate::custom_variant::CustomVariant;
use crate::validate::settings::Settings;

/// The plan of a configuration that resolves without an error.
pub(super) fn resolved(
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
    plan.unwrap()
}
