//! Quoting for YAML: every value acegen writes is a double-quoted scalar, so
//! that no value can turn into a number, a boolean, a null or YAML syntax.

use std::fmt::Write;

/// Writes `text` as a YAML 1.2 double-quoted scalar. Characters that YAML
/// does not allow printed as they are (controls, DEL, C1, BOM, the Unicode
/// line separators) are written as escapes.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    quote_into(&mut out, text);
    out
}

/// The bytes a double-quoted scalar holds as they are: printable ASCII but
/// `"` and `\\`. A table, because every value of a large fleet goes through it.
const COPIED_WHOLE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x20;
    while b < 0x7F {
        table[b] = b != b'"' as usize && b != b'\\' as usize;
        b += 1;
    }
    table
};

/// [`quote`], appended to `out`.
pub fn quote_into(out: &mut String, text: &str) {
    out.push('"');
    // Printable ASCII without `"` or `\\` (nearly every value) is copied whole.
    if text.bytes().all(|b| COPIED_WHOLE[usize::from(b)]) {
        out.push_str(text);
        out.push('"');
        return;
    }
    // Most values need no escape: copy runs of safe characters whole.
    let mut run_start = 0;
    for (i, c) in text.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\t' => "\\t",
            '\r' => "\\r",
            c if needs_escape(c) => "",
            _ => continue,
        };
        out.push_str(&text[run_start..i]);
        run_start = i + c.len_utf8();
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04X}", c as u32);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&text[run_start..]);
    out.push('"');
}

/// Writes a mapping key plain when YAML reads it back as the same string
/// (`acestream-1`, `orchestrator.managed`), quoted otherwise (`true`, `8000`).
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    key_into(&mut out, text);
    out
}

/// [`key`], appended to `out`.
pub fn key_into(out: &mut String, text: &str) {
    let mut chars = text.chars();
    let plain = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && !is_yaml_keyword(text);
    if plain {
        out.push_str(text);
    } else {
        quote_into(out, text);
    }
}

/// Words YAML 1.1 or 1.2 reads as booleans or null.
pub(crate) fn is_yaml_keyword(text: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf",
    ];
    let word = text.trim_start_matches('.');
    // The longest keyword is `false`: longer words need no comparison.
    if word.len() > 5 {
        return false;
    }
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

pub(crate) fn needs_escape(c: char) -> bool {
    let code = c as u32;
    code < 0x20
        || (0x7F..=0x9F).contains(&code)
        || matches!(code, 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quotes_values_that_yaml_would_otherwise_reinterpret() {
        assert_eq!(quote("true"), "\"true\"");
        assert_eq!(quote("19000"), "\"19000\"");
        assert_eq!(quote("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(quote("line\nnext"), "\"line\\nnext\"");
        assert_eq!(quote("\u{7}"), "\"\\u0007\"");
        assert_eq!(
            quote("é # not a comment: {x}"),
            "\"é # not a comment: {x}\""
        );
    }

    #[test]
    fn keys_are_plain_unless_yaml_would_misread_them() {
        assert_eq!(key("acestream-1"), "acestream-1");
        assert_eq!(key("orchestrator.managed"), "orchestrator.managed");
        assert_eq!(key("WIREGUARD_PRIVATE_KEY"), "WIREGUARD_PRIVATE_KEY");
        assert_eq!(key("true"), "\"true\"");
        assert_eq!(key("No"), "\"No\"");
        assert_eq!(key("8000"), "\"8000\"");
        assert_eq!(key("1e3"), "\"1e3\"");
        assert_eq!(key("a b"), "\"a b\"");
    }

    proptest! {
        #[test]
        fn every_key_round_trips_through_serde_yaml(text in "[A-Za-z0-9_.-]{1,12}") {
            let document = format!("{}: x\n", key(&text));
            let parsed: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&document).unwrap();
            prop_assert!(parsed.contains_key(&text));
        }


        #[test]
        fn every_string_round_trips_through_serde_yaml(text in any::<String>()) {
            let document = format!("value: {}\n", quote(&text));
            let parsed: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&document).unwrap();
            prop_assert_eq!(&parsed["value"], &text);
        }
    }
}
