//! How many engines the engines stack holds: MIN_REPLICAS or `--replicas`,
//! bounded by MAX_REPLICAS.

use super::error::ResolveError;
use super::options::ResolveOptions;
use crate::validate::settings::{Origin, Settings};

/// The number of engines to generate; `None` when it cannot be.
pub(super) fn engine_count(
    settings: &Settings,
    options: &ResolveOptions,
    problems: &mut Vec<ResolveError>,
) -> Option<usize> {
    let (count, origin) = match options.replicas {
        Some(n) => (n, Origin::CommandLine),
        None => (
            settings.min_replicas.value,
            settings.min_replicas.origin.clone(),
        ),
    };
    let max = &settings.max_replicas;
    if count == 0 {
        // Valid (MIN_REPLICAS ≤ MAX_REPLICAS holds): the orchestrator's
        // autoscaler adds engines later, behind the VPNs generated here.
        let what = if settings.gluetun_container_name.is_some() {
            "the file holds only the VPN services, for the orchestrator to add engines to"
        } else {
            "the file has no services"
        };
        problems.push(
            ResolveError::warning(
                "W0403",
                format!("0 engines asked for: {what}"),
                Some(&origin),
            )
            .hint("set MIN_REPLICAS (or --replicas) to the number of engines to generate"),
        );
        return Some(0);
    }
    if max.value > 0 && count > max.value {
        // MIN_REPLICAS above MAX_REPLICAS (from .env or --set) is validation's E0202
        // already: report the problem once. Only --replicas is new here.
        if options.replicas.is_some() {
            // The message names where MAX_REPLICAS came from; the location, when it has
            // one, points at MAX_REPLICAS in .env (the value to raise).
            let located = max.origin.location().map(|_| &max.origin);
            problems.push(
                ResolveError::new(
                    "E0401",
                    format!(
                        "{count} engines asked for (--replicas), but MAX_REPLICAS is {} ({})",
                        max.value,
                        max_replicas_source(&max.origin)
                    ),
                    located,
                )
                .hint(format!("raise MAX_REPLICAS to at least {count}")),
            );
        }
        return None;
    }
    Some(count as usize)
}

/// Where MAX_REPLICAS came from, for a message: `default`, `.env:4`, `--set`.
fn max_replicas_source(origin: &Origin) -> String {
    match origin {
        Origin::Default => "the default".to_owned(),
        Origin::CommandLine => "from --set".to_owned(),
        Origin::EnvFile { .. } => format!("from {}", origin.describe()),
    }
}
