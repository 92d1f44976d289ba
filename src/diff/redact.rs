//! Keeping secrets out of diffs. A value under a key that looks secret
//! (`keys::looks_secret`) is shown as `<redacted, N bytes>`, in FILE and in
//! the generated document alike; the length says whether it is empty, the
//! text never appears. A value that only names a `.env` key (`${KEY}`,
//! `$KEY`) holds no secret and is shown as written, so that the usual change
//! "literal secret -> reference" is readable.

use crate::keys::looks_secret;

/// How a secret value is shown: its length only.
pub fn placeholder(value: &str) -> String {
    format!("<redacted, {} bytes>", value.len())
}

/// Does `value` only name a variable, `${NAME}` or `$NAME`?
pub fn is_plain_reference(value: &str) -> bool {
    let name = match value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) {
        Some(name) => name,
        None => match value.strip_prefix('$') {
            Some(name) => name,
            None => return false,
        },
    };
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The shown form of a value held under a secret-looking key.
pub fn shown_secret(value: &str) -> String {
    if is_plain_reference(value) {
        value.to_owned()
    } else {
        placeholder(value)
    }
}

/// `KEY=VALUE` text (an environment list item) whose key looks secret:
/// the key and the value.
pub fn secret_assignment(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.split_once('=')?;
    let is_name = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    (is_name && looks_secret(key)).then_some((key, value))
}

/// Masks the secret values of a YAML document, line by line, keeping the
/// line count so that diff positions stay right.
///
/// A line is masked when it is a `KEY: value` entry or a `- KEY=value` item
/// whose key looks secret (quoted or not, also inside a comment: users
/// comment out old keys). Every following line indented deeper than that
/// key belongs to its value (a block scalar, a nested map, a multi-line
/// string) and is masked whole.
pub fn mask_document(text: &str) -> Vec<String> {
    let mut masked = Vec::new();
    let mut secret_block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let (body, ending) = split_line_ending(line);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let blank = body.trim().is_empty();
        if let Some(block_indent) = secret_block {
            if blank {
                masked.push(line.to_owned());
                continue;
            }
            if indent > block_indent {
                masked.push(format!("{}<redacted>{ending}", &body[..indent]));
                continue;
            }
            secret_block = None;
        }
        let (shown, starts_block) = mask_line(body);
        if starts_block {
            secret_block = Some(indent);
        }
        masked.push(format!("{shown}{ending}"));
    }
    masked
}

fn split_line_ending(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\n', '\r']);
    (body, &line[body.len()..])
}

/// One line: its shown form, and whether it holds a secret key (whose
/// value may continue on deeper-indented lines).
fn mask_line(line: &str) -> (String, bool) {
    let mut start = line.len() - line.trim_start_matches(' ').len();
    let in_comment = line[start..].starts_with('#');
    if in_comment {
        start = line.len() - line[start + 1..].trim_start().len();
    }
    while let Some(item) = line[start..].strip_prefix('-') {
        if !item.starts_with(' ') {
            break;
        }
        start = line.len() - item.trim_start().len();
    }
    let (prefix, rest) = line.split_at(start);
    match masked_entry(rest) {
        Some(shown) => (format!("{prefix}{shown}"), !in_comment),
        None => (masked_flow(line).unwrap_or_else(|| line.to_owned()), false),
    }
}

/// A flow collection on one line (`environment: {API_TOKEN: x}`) that holds
/// a secret: everything from its opening bracket is masked.
fn masked_flow(line: &str) -> Option<String> {
    let open = line.find(['{', '['])?;
    let collection = &line[open..];
    flow_holds_secret(collection).then(|| format!("{}{}", &line[..open], placeholder(collection)))
}

/// The scalar at the start of `text` in a flow collection, unquoted; a
/// `${NAME}` reference is taken whole (its `}` does not end the value).
fn flow_value(text: &str) -> &str {
    let text = text.trim_start().trim_start_matches(['"', '\'']);
    let end = match text.strip_prefix("${") {
        Some(inner) => inner.find('}').map_or(text.len(), |i| i + 3),
        None => text.find([',', '}', ']']).unwrap_or(text.len()),
    };
    text[..end].trim().trim_end_matches(['"', '\''])
}

/// Does a secret-looking name appear as a key (`NAME:` / `NAME=`) with a
/// value that is not a plain reference?
fn flow_holds_secret(text: &str) -> bool {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = text;
    while let Some(start) = rest.find(is_name_char) {
        let after_start = &rest[start..];
        let end = after_start
            .find(|c: char| !is_name_char(c))
            .unwrap_or(after_start.len());
        let (name, after) = after_start.split_at(end);
        rest = after;
        if !looks_secret(name) {
            continue;
        }
        let after = after.trim_start_matches(['"', '\'', ' ']);
        let Some(value) = after.strip_prefix([':', '=']) else {
            continue;
        };
        let value = flow_value(value);
        if !value.is_empty() && !is_plain_reference(value) {
            return true;
        }
    }
    false
}

/// The masked form of `KEY: value` or `KEY=value` (either may be quoted)
/// when KEY looks secret.
fn masked_entry(text: &str) -> Option<String> {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let (inner, after) = split_quoted(text, quote)?;
        if let Some(value) = after.strip_prefix(':') {
            if value.is_empty() || value.starts_with(' ') {
                return (looks_secret(inner) && !holds_reference(value))
                    .then(|| format!("{quote}{inner}{quote}:{}", masked_value(value)));
            }
        }
        let (key, value) = secret_assignment(inner)?;
        return (!is_plain_reference(value))
            .then(|| format!("{quote}{key}={}{quote}", placeholder(value)));
    }
    if let Some((key, value)) = split_plain_key(text) {
        return (looks_secret(key.trim()) && !holds_reference(value))
            .then(|| format!("{key}:{}", masked_value(value)));
    }
    let (key, value) = secret_assignment(text)?;
    let value = value.trim_end();
    (!is_plain_reference(value)).then(|| format!("{key}={}", placeholder(value)))
}

/// `"text"rest` → (`text`, `rest`); escapes are kept as written.
fn split_quoted(text: &str, quote: char) -> Option<(&str, &str)> {
    let body = &text[1..];
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if quote == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == quote && !escaped {
            return Some((&body[..i], &body[i + 1..]));
        }
        escaped = false;
    }
    None
}

/// A plain mapping key: text up to the first `: ` (or a final `:`).
fn split_plain_key(text: &str) -> Option<(&str, &str)> {
    if let Some(i) = text.find(": ") {
        return Some((&text[..i], &text[i + 1..]));
    }
    text.strip_suffix(':').map(|key| (key, ""))
}

/// Is the value part of a `KEY: value` line only a `${NAME}` reference?
fn holds_reference(value: &str) -> bool {
    is_plain_reference(unquote(value.trim()))
}

/// The value part of a secret `KEY:` line (with its leading space).
fn masked_value(value: &str) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.starts_with('|') || trimmed.starts_with('>') {
        // Nested map or block scalar: the lines below are masked.
        return value.to_owned();
    }
    format!(" {}", placeholder(unquote(trimmed)))
}

fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        mask_document(text).concat()
    }

    #[test]
    fn map_entries_under_secret_keys_are_masked() {
        assert_eq!(
            masked("  WIREGUARD_PRIVATE_KEY: \"abc=\"\n  TZ: Europe/Madrid\n"),
            "  WIREGUARD_PRIVATE_KEY: <redacted, 4 bytes>\n  TZ: Europe/Madrid\n"
        );
        assert_eq!(
            masked("  'openvpn_password': hunter2\n"),
            "  'openvpn_password': <redacted, 7 bytes>\n"
        );
    }

    #[test]
    fn list_items_under_secret_keys_are_masked() {
        assert_eq!(
            masked("      - WIREGUARD_PRIVATE_KEY=s3cr3t\n      - TZ=UTC\n"),
            "      - WIREGUARD_PRIVATE_KEY=<redacted, 6 bytes>\n      - TZ=UTC\n"
        );
        assert_eq!(
            masked("  - \"API_TOKEN=xyz\"\n"),
            "  - \"API_TOKEN=<redacted, 3 bytes>\"\n"
        );
    }

    #[test]
    fn commented_out_secrets_are_masked() {
        assert_eq!(
            masked("#  - OPENVPN_PASSWORD=old\n# see WIREGUARD_PRIVATE_KEY below\n"),
            "#  - OPENVPN_PASSWORD=<redacted, 3 bytes>\n# see WIREGUARD_PRIVATE_KEY below\n"
        );
    }

    #[test]
    fn references_hold_no_secret_and_are_shown() {
        let line = "  WIREGUARD_PRIVATE_KEY: \"${WIREGUARD_PRIVATE_KEY}\"\n";
        assert_eq!(masked(line), line);
        assert_eq!(
            masked("  API_KEY: ${API_KEY:-fallback}\n"),
            "  API_KEY: <redacted, 20 bytes>\n"
        );
    }

    #[test]
    fn flow_collections_holding_secrets_are_masked() {
        assert_eq!(
            masked("    environment: {TZ: UTC, API_TOKEN: abc}\n"),
            "    environment: <redacted, 25 bytes>\n"
        );
        let reference =
            "      HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE: '{\"auth\":\"apikey\",\"apikey\":\"${GLUETUN_API_KEY}\"}'\n";
        assert_eq!(masked(reference), reference);
    }

    #[test]
    fn multi_line_values_of_secret_keys_are_masked_whole() {
        let text = "  SECRET_CERT: |\n    line one\n\n    line two\n  TZ: UTC\n";
        assert_eq!(
            masked(text),
            "  SECRET_CERT: |\n    <redacted>\n\n    <redacted>\n  TZ: UTC\n"
        );
    }

    #[test]
    fn ordinary_lines_are_untouched() {
        let text = "services:\n  acestream-1:\n    command:\n      - \"--access-token\"\n      - \"acestream\"\n    ports:\n      - \"19000:19000\"\n";
        assert_eq!(masked(text), text);
    }
}
