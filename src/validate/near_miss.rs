//! Keys that look like a key acegen reads but are not one (`max_replicas`,
//! `MIN_REPLICA`, `GLUETUN_CONTAINER`): acegen ignores them, which is rarely
//! what was meant. A near miss of a key that decides the VPN, a secret, the
//! published interfaces or the engine count is an error (E0110), others a
//! warning (W0101 in `.env`, W0104 with `--set`).
//!
//! The `.env` also feeds the orchestrator, so its own keys (MIN_FREE_REPLICAS,
//! MAX_ACTIVE_REPLICAS, …) must never count as near misses: the unit tests
//! run every key of its documented `.env` through this.

use crate::keys::{self, KEYS};

/// A known key that `key` is probably a mistyping of.
pub fn near_miss(key: &str) -> Option<&'static str> {
    if keys::spec(key).is_some() || keys::ORCHESTRATOR_OWN_KEYS.contains(&key) {
        return None;
    }
    let upper = key.to_ascii_uppercase();
    let names = || KEYS.iter().map(|spec| spec.name);
    // Closest first: the case alone, a suffix (`GLUETUN_CONTAINER_NAME_1`
    // means the first VPN, not `_2` one edit away), one edit, two edits.
    if let Some(known) = names()
        .find(|k| *k == upper)
        .or_else(|| names().find(|k| differs_by_a_suffix(k, &upper)))
    {
        return Some(known);
    }
    // Each distance computed once, and only for names of a length within
    // two: a `.env` of 100,000 unknown keys must stay fast.
    let length = upper.chars().count();
    let distances: Vec<(&'static str, usize)> = names()
        .filter(|k| k.len().abs_diff(length) <= 2)
        .map(|k| (k, strsim::damerau_levenshtein(k, &upper)))
        .collect();
    let within = |edits: usize, min_len: usize| {
        distances
            .iter()
            .find(|(k, d)| *d == edits && k.len() >= min_len)
            .map(|(k, _)| *k)
    };
    within(1, 0).or_else(|| within(2, TWO_EDITS_FROM))
}

/// A key passed to Gluetun for its `VPN_` prefix, but one edit from
/// VPN_MODE, the one key acegen reads with that prefix (`VPN_MDOE=redundant`):
/// Gluetun would get it and acegen would run one VPN.
pub fn gluetun_style_near_miss(key: &str) -> Option<&'static str> {
    (keys::is_gluetun_key(key) && strsim::damerau_levenshtein(key, keys::VPN_MODE) == 1)
        .then_some(keys::VPN_MODE)
}

/// Two edits are a near miss only for keys this long: among short names
/// (APP_PORT, VPN_MODE) two edits reach unrelated words (APP_HOST).
const TWO_EDITS_FROM: usize = 10;

/// `GLUETUN_CONTAINER` for GLUETUN_CONTAINER_NAME (words left off the end,
/// at least two kept), or `MIN_REPLICAS_COUNT` (words added at the end).
fn differs_by_a_suffix(known: &str, key: &str) -> bool {
    let shorter_prefix = |short: &str, long: &str| {
        long.len() > short.len()
            && long.starts_with(short)
            && long[short.len()..].starts_with('_')
            && short.split('_').filter(|w| !w.is_empty()).count() >= 2
    };
    shorter_prefix(key, known) || shorter_prefix(known, key)
}

/// Is a near miss of `known` an error rather than a warning?
pub fn is_an_error(known: &str) -> bool {
    keys::NEAR_MISS_IS_AN_ERROR.contains(&known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_suffixes_and_two_edits_are_seen() {
        for (typed, meant) in [
            ("max_replicas", "MAX_REPLICAS"),
            ("Min_Replicas", "MIN_REPLICAS"),
            ("MIN_REPLICA", "MIN_REPLICAS"),
            ("GLUETUN_CONTAINER", "GLUETUN_CONTAINER_NAME"),
            ("GLUETUN_CONTAINER_NAME_1", "GLUETUN_CONTAINER_NAME"),
            ("gluetun_container", "GLUETUN_CONTAINER_NAME"),
            ("ENGNE_VARIANT", "ENGINE_VARIANT"),
            ("ENGIN_VARIAN", "ENGINE_VARIANT"),
            ("DOCKER_NETWRK", "DOCKER_NETWORK"),
            ("PORT_BIND_IPS", "PORT_BIND_IP"),
            ("GLUETUN_FORWARDED_PORT_1", "GLUETUN_FORWARDED_PORT"),
            ("GLUETUN_API_KEX", "GLUETUN_API_KEY"),
        ] {
            assert_eq!(near_miss(typed), Some(meant), "{typed}");
        }
    }

    #[test]
    fn unrelated_and_known_keys_are_not_near_misses() {
        for key in [
            "MAX_REPLICAS",
            "APP_HOST",
            "REDIS_PORT",
            "PROXY_MODE",
            "DEBUG_MODE",
            "API_KEY",
            "MIN_FREE_REPLICAS",
            "MAX_ACTIVE_REPLICAS",
            "ENGINE",
            "PORT",
        ] {
            assert_eq!(near_miss(key), None, "{key}");
        }
    }

    /// Every key of the orchestrator's documented `.env`, commented ones
    /// included (a user uncomments them), is one acegen reads, one of
    /// Gluetun's, or no near miss.
    #[test]
    fn the_orchestrators_own_keys_are_not_near_misses() {
        let reference = include_str!("../../tests/fixtures/reference/orchestrator.env.example");
        let mut checked = 0;
        for line in reference.lines() {
            let line = line.trim_start_matches(['#', ' ']);
            let Some((key, _)) = line.split_once('=') else {
                continue;
            };
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                continue;
            }
            checked += 1;
            if keys::is_gluetun_key(key) {
                continue;
            }
            assert_eq!(near_miss(key), None, "{key}");
        }
        assert!(checked > 50, "only {checked} keys read from the reference");
    }

    #[test]
    fn a_gluetun_style_near_miss_of_vpn_mode_is_seen() {
        assert_eq!(gluetun_style_near_miss("VPN_MDOE"), Some("VPN_MODE"));
        assert_eq!(gluetun_style_near_miss("VPN_MODES"), Some("VPN_MODE"));
        for key in [
            "VPN_MODE",
            "VPN_TYPE",
            "VPN_SERVICE_PROVIDER",
            "VPN_PORT_FORWARDING",
        ] {
            assert_eq!(gluetun_style_near_miss(key), None, "{key}");
        }
    }

    #[test]
    fn near_misses_of_safety_keys_are_errors() {
        for key in [
            "GLUETUN_CONTAINER_NAME",
            "MIN_REPLICAS",
            "PORT_BIND_IP",
            "GLUETUN_API_KEY",
        ] {
            assert!(is_an_error(key), "{key}");
        }
        assert!(!is_an_error("ENGINE_VARIANT"));
    }
}
