//! A YAML 1.1 reader's view of acegen's block output, for the tests: which
//! scalars it reads as strings. YAML 1.1 (PyYAML, go-yaml v2 and so
//! sigs.k8s.io/yaml as `kubectl apply -f` uses it) resolves far more plain
//! words than 1.2: `yes`/`no`/`on`/`off`/`y`/`n`, `1_000`, `0x_1F`, `0777`,
//! sexagesimal `1:20`, dates, `=` and `<<`. The rules below are the
//! published regular expressions of the YAML 1.1 type repository
//! (yaml.org/type: bool, null, int, float, timestamp, merge, value),
//! written out by hand.

/// Whether a YAML 1.1 reader resolves the plain scalar `text` to anything
/// but a string.
pub fn plain_is_not_a_string(text: &str) -> bool {
    is_bool(text)
        || is_null(text)
        || is_int(text)
        || is_float(text)
        || is_timestamp(text)
        || text == "<<"
        || text == "="
}

fn is_bool(text: &str) -> bool {
    const WORDS: &[&str] = &["y", "yes", "n", "no", "true", "false", "on", "off"];
    WORDS
        .iter()
        .any(|w| text == *w || text == w.to_uppercase() || text == capitalised(w))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn unsigned(text: &str) -> &str {
    text.strip_prefix(['-', '+']).unwrap_or(text)
}

fn all(text: &str, allowed: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(allowed)
}

/// `[1-9][0-9_]*(:[0-5]?[0-9])+`: base 60.
fn is_sexagesimal_int(text: &str) -> bool {
    let mut parts = text.split(':');
    let head = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    head.starts_with(|c: char| ('1'..='9').contains(&c))
        && all(head, |c| c.is_ascii_digit() || c == '_')
        && !rest.is_empty()
        && rest.iter().all(|p| is_sixty(p))
}

fn is_sixty(part: &str) -> bool {
    let bytes = part.as_bytes();
    match bytes {
        [d] => d.is_ascii_digit(),
        [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
        _ => false,
    }
}

fn is_int(text: &str) -> bool {
    let body = unsigned(text);
    if let Some(binary) = body.strip_prefix("0b") {
        return all(binary, |c| matches!(c, '0' | '1' | '_'));
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return all(hex, |c| c.is_ascii_hexdigit() || c == '_');
    }
    if body == "0" {
        return true;
    }
    if let Some(octal) = body.strip_prefix('0') {
        return all(octal, |c| ('0'..='7').contains(&c) || c == '_');
    }
    (body.starts_with(|c: char| ('1'..='9').contains(&c))
        && all(body, |c| c.is_ascii_digit() || c == '_'))
        || is_sexagesimal_int(body)
}

fn is_float(text: &str) -> bool {
    let body = unsigned(text);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    if let Some((whole, fraction)) = body.split_once('.') {
        if whole.contains(':')
            && is_sexagesimal_like(whole)
            && fraction.chars().all(|c| c.is_ascii_digit() || c == '_')
        {
            return true;
        }
    }
    // [-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?
    let Some(dot) = body.find('.') else {
        return false;
    };
    let (whole, rest) = body.split_at(dot);
    let whole_ok = whole.is_empty()
        || (whole.starts_with(|c: char| c.is_ascii_digit())
            && whole.chars().all(|c| c.is_ascii_digit() || c == '_'));
    let rest = &rest[1..];
    let (digits, exponent) = match rest.find(['e', 'E']) {
        Some(e) => (&rest[..e], Some(&rest[e + 1..])),
        None => (rest, None),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        e.strip_prefix(['-', '+'])
            .is_some_and(|d| all(d, |c| c.is_ascii_digit()))
    });
    whole_ok && digits.chars().all(|c| c.is_ascii_digit() || c == '.') && exponent_ok
}

fn is_sexagesimal_like(text: &str) -> bool {
    let mut parts = text.split(':');
    let head = parts.next().unwrap_or_default();
    head.starts_with(|c: char| c.is_ascii_digit())
        && all(head, |c| c.is_ascii_digit() || c == '_')
        && parts.all(is_sixty)
}

/// `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}` and anything after a `T`, `t` or blank.
fn is_timestamp(text: &str) -> bool {
    let mut fields = text.splitn(3, '-');
    let (Some(year), Some(month), Some(rest)) = (fields.next(), fields.next(), fields.next())
    else {
        return false;
    };
    let day_len = rest.chars().take_while(char::is_ascii_digit).count();
    let after = &rest[day_len..];
    year.len() == 4
        && all(year, |c| c.is_ascii_digit())
        && (1..=2).contains(&month.len())
        && all(month, |c| c.is_ascii_digit())
        && (1..=2).contains(&day_len)
        && (after.is_empty() || after.starts_with(['T', 't', ' ', '\t']))
}

/// Every scalar of a block document as acegen writes it (`key: value`,
/// `- value`, double-quoted or plain, `{}`/`[]` for empty collections), in
/// document order: `true` where a YAML 1.1 reader finds a string.
pub fn scalars_read_as_strings(text: &str) -> Vec<bool> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut rest = line.trim_start();
        if rest.starts_with('#') || rest == "---" || rest.is_empty() {
            continue;
        }
        while let Some(after) = rest.strip_prefix("- ") {
            rest = after;
        }
        if rest == "-" {
            continue;
        }
        // A key, if the line has one.
        let (key, value) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = closing_quote(quoted);
            let after = &quoted[end + 1..];
            match after.strip_prefix(':') {
                Some(value) => (Some(true), value.trim_start()),
                None => (None, rest),
            }
        } else {
            match rest
                .find(": ")
                .map(|i| (i, i + 2))
                .or_else(|| rest.strip_suffix(':').map(|k| (k.len(), rest.len())))
            {
                Some((end, value_at)) => (
                    Some(!plain_is_not_a_string(&rest[..end])),
                    &rest[value_at..],
                ),
                None => (None, rest),
            }
        };
        found.extend(key);
        match value {
            // Nulls (an empty value too) are left out on both sides: both readers agree on them.
            "{}" | "[]" => {}
            plain if is_null(plain) => {}
            quoted if quoted.starts_with('"') => found.push(true),
            plain => found.push(!plain_is_not_a_string(plain)),
        }
    }
    found
}

fn closing_quote(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i,
            _ => {}
        }
    }
    text.len()
}

/// The same walk over a parsed document: `true` for each string scalar
/// (keys included), `false` for each number or boolean, in document order.
pub fn strings_meant(value: &serde_yaml::Value) -> Vec<bool> {
    use serde_yaml::Value;
    let mut found = Vec::new();
    fn walk(value: &Value, found: &mut Vec<bool>) {
        match value {
            Value::Mapping(map) => {
                for (key, inner) in map {
                    walk(key, found);
                    walk(inner, found);
                }
            }
            Value::Sequence(items) => items.iter().for_each(|i| walk(i, found)),
            Value::Tagged(tagged) => walk(&tagged.value, found),
            Value::String(_) => found.push(true),
            Value::Null => {}
            _ => found.push(false),
        }
    }
    walk(value, &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::plain_is_not_a_string as not_string;

    #[test]
    fn the_yaml_11_resolvers_catch_what_the_issue_lists() {
        for word in [
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "N",
            "true",
            "FALSE",
            "~",
            "null",
            "",
            "1_000",
            "0x_1F",
            "0b101",
            "0777",
            "-12",
            "1:20",
            "190:20:30",
            "1.5",
            ".5",
            "6.8523015e+5",
            ".inf",
            "-.Inf",
            ".NaN",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "=",
            "<<",
        ] {
            assert!(not_string(word), "{word}");
        }
        for word in [
            "yess",
            "nO",
            "acestream-1",
            "1e3",
            "0o17",
            "1_0x",
            "v1",
            "apps/v1",
            "2001-12",
            "TCP",
            "-",
            "a=b",
            "1:70",
            "0x",
            "19000x",
        ] {
            assert!(!not_string(word), "{word}");
        }
    }
}
