//! Keeping secrets out of diffs. A value under a key that looks secret
//! (`keys::looks_secret`) is shown as `<redacted, N bytes>`, in FILE and in
//! the generated document alike; the length says whether it is empty, the
//! text never appears. A value that only names a `.env` key (`${KEY}`,
//! `$KEY`) holds no secret and is shown as written, so that the usual change
//! "literal secret -> reference" is readable.

use crate::keys::looks_secret;

mod named_values;
mod quoted;
#[cfg(test)]
mod tests;
mod values;

pub use quoted::decode_quoted;
use quoted::{decoded_quoted_strings, decoded_scalar, split_quoted, unquote};
pub use values::Secrets;

/// Kubernetes fields that look secret but hold the names of objects and
/// keys (`valueFrom: {secretKeyRef: {name: acegen-vpn, key: API_KEY}}`):
/// masking them would hide every reference, and collecting their values as
/// secrets would mask every line naming one.
const REFERENCE_FIELDS: &[&str] = &["secretKeyRef", "configMapKeyRef", "secretRef", "secretName"];

/// Is `key`, a mapping key, one whose value is a secret?
pub fn is_secret_key(key: &str) -> bool {
    looks_secret(key) && !REFERENCE_FIELDS.contains(&key)
}

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
/// A line is masked when it is a `KEY: value` entry (also `"KEY" : value`,
/// `KEY:<TAB>value`, a key spelt with escapes, or `? KEY` / `: value`) or a
/// `- KEY=value` item whose key looks secret (quoted or not, also inside a
/// comment: users comment out old keys). Every following line indented
/// deeper than that key belongs to its value (a block scalar, a nested map,
/// a multi-line string) and is masked whole, as is every line up to the
/// closing quote of a quoted value that does not end on its first line.
/// Finally, when the document parses, any line still holding a piece of a
/// secret value found by parsing is masked whole ([`values`]): when the
/// line rules cannot be sure, more is masked, never less.
pub fn mask_document(text: &str) -> Vec<String> {
    let mut masker = LineMasker::default();
    let mut masked: Vec<String> = text
        .split_inclusive('\n')
        .map(|line| masker.mask(line))
        .collect();
    named_values::mask_named_values(text, &mut masked);
    values::mask_lines_holding_secrets(text, &mut masked);
    masked
}

/// What the lines before the current one said about it.
#[derive(Default)]
struct LineMasker {
    /// Lines indented deeper than this belong to a secret value.
    secret_block: Option<usize>,
    /// A secret quoted value is open: lines up to its closing quote are masked.
    open_quote: Option<char>,
    /// A `? KEY` line with a secret KEY at this indent: its `:` line follows.
    explicit_secret_key: Option<usize>,
}

impl LineMasker {
    fn mask(&mut self, line: &str) -> String {
        let (body, ending) = split_line_ending(line);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let content = &body[indent..];
        if let Some(quote) = self.open_quote {
            if closing_quote(content, quote).is_some() {
                self.open_quote = None;
            }
            return format!("{}<redacted>{ending}", &body[..indent]);
        }
        if content.trim().is_empty() {
            return line.to_owned();
        }
        if let Some(block_indent) = self.secret_block {
            if indent > block_indent {
                self.open_quote = self.open_quote.or(unclosed_quote(content));
                return format!("{}<redacted>{ending}", &body[..indent]);
            }
            self.secret_block = None;
        }
        if let Some(key_indent) = self.explicit_secret_key.take() {
            if let Some(value) = explicit_value(content).filter(|_| indent == key_indent) {
                self.secret_block = Some(indent);
                self.open_quote = unclosed_quote(value);
                let shown = if holds_reference(value) {
                    value.to_owned()
                } else {
                    masked_value(value)
                };
                return format!("{}:{shown}{ending}", &body[..indent]);
            }
            if indent > key_indent {
                // The explicit key goes on; its `:` line is still to come.
                self.explicit_secret_key = Some(key_indent);
            }
        }
        if let Some(key) = explicit_key(content) {
            if is_secret_key(&decoded_scalar(key)) {
                self.explicit_secret_key = Some(indent);
            }
        }
        let (shown, secret) = mask_line(body);
        if let Some(secret) = secret {
            self.secret_block = Some(indent);
            self.open_quote = secret.open_quote;
        }
        format!("{shown}{ending}")
    }
}

fn split_line_ending(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\n', '\r']);
    (body, &line[body.len()..])
}

/// A secret entry found on a line.
struct SecretEntry {
    /// Its value is quoted and does not end on this line.
    open_quote: Option<char>,
}

/// One line: its shown form, and the secret entry it starts (whose value
/// may continue on deeper-indented lines), if any.
fn mask_line(line: &str) -> (String, Option<SecretEntry>) {
    let mut start = line.len() - line.trim_start_matches(' ').len();
    let in_comment = line[start..].starts_with('#');
    if in_comment {
        start = line.len() - line[start + 1..].trim_start().len();
    }
    while let Some(item) = line[start..].strip_prefix('-') {
        if !item.starts_with([' ', '\t']) {
            break;
        }
        start = line.len() - item.trim_start().len();
    }
    let (prefix, rest) = line.split_at(start);
    if let Some((shown, open_quote)) = masked_entry(rest) {
        let entry = (!in_comment).then_some(SecretEntry { open_quote });
        return (format!("{prefix}{shown}"), entry);
    }
    (
        masked_anywhere(line).unwrap_or_else(|| line.to_owned()),
        None,
    )
}

/// The key of an explicit-key line, `? KEY`.
fn explicit_key(content: &str) -> Option<&str> {
    let key = content.strip_prefix('?')?;
    (key.is_empty() || key.starts_with([' ', '\t'])).then(|| key.trim())
}

/// The value part of an explicit entry's `: value` line (with its leading
/// whitespace).
fn explicit_value(content: &str) -> Option<&str> {
    let value = content.strip_prefix(':')?;
    (value.is_empty() || value.starts_with([' ', '\t'])).then_some(value)
}

/// The quote of a quoted scalar at the start of `text` that does not close
/// on this line.
fn unclosed_quote(text: &str) -> Option<char> {
    let text = text.trim_start();
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    split_quoted(text, quote).is_none().then_some(quote)
}

/// The byte offset just past the quote that closes a quoted scalar which
/// began on an earlier line.
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let opened = format!("{quote}{text}");
    let (inner, _) = split_quoted(&opened, quote)?;
    Some(inner.len() + 1)
}

/// Anything else on a line that pairs a secret-looking name with a value
/// (a flow collection `{API_TOKEN: x}`, `"KEY"<TAB>: v` in odd spacing, a
/// name spelt with escapes): masked from the collection or value on, or
/// the whole line when escapes hide where.
fn masked_anywhere(line: &str) -> Option<String> {
    if let Some(shown) = masked_flow(line) {
        return Some(shown);
    }
    if let Some(value_start) = secret_value_start(line) {
        return Some(format!(
            "{}{}",
            &line[..value_start],
            placeholder(&line[value_start..])
        ));
    }
    let decoded = decoded_quoted_strings(line);
    (decoded != line && secret_value_start(&decoded).is_some()).then(|| {
        let indent = line.len() - line.trim_start().len();
        format!("{}<redacted>", &line[..indent])
    })
}

/// A flow collection on one line (`environment: {API_TOKEN: x}`) that holds
/// a secret: everything from its opening bracket is masked.
fn masked_flow(line: &str) -> Option<String> {
    let open = line.find(['{', '['])?;
    let collection = &line[open..];
    secret_value_start(collection).map(|_| format!("{}{}", &line[..open], placeholder(collection)))
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

/// Where the value starts of the first secret-looking name written as a
/// key (`NAME:` / `NAME=`, maybe quoted, maybe spaced) whose value is not
/// empty and not a plain reference.
fn secret_value_start(text: &str) -> Option<usize> {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut offset = 0;
    while let Some(start) = text[offset..].find(is_name_char) {
        let name_start = offset + start;
        let end = text[name_start..]
            .find(|c: char| !is_name_char(c))
            .map_or(text.len(), |i| name_start + i);
        offset = end;
        if !is_secret_key(&text[name_start..end]) {
            continue;
        }
        let after = text[end..].trim_start_matches(['"', '\'', ' ', '\t']);
        let Some(value) = after.strip_prefix([':', '=']) else {
            continue;
        };
        let value_start = text.len() - value.trim_start().len();
        let value = flow_value(value);
        if !value.is_empty() && !is_plain_reference(value) {
            return Some(value_start);
        }
    }
    None
}

/// The masked form of `KEY: value` or `KEY=value` (either may be quoted)
/// when KEY looks secret, and the quote of a value left open on this line.
fn masked_entry(text: &str) -> Option<(String, Option<char>)> {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        return masked_quoted_entry(text, quote);
    }
    if let Some((key, value)) = split_plain_key(text) {
        return (is_secret_key(key.trim()) && !holds_reference(value)).then(|| {
            (
                format!("{key}:{}", masked_value(value)),
                unclosed_quote(value),
            )
        });
    }
    let (key, value) = secret_assignment(text)?;
    let value = value.trim_end();
    (!is_plain_reference(value)).then(|| (format!("{key}={}", placeholder(value)), None))
}

/// `"KEY": value`, `"KEY=value"`, or a `"KEY=value` that goes on below.
fn masked_quoted_entry(text: &str, quote: char) -> Option<(String, Option<char>)> {
    let Some((inner, after)) = split_quoted(text, quote) else {
        // Unclosed: a multi-line `- "KEY=…` item or `"KEY…` key.
        let inner = decode_quoted(&text[1..], quote);
        let key = inner.split(['=', ':']).next().unwrap_or("");
        return looks_secret(key.trim()).then(|| (format!("{quote}<redacted>"), Some(quote)));
    };
    let key = decode_quoted(inner, quote);
    let after = after.trim_start_matches([' ', '\t']);
    if let Some(value) = after.strip_prefix(':') {
        if value.is_empty() || value.starts_with([' ', '\t']) {
            return (is_secret_key(&key) && !holds_reference(value)).then(|| {
                let shown = format!("{quote}{inner}{quote}:{}", masked_value(value));
                (shown, unclosed_quote(value))
            });
        }
    }
    let (name, value) = secret_assignment(&key)?;
    if is_plain_reference(value) {
        return None;
    }
    let shown = if key == inner {
        format!("{quote}{name}={}{quote}", placeholder(value))
    } else {
        // Escapes: where the written key ends is not obvious; mask it all.
        format!("{quote}{}{quote}", placeholder(&key))
    };
    Some((shown, None))
}

/// A plain mapping key: text up to the first `: ` or `:<TAB>` (or a final `:`).
fn split_plain_key(text: &str) -> Option<(&str, &str)> {
    let separator = text
        .match_indices(':')
        .find(|(i, _)| text[i + 1..].starts_with([' ', '\t']));
    if let Some((i, _)) = separator {
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
