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

/// The shown document must not contain `secret` anywhere.
fn assert_hidden(text: &str, secret: &str) -> String {
    let shown = masked(text);
    assert!(!shown.contains(secret), "{secret:?} shown in:\n{shown}");
    assert_eq!(
        shown.lines().count(),
        text.lines().count(),
        "line count kept"
    );
    shown
}

#[test]
fn a_tab_after_the_colon_still_masks() {
    let shown = assert_hidden("  OPENVPN_PASSWORD:\tTr0ub4dor\n  TZ: UTC\n", "Tr0ub4dor");
    assert!(shown.contains("OPENVPN_PASSWORD:"), "{shown}");
    assert!(shown.contains("TZ: UTC"), "{shown}");
}

#[test]
fn quoted_keys_spaced_from_their_colon_are_masked() {
    assert_hidden("  \"OPENVPN_PASSWORD\" : hunter2x\n", "hunter2x");
    assert_hidden("  'API_TOKEN'\t: tok3nvalue\n", "tok3nvalue");
}

#[test]
fn multi_line_quoted_values_are_masked_to_their_closing_quote() {
    let text = "x:\n  API_TOKEN: \"first-half\n second-half\"\n  TZ: UTC\n";
    let shown = assert_hidden(text, "second-half");
    assert!(!shown.contains("first-half"));
    assert!(shown.ends_with("  TZ: UTC\n"), "{shown}");
    // The continuation is even less indented than the key: still masked.
    let odd = "env:\n    API_TOKEN: 'aaaa\n  bbbbcccc'\n    TZ: UTC\n";
    assert_hidden(odd, "bbbbcccc");
}

#[test]
fn explicit_keys_mask_their_value_line() {
    let text = "environment:\n  ? WIREGUARD_PRIVATE_KEY\n  : k3yvalue=\n  ? TZ\n  : UTC\n";
    let shown = assert_hidden(text, "k3yvalue");
    assert!(shown.contains("  : UTC\n"), "{shown}");
    assert_hidden("env:\n  ? \"API_TOKEN\"\n  :\tabcdefgh\n", "abcdefgh");
}

#[test]
fn key_names_spelt_with_escapes_are_recognised() {
    assert_hidden("env:\n  \"PASS\\u0057ORD\": hunter2\n", "hunter2");
    assert_hidden("env:\n  \"PASS\\x57ORD\": hun\n", "hun");
    assert_hidden("env:\n  - \"API_T\\u004FKEN=zz9\"\n", "zz9");
    assert_hidden("env: {\"API_T\\u004FKEN\": zz8}\n", "zz8");
}

#[test]
fn multi_line_quoted_list_items_are_masked_whole() {
    let text = "env:\n  - \"WIREGUARD_PRIVATE_KEY=part-one\n    part-two\"\n  - TZ=UTC\n";
    let shown = assert_hidden(text, "part-two");
    assert!(!shown.contains("part-one"));
    assert!(shown.contains("- TZ=UTC"), "{shown}");
}

#[test]
fn pieces_of_parsed_secrets_are_masked_wherever_they_stand() {
    // An anchor repeats the secret under an ordinary key: the line rules
    // do not see it, the parsed values do.
    let text = "a:\n  API_TOKEN: &t s3cr3t-anchor\n  PLAIN: s3cr3t-anchor\n";
    assert_hidden(text, "s3cr3t-anchor");
}

#[test]
fn escaping_and_decoding_quoted_text() {
    assert_eq!(decode_quoted("PASS\\u0057ORD", '"'), "PASSWORD");
    assert_eq!(decode_quoted("a\\tb\\\"c", '"'), "a\tb\"c");
    assert_eq!(decode_quoted("it''s", '\''), "it's");
    assert_eq!(decode_quoted("bad\\u00zz", '"'), "bad\\u00zz");
}

#[test]
fn doubled_single_quotes_do_not_end_a_value() {
    assert_hidden("env:\n  'API_TOKEN': 'it''s-s3cr3t'\n", "s3cr3t");
    assert_hidden("env:\n  - 'API_TOKEN=it''s-s3cr3t'\n", "s3cr3t");
}

#[test]
fn deeply_nested_documents_are_masked_in_linear_time() {
    // serde_yaml's parse is quadratic in flow depth: 200,000 levels took
    // minutes before the depth check.
    let deep = format!("x: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
    let started = std::time::Instant::now();
    assert_eq!(masked(&deep), deep);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn kubernetes_env_items_mask_their_value_in_either_order() {
    let text = "env:\n  - name: OPENVPN_PASSWORD\n    value: abc\n  - value: xyz\n    name: API_TOKEN\n  - name: TZ\n    value: UTC\n";
    let shown = assert_hidden(text, "abc");
    assert!(!shown.contains("xyz"), "{shown}");
    assert!(shown.contains("    value: UTC\n"), "{shown}");
    assert!(shown.contains("- name: OPENVPN_PASSWORD\n"), "{shown}");
    assert_hidden("env:\n  - {value: q1, name: GLUETUN_API_KEY}\n", "q1");
    let block = "env:\n  - name: SOME_SECRET\n    value: |\n      line-one\n  - name: TZ\n";
    assert_hidden(block, "line-one");
}

#[test]
fn references_to_kubernetes_secrets_are_not_secrets() {
    let text = "        - name: API_KEY\n          valueFrom:\n            secretKeyRef:\n              name: acegen-vpn\n";
    assert_eq!(masked(text), text);
}

#[test]
fn aliases_and_second_documents_are_searched() {
    let text = "x: 1\n---\nx-a: &pw anchor-value\nenv:\n  OPENVPN_PASSWORD: *pw\n";
    assert_hidden(text, "anchor-value");
    let secrets = Secrets::of_texts([text]);
    assert!(secrets.holds_piece("anchor-value"));
    assert!(!secrets.holds_piece("x-a"));
    // Short secrets are known whole, not searched for as pieces.
    let short = Secrets::of_texts(["API_KEY: ab9\n"]);
    assert!(short.holds_piece("ab9") && !short.holds_piece("xab9x"));
}
