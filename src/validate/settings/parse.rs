//! Parsers for each kind of value a key holds: ports and ranges, counts,
//! booleans, names, images, labels and the VPN mode.

use super::values::{PortRange, VpnMode};

pub fn parse_port_range(text: &str) -> Option<PortRange> {
    let (start, end) = text.split_once('-')?;
    let start = parse_port(start)?;
    let end = parse_port(end)?;
    (start <= end).then_some(PortRange { start, end })
}

pub fn parse_port(text: &str) -> Option<u16> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|p| *p >= 1)
}

pub(super) fn parse_count(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

pub(super) fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Compose service, container and network names; the Compose Specification
/// wants container names of at least two characters.
pub fn is_valid_name(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() >= 2
        && matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

pub(super) fn parse_name(text: &str) -> Option<String> {
    is_valid_name(text).then(|| text.to_owned())
}

pub(super) fn parse_image_tag(text: &str) -> Option<String> {
    let valid = text.len() <= 128
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    valid.then(|| text.to_owned())
}

pub(super) fn parse_image(text: &str) -> Option<String> {
    let valid = !text.is_empty()
        && !text.starts_with(['/', ':', '-'])
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/' | ':' | '@'));
    valid.then(|| text.to_owned())
}

/// The longest label key or passed-on key acegen writes: YAML refuses a
/// plain mapping key over 1024 characters, and no real key comes near 256.
pub const MAX_KEY_CHARS: usize = 256;

pub(super) fn parse_label(text: &str) -> Option<(String, String)> {
    let (key, value) = text.split_once('=')?;
    let key = key.trim();
    let valid_key = !key.is_empty()
        && key.chars().count() <= MAX_KEY_CHARS
        && !key.chars().any(|c| c.is_whitespace() || c.is_control());
    valid_key.then(|| (key.to_owned(), value.trim().to_owned()))
}

pub(super) fn parse_vpn_mode(text: &str) -> Option<VpnMode> {
    // Exactly, as the orchestrator compares it (rules::vpn_mode_spelling).
    match text {
        "single" => Some(VpnMode::Single),
        "redundant" => Some(VpnMode::Redundant),
        _ => None,
    }
}

/// Can compose interpolate `${KEY}`? Only names of ASCII letters, digits
/// and `_`, not starting with a digit.
pub fn is_interpolable_name(key: &str) -> bool {
    let mut chars = key.chars();
    key.len() <= MAX_KEY_CHARS
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
