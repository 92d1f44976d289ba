//! Which rendered text must be parsed back before it is written.
//!
//! Output from a `--template` is always parsed back and checked against the
//! full Compose Specification ([`super::check_rendered`]): acegen knows
//! nothing about its text. The built-in template is different, and parsing
//! its output back was half the time of a 1000-engine run. Its text is
//! valid compose with exactly the plan's values by construction:
//!
//! - its literal text is a fixed compose skeleton, one service per VPN and
//!   engine of the plan (it loops over all of them);
//! - every interpolated value goes through `q` (a YAML double-quoted
//!   scalar that reads back as the same string, `yaml::quote`) and every
//!   mapping key through `key` (plain only where YAML reads it back as the
//!   same string, `yaml::key`); the one exception is the header comment;
//! - so what is left to hold are the conditions [`builtin_output_is_proven`]
//!   checks on the plan: header text that cannot leave its comment, names
//!   the schema's patterns accept, distinct non-empty keys, distinct ports,
//!   and no empty list or mapping the template would drop or write as null.
//!
//! When one of them fails, the text takes the full check like a custom
//! template's. The tests render thousands of random plans, parse the text
//! back and assert it equals the plan's data and satisfies the full schema
//! wherever this module calls the output proven.

use super::Provenance;
use crate::render::yaml;
use crate::resolve::Plan;
use std::collections::HashSet;

/// Whether the built-in template's output for `plan` is valid compose
/// carrying exactly the plan's values without being parsed back.
pub fn builtin_output_is_proven(plan: &Plan, provenance: &Provenance) -> bool {
    // Only the engines' template is written by the proven writer.
    plan.stack == crate::resolve::Stack::Engines
        && header_stays_a_comment(plan, provenance)
        && names_match_the_schema(plan)
        && keys_are_distinct_and_non_empty(plan)
        && ports_are_distinct(plan)
        && nothing_reads_as_absent(plan)
}

/// The header's lines (every user-supplied part quoted by
/// `header::shell_word`) hold no line break, which would end the comment,
/// nor a character YAML forbids unescaped.
fn header_stays_a_comment(plan: &Plan, provenance: &Provenance) -> bool {
    super::header::header_lines(plan, provenance)
        .iter()
        .flat_map(|line| line.chars())
        .all(|c| c == '\t' || !yaml::needs_escape(c))
}

/// Service and network names: the schema's key pattern `^[a-zA-Z0-9._-]+$`,
/// and a container name's `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
fn is_compose_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn names_match_the_schema(plan: &Plan) -> bool {
    let services = plan.vpns.iter().map(|vpn| &vpn.name);
    let engines = plan.engines.iter().map(|engine| &engine.name);
    services
        .chain(engines)
        .chain(&plan.network)
        .all(|name| is_compose_name(name))
        && plan
            .engines
            .iter()
            .filter_map(|engine| engine.vpn.as_ref())
            .all(|vpn| plan.vpns.iter().any(|v| &v.name == vpn))
}

/// True when no two items are equal. Small lists (a service's labels) are
/// compared pairwise; that is cheaper than hashing them.
fn all_distinct<T: PartialEq>(items: &[T]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(i, item)| !items[i + 1..].contains(item))
}

/// Compose refuses a mapping with a key twice, and the schema an empty key
/// (`.+` matches no empty key, nor one of only line breaks).
fn keys_are_distinct_and_non_empty(plan: &Plan) -> bool {
    let usable = |key: &str| key.chars().any(|c| c != '\n' && c != '\r');
    let mut services = HashSet::with_capacity(plan.vpns.len() + plan.engines.len());
    let names_distinct = plan
        .vpns
        .iter()
        .map(|vpn| vpn.name.as_str())
        .chain(plan.engines.iter().map(|engine| engine.name.as_str()))
        .all(|name| services.insert(name));
    let vpn_keys = plan.vpns.iter().all(|vpn| {
        let keys: Vec<&str> = vpn.environment.iter().map(|(k, _)| k.as_str()).collect();
        keys.iter().all(|k| usable(k)) && all_distinct(&keys)
    });
    let label_keys = plan.engines.iter().all(|engine| {
        let keys: Vec<&str> = engine.labels.iter().map(|(k, _)| k.as_str()).collect();
        keys.iter().all(|k| usable(k)) && all_distinct(&keys)
    });
    names_distinct && vpn_keys && label_keys
}

/// The schema wants each service's published ports distinct.
fn ports_are_distinct(plan: &Plan) -> bool {
    let engines = plan.engines.iter().all(|engine| {
        let ports = engine.ports;
        ports.https_host.is_none_or(|https| https != ports.http)
    });
    // A VPN's engine ports are written as runs of the sorted, deduplicated
    // list; only the control server's port can meet one of them.
    let vpns = plan
        .vpns
        .iter()
        .all(|vpn| !vpn.published_ports.contains(&vpn.api_host_port));
    engines && vpns
}

/// The template leaves out a command, health check or memory limit that is
/// empty (minijinja's `if` is false for it), and writes an empty mapping as
/// `null`, which the schema refuses: the plan must hold none of these.
fn nothing_reads_as_absent(plan: &Plan) -> bool {
    let non_empty = |list: &Option<Vec<String>>| list.as_ref().is_none_or(|l| !l.is_empty());
    plan.memory_limit.as_ref().is_none_or(|m| !m.is_empty())
        && plan.vpns.iter().all(|vpn| !vpn.environment.is_empty())
        && plan.engines.iter().all(|engine| {
            !engine.labels.is_empty()
                && non_empty(&engine.command)
                && non_empty(&engine.healthcheck)
        })
}

#[cfg(test)]
mod tests;
