//! Kubernetes' rules for names, labels, quantities and `$(VAR)` expansion,
//! which a compose file does not have.

/// A DNS-1123 label: object and container names (at most 63 characters,
/// lowercase letters, digits and `-`, starting and ending alphanumeric).
pub fn is_dns_label(text: &str) -> bool {
    let bytes = text.as_bytes();
    let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(|b| edge(b) || *b == b'-')
}

/// A DNS-1123 subdomain: Secret names (dot-separated labels, at most 253).
pub fn is_dns_subdomain(text: &str) -> bool {
    text.len() <= 253 && text.split('.').all(is_dns_label)
}

/// The name part of a label key, or a label value when not empty: at most
/// 63 characters of `[A-Za-z0-9_.-]`, starting and ending alphanumeric.
fn is_qualified_name_part(text: &str) -> bool {
    let bytes = text.as_bytes();
    let edge = |b: &u8| b.is_ascii_alphanumeric();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes
            .iter()
            .all(|b| edge(b) || matches!(b, b'-' | b'_' | b'.'))
}

/// A label (or annotation) key: `[prefix/]name`, the prefix a DNS subdomain.
pub fn is_label_key(text: &str) -> bool {
    match text.split_once('/') {
        Some((prefix, name)) => is_dns_subdomain(prefix) && is_qualified_name_part(name),
        None => is_qualified_name_part(text),
    }
}

/// A label value: empty, or a qualified name part (so at most 63 characters).
pub fn is_label_value(text: &str) -> bool {
    text.is_empty() || is_qualified_name_part(text)
}

/// A docker memory size (`768m`, `2g`, `512k`, `1048576`, `64b`; any case)
/// as a Kubernetes quantity. In Kubernetes `m` means milli, so `768m` must
/// become `768Mi`. `None` when the text is not such a size.
pub fn memory_quantity(docker: &str) -> Option<String> {
    let text = docker.trim();
    let (digits, suffix) = match text.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&text[..i], Some(c.to_ascii_lowercase())),
        _ => (text, None),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let unit = match suffix {
        None | Some('b') => "",
        Some('k') => "Ki",
        Some('m') => "Mi",
        Some('g') => "Gi",
        Some(_) => return None,
    };
    Some(format!("{digits}{unit}"))
}

/// Kubernetes expands `$(VAR)` in a container's args and env values, and
/// reads `$$` as one `$`. Doubling each `$` that is followed by `$` or `(`
/// makes the text reach the container exactly as written.
pub fn escape_expansion(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '$' && matches!(chars.peek(), Some('$' | '(')) {
            out.push('$');
        }
    }
    out
}

/// What Kubernetes makes of an arg or env value: `$$` → `$`, `$(NAME)` →
/// the value of NAME when `defined` knows it (else left as written). The
/// inverse of [`escape_expansion`], used by the tests and the checks.
pub fn expand(text: &str, defined: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some((name, tail)) = after
            .strip_prefix('(')
            .and_then(|inner| inner.split_once(')'))
        {
            match defined(name) {
                Some(value) => out.push_str(&value),
                None => out.push_str(&format!("$({name})")),
            }
            rest = tail;
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_names_are_dns_labels() {
        assert!(is_dns_label("acestream-1"));
        assert!(is_dns_label("gluetun2"));
        for bad in ["Gluetun", "glue_tun", "-vpn", "vpn-", "", &"a".repeat(64)] {
            assert!(!is_dns_label(bad), "{bad:?} accepted");
        }
        assert!(is_dns_label(&"a".repeat(63)));
        assert!(is_dns_subdomain("acegen-vpn.example"));
        assert!(!is_dns_subdomain("acegen_vpn"));
    }

    #[test]
    fn orchestrator_labels_fit_kubernetes_labels() {
        assert!(is_label_key("acestream.http_port"));
        assert!(is_label_key("orchestrator.managed"));
        assert!(is_label_key("example.com/managed"));
        assert!(!is_label_key("Example.com/managed"));
        assert!(!is_label_key("a b"));
        assert!(is_label_value("19000"));
        assert!(is_label_value(""));
        assert!(is_label_value(&"v".repeat(63)));
        assert!(!is_label_value(&"v".repeat(64)));
        assert!(!is_label_value("has space"));
        assert!(!is_label_value("trailing-"));
    }

    #[test]
    fn docker_memory_sizes_become_binary_quantities() {
        assert_eq!(memory_quantity("768m").as_deref(), Some("768Mi"));
        assert_eq!(memory_quantity("2g").as_deref(), Some("2Gi"));
        assert_eq!(memory_quantity("2G").as_deref(), Some("2Gi"));
        assert_eq!(memory_quantity("512k").as_deref(), Some("512Ki"));
        assert_eq!(memory_quantity("67108864").as_deref(), Some("67108864"));
        assert_eq!(memory_quantity("64b").as_deref(), Some("64"));
        assert_eq!(memory_quantity("0512m").as_deref(), Some("512Mi"));
        assert_eq!(memory_quantity("12x"), None);
        assert_eq!(memory_quantity("m"), None);
        assert_eq!(memory_quantity("1.5g"), None);
    }

    #[test]
    fn escaped_text_expands_back_to_itself() {
        let nothing = |_: &str| Some("SUBSTITUTED".to_owned());
        for text in [
            "plain",
            "$(HOME)",
            "$$(HOME)",
            "a$",
            "$$",
            "$x $(y) $$(z) $",
            "((($)))",
        ] {
            let escaped = escape_expansion(text);
            assert_eq!(expand(&escaped, &nothing), text, "escaped as {escaped:?}");
        }
        assert_eq!(escape_expansion("$(HOME)"), "$$(HOME)");
        assert_eq!(escape_expansion("cost $5"), "cost $5");
    }

    proptest::proptest! {
        /// Whatever an argument holds, Kubernetes hands the engine the text as written.
        #[test]
        fn any_escaped_text_expands_back_to_itself(text in "[a-z$()]{0,24}") {
            let defined = |_: &str| Some("SUBSTITUTED".to_owned());
            proptest::prop_assert_eq!(expand(&escape_expansion(&text), &defined), text);
        }
    }
}
