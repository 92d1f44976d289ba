//! The reader's rules, one test per rule of SPEC 1.1 and per difference with
//! compose that issue 10 listed (the expected values are compose v2.40.3's;
//! `tests/compose_dotenv.rs` checks them against the real binary).

use super::*;

fn no_process_env(_: &str) -> Option<String> {
    None
}

/// A process environment made of fixed pairs, so tests never read the real one.
fn fixed_env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_string())
    }
}

fn parse_with(text: &str, pairs: &'static [(&'static str, &'static str)]) -> ParsedEnv {
    parse(text, &fixed_env(pairs))
}

/// Parses a file that is expected to be free of errors and warnings.
fn parse_clean(text: &str) -> ParsedEnv {
    let parsed = parse(text, &no_process_env);
    assert_eq!(parsed.errors, vec![], "unexpected errors for {text:?}");
    assert_eq!(parsed.warnings, vec![], "unexpected warnings for {text:?}");
    parsed
}

fn entry<'p>(parsed: &'p ParsedEnv, key: &str) -> &'p EnvEntry {
    parsed
        .get(key)
        .unwrap_or_else(|| panic!("no entry for {key}: {parsed:#?}"))
}

fn value(text: &str, key: &str) -> String {
    entry(&parse_clean(text), key).value.clone()
}

fn pos(line: u32, column: u32) -> Position {
    Position::new(line, column)
}

/// The single error of a one-problem file.
fn only_error(text: &str) -> EnvError {
    let parsed = parse(text, &no_process_env);
    assert_eq!(parsed.errors.len(), 1, "{text:?} gave {:#?}", parsed.errors);
    parsed.errors[0].clone()
}

// --- lines and keys ----------------------------------------------------------

#[test]
fn simple_assignment_records_value_and_positions() {
    let parsed = parse_clean("FOO=bar\n");
    assert_eq!(
        parsed.entries,
        vec![EnvEntry {
            key: "FOO".into(),
            value: "bar".into(),
            key_pos: pos(1, 1),
            value_pos: pos(1, 5),
            value_len: 3,
            quoting: Quoting::None,
            from_environment: vec![],
            interpolated_from: vec![],
        }]
    );
}

#[test]
fn blank_lines_comments_and_no_trailing_newline() {
    let parsed = parse_clean("\n# c\n  # indented comment\nA=1\n\nB=2");
    assert_eq!(entry(&parsed, "A").value, "1");
    assert_eq!(entry(&parsed, "B").value, "2");
    assert_eq!(entry(&parsed, "B").key_pos, pos(6, 1));
    assert_eq!(parse_clean(""), ParsedEnv::default());
}

#[test]
fn export_prefix_takes_any_whitespace() {
    let parsed = parse_clean("export FOO=bar\nexport\tBAZ=1\n");
    assert_eq!(entry(&parsed, "FOO").key_pos, pos(1, 8));
    assert_eq!(entry(&parsed, "FOO").value_pos, pos(1, 12));
    assert_eq!(entry(&parsed, "BAZ").value, "1");
    assert_eq!(entry(&parsed, "BAZ").key_pos, pos(2, 8));
    assert_eq!(value("export=1\n", "export"), "1");
    assert_eq!(value("exportFOO=3\n", "exportFOO"), "3");
}

#[test]
fn spaces_around_equals_and_yaml_style_colon() {
    assert_eq!(value("  A  =  1  \n", "A"), "1");
    assert_eq!(value("A: value\n", "A"), "value");
    assert_eq!(value("A:=x\n", "A"), "=x");
    assert_eq!(value("A=:x\n", "A"), ":x");
}

#[test]
fn keys_may_start_with_a_digit_or_a_letter_of_any_script() {
    let parsed = parse_clean("1A=1\nÄB=2\na[0]=3\nSERVER_COUNTRIES.nl=NL\nX-Y=4\n");
    assert_eq!(entry(&parsed, "1A").value, "1");
    assert_eq!(entry(&parsed, "ÄB").value, "2");
    assert_eq!(entry(&parsed, "a[0]").value, "3");
    assert_eq!(entry(&parsed, "SERVER_COUNTRIES.nl").value, "NL");
    assert_eq!(entry(&parsed, "X-Y").value, "4");
}

#[test]
fn a_key_with_a_space_is_refused_without_its_second_word() {
    let error = only_error("FOO BAR=1\n");
    assert_eq!(error.pos, pos(1, 1));
    assert_eq!(
        error.kind,
        EnvErrorKind::KeyWithSpace {
            first_word: "FOO".into()
        }
    );
    let error = only_error("OPENVPN_PASSWORD hunter2\n");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

#[test]
fn a_char_compose_refuses_in_a_key_is_an_error_at_its_column() {
    let error = only_error("A=1\n  FO$O=1\n");
    assert_eq!(error.kind, EnvErrorKind::UnexpectedCharacter { found: '$' });
    assert_eq!(error.pos, pos(2, 5));
    assert_eq!(error.key, "FO");
    assert_eq!(error.kind.code(), "E0101");
    assert_eq!(only_error("\"A\"=1\n").pos, pos(1, 1));
}

#[test]
fn an_empty_key_is_accepted_as_compose_does() {
    let parsed = parse_clean("=x\nA=1\n");
    assert_eq!(entry(&parsed, "").value, "x");
    assert_eq!(entry(&parsed, "A").value, "1");
}

#[test]
fn bare_keys_take_the_process_environment_or_are_ignored() {
    let parsed = parse_with(
        "KEY\nexport OTHER\nUNSET\n",
        &[("KEY", "k"), ("OTHER", "o")],
    );
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(entry(&parsed, "KEY").value, "k");
    assert_eq!(entry(&parsed, "KEY").from_environment, vec!["KEY"]);
    assert_eq!(entry(&parsed, "OTHER").value, "o");
    assert_eq!(entry(&parsed, "OTHER").key_pos, pos(2, 8));
    assert!(parsed.get("UNSET").is_none());
}

#[test]
fn a_bare_key_repeats_an_earlier_definition() {
    let parsed = parse_clean("A=1\nA\n");
    assert_eq!(parsed.entries.len(), 2);
    assert_eq!(entry(&parsed, "A").from_environment, Vec::<String>::new());
}

#[test]
fn a_bare_key_on_a_last_line_without_line_break_is_ignored() {
    // Compose reads it as the value of the empty key, not as KEY.
    let parsed = parse_with("A=1\nKEY", &[("KEY", "k")]);
    assert!(parsed.get("KEY").is_none());
    assert_eq!(entry(&parsed, "").value, "KEY");
}

// --- unquoted values -------------------------------------------------------

#[test]
fn spaces_after_equals_are_skipped_before_the_comment_rule() {
    assert_eq!(
        value("OPENVPN_PASSWORD= # fill me\n", "OPENVPN_PASSWORD"),
        "# fill me"
    );
    assert_eq!(value("A=\t#x\n", "A"), "#x");
}

#[test]
fn only_a_space_before_hash_starts_a_comment() {
    assert_eq!(value("A=60\t# seconds\n", "A"), "60\t# seconds");
    assert_eq!(value("A=60 # seconds\n", "A"), "60");
    assert_eq!(value("A=a#b\n", "A"), "a#b");
}

#[test]
fn unquoted_values_keep_inner_quotes_and_trim_the_end() {
    assert_eq!(value("A=it's \"x\" = y   \n", "A"), "it's \"x\" = y");
}

#[test]
fn empty_value_points_where_the_value_would_start() {
    let parsed = parse_clean("A=\nB=  \n");
    assert_eq!(entry(&parsed, "A").value, "");
    assert_eq!(entry(&parsed, "A").value_pos, pos(1, 3));
    assert_eq!(entry(&parsed, "B").value, "");
}

// --- single quotes ---------------------------------------------------------

#[test]
fn single_quotes_are_literal_except_an_escaped_quote() {
    assert_eq!(value("A='it\\'s'\n", "A"), "it's");
    assert_eq!(value("A='$B \\n # x'\n", "A"), "$B \\n # x");
    assert_eq!(value("A='a\\\\b'\n", "A"), "a\\\\b");
}

#[test]
fn single_quote_escaped_at_the_end_is_unterminated() {
    let error = only_error("OPENVPN_PASSWORD='secret\\'\n");
    assert_eq!(error.kind, EnvErrorKind::UnterminatedQuote { quote: '\'' });
    assert_eq!(error.pos, pos(1, 18));
}

#[test]
fn single_quotes_may_span_lines() {
    assert_eq!(value("A='x\ny'\n", "A"), "x\ny");
}

// --- double quotes ---------------------------------------------------------

#[test]
fn double_quote_escapes_include_bell_backspace_formfeed_vtab_and_octal() {
    assert_eq!(value(r#"A="\a\b\f\v\0101""#, "A"), "\u{7}\u{8}\u{c}\u{b}A");
    assert_eq!(value(r#"A="\n\t\r\"\\\$x""#, "A"), "\n\t\r\"\\$x");
}

#[test]
fn malformed_octal_and_unknown_escapes_are_kept_as_compose_keeps_them() {
    assert_eq!(value(r#"A="\012""#, "A"), "\\12");
    assert_eq!(value(r#"A="\0x""#, "A"), "\\x");
    assert_eq!(value(r#"A="\0777""#, "A"), "\\777");
    assert_eq!(value(r#"A="\c\x\'""#, "A"), "\\c\\x\\'");
}

#[test]
fn text_after_a_closing_quote_is_the_next_statement() {
    let parsed = parse_clean("A=\"x\" B=2\nC='y' # note\n");
    assert_eq!(entry(&parsed, "A").value, "x");
    assert_eq!(entry(&parsed, "B").value, "2");
    assert_eq!(entry(&parsed, "B").key_pos, pos(1, 7));
    assert_eq!(entry(&parsed, "C").value, "y");
}

#[test]
fn multi_line_double_quotes_keep_line_breaks_and_positions() {
    let parsed = parse_clean("A=\"one\ntwo\"\nB=${A}\n");
    assert_eq!(entry(&parsed, "A").value, "one\ntwo");
    assert_eq!(entry(&parsed, "B").key_pos, pos(3, 1));
    assert_eq!(entry(&parsed, "B").value, "one\ntwo");
}

#[test]
fn crlf_files_keep_crlf_inside_quotes_only() {
    let parsed = parse_clean("A=x\r\nB=\"1\r\n2\"\r\nC='y'\r\n");
    assert_eq!(entry(&parsed, "A").value, "x");
    assert_eq!(entry(&parsed, "B").value, "1\r\n2");
    assert_eq!(entry(&parsed, "C").value, "y");
}

#[test]
fn byte_order_mark_is_skipped() {
    let parsed = parse_clean("\u{feff}A=1\n");
    assert_eq!(entry(&parsed, "A").key_pos, pos(1, 1));
}

#[test]
fn unterminated_double_quote_is_reported_at_the_quote() {
    let error = only_error("A=1\nB = \"open\nC=2\n");
    assert_eq!(error.kind, EnvErrorKind::UnterminatedQuote { quote: '"' });
    assert_eq!(error.pos, pos(2, 5));
}

// --- interpolation ---------------------------------------------------------

#[test]
fn references_in_unquoted_and_double_quoted_values() {
    let parsed = parse_clean("A=1\nB=$A-${A}\nC=\"<$A>\"\nD='$A'\n");
    assert_eq!(entry(&parsed, "B").value, "1-1");
    assert_eq!(entry(&parsed, "C").value, "<1>");
    assert_eq!(entry(&parsed, "D").value, "$A");
}

#[test]
fn operators_follow_the_shell() {
    let text = "E=\nS=s\n\
        A=${U:-d}|${E:-d}|${S:-d}|${U-d}|${E-d}\n\
        B=${U:+a}|${E:+a}|${S:+a}|${U+a}|${E+a}\n\
        C=${S:?m}|${S?m}|${E?m}\n";
    let parsed = parse(text, &no_process_env);
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(entry(&parsed, "A").value, "d|d|s|d|");
    assert_eq!(entry(&parsed, "B").value, "||a||a");
    assert_eq!(entry(&parsed, "C").value, "s|s|");
}

#[test]
fn a_default_runs_to_the_balanced_brace_as_compose_cuts_it() {
    assert_eq!(value("A=${NOPE:-{x}y}z\n", "A"), "{x}yz");
    assert_eq!(value("A=${NOPE:-${NOPE2:-in}}out\n", "A"), "inout");
    assert_eq!(value("A=${N:-x}${M:-y}\n", "A"), "xy");
}

#[test]
fn a_required_variable_inside_a_default_is_evaluated_eagerly() {
    let parsed = parse_with(
        "SERVER_CITIES=${TZ:-${CITY:?set CITY}}\n",
        &[("TZ", "Europe/Paris")],
    );
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(
        parsed.errors[0].kind,
        EnvErrorKind::RequiredVariable {
            name: "CITY".into(),
            message: "set CITY".into()
        }
    );
    assert_eq!(parsed.errors[0].pos, pos(1, 21));
}

#[test]
fn a_required_message_built_from_the_process_environment_is_not_quoted() {
    let parsed = parse_with("A=${NOPE:?${CI_SECRET}}\n", &[("CI_SECRET", "hunter2ci")]);
    assert_eq!(parsed.errors.len(), 1);
    assert!(
        !parsed.errors[0].to_string().contains("hunter2ci"),
        "{}",
        parsed.errors[0]
    );
}

#[test]
fn the_process_environment_wins_over_an_earlier_definition() {
    let parsed = parse_with("B=file\nA=${B}\n", &[("B", "shell")]);
    assert_eq!(entry(&parsed, "B").value, "file");
    assert_eq!(entry(&parsed, "A").value, "shell");
    assert_eq!(entry(&parsed, "A").from_environment, vec!["B"]);
    assert_eq!(entry(&parsed, "B").from_environment, Vec::<String>::new());
}

#[test]
fn dollar_dollar_and_lone_dollars_are_literal() {
    assert_eq!(value("A=$$B $ $1 $-\n", "A"), "$B $ $1 $-");
    assert_eq!(value("A=\"\\${X}\"\n", "A"), "${X}");
}

#[test]
fn unresolved_references_are_empty_with_a_warning_at_the_dollar() {
    let parsed = parse("A=x${NOPE}y\n", &no_process_env);
    assert_eq!(entry(&parsed, "A").value, "xy");
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].pos, pos(1, 4));
    assert_eq!(parsed.warnings[0].written, "${NOPE}");
}

#[test]
fn bad_substitutions_are_errors_at_the_dollar() {
    for (text, column) in [
        ("A=${}\n", 3),
        ("A=x${1a}\n", 4),
        ("A=${B:x}\n", 3),
        ("A=${B\n", 3),
        ("A=\"${B:-x\n}\"\n", 4),
    ] {
        let error = only_error(text);
        assert!(
            matches!(error.kind, EnvErrorKind::InvalidSubstitution { .. }),
            "{text:?}: {error:?}"
        );
        assert_eq!(error.pos, pos(1, column), "{text:?}");
    }
}

#[test]
fn positions_inside_multi_line_values_are_physical() {
    let parsed = parse("A=\"one\n  ${NOPE}\"\n", &no_process_env);
    assert_eq!(parsed.warnings[0].pos, pos(2, 3));
}

#[test]
fn columns_count_chars_not_bytes() {
    let parsed = parse("É=ü${NOPE}\n", &no_process_env);
    assert_eq!(parsed.warnings[0].pos, pos(1, 4));
}

// --- bounds and resilience -------------------------------------------------

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 30_000;
    let text = format!("A={}x{}\n", "${A:-".repeat(depth), "}".repeat(depth));
    let parsed = parse(&text, &no_process_env);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].kind, EnvErrorKind::NestingTooDeep);
    assert_eq!(parsed.errors[0].kind.code(), "E0102");
    let shallow = format!(
        "A={}x{}\n",
        "${A:-".repeat(MAX_NESTING),
        "}".repeat(MAX_NESTING)
    );
    assert_eq!(value(&shallow, "A"), "x");
}

#[test]
fn too_many_lines_is_an_error() {
    let text = "A=1\n".repeat(MAX_LINES);
    let parsed = parse(&text, &no_process_env);
    assert_eq!(parsed.errors[0].kind.code(), "E0103");
    assert!(parsed.errors[0]
        .to_string()
        .contains("at most 200000 lines"));
}

#[test]
fn a_replacement_character_is_reported_at_its_line_and_column() {
    let parsed = parse("A=1\nB=x\u{fffd}y\n", &no_process_env);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].kind, EnvErrorKind::NotUtf8);
    assert_eq!(parsed.errors[0].pos, pos(2, 4));
}

#[test]
fn reading_carries_on_after_an_error() {
    let parsed = parse("A=1\nB C=2\nD=${\nE=5\n", &no_process_env);
    assert_eq!(parsed.errors.len(), 2);
    assert_eq!(entry(&parsed, "A").value, "1");
    assert_eq!(entry(&parsed, "E").value, "5");
}

#[test]
fn duplicate_keys_keep_all_entries_and_the_last_wins() {
    let parsed = parse_clean("A=1\nA=2\n");
    assert_eq!(parsed.entries.len(), 2);
    assert_eq!(entry(&parsed, "A").value, "2");
}

#[test]
fn key_continuing_on_finds_later_lines_of_multi_line_values_even_refused_ones() {
    let parsed = parse(
        "A=1\nB=\"x\ny\nz\"\nC=2\nD=\"${E:x}\nw\"\nF='open\nG=3\n",
        &no_process_env,
    );
    assert!(parsed.key_continuing_on(2).is_none());
    assert_eq!(parsed.key_continuing_on(3), Some("B"));
    assert_eq!(parsed.key_continuing_on(4), Some("B"));
    assert!(parsed.key_continuing_on(5).is_none());
    assert_eq!(parsed.key_continuing_on(7), Some("D"));
    assert_eq!(parsed.key_continuing_on(9), Some("F"));
}

#[test]
fn reference_orchestrator_env_parses() {
    let text = include_str!("../../../tests/fixtures/reference/orchestrator.env.example");
    let parsed = parse(text, &no_process_env);
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.warnings, vec![]);
    let docker_network = entry(&parsed, "DOCKER_NETWORK");
    assert_eq!(docker_network.value, "aceserver");
    assert_eq!(docker_network.quoting, Quoting::Double);
    assert_eq!(docker_network.value_pos, pos(3, 16));
    assert_eq!(docker_network.value_len, 11);
    assert_eq!(entry(&parsed, "MIN_REPLICAS").value, "10");
    assert_eq!(
        entry(&parsed, "CONTAINER_LABEL").value,
        "orchestrator.managed=acestream"
    );
    assert_eq!(entry(&parsed, "PROXY_MODE").value, "lightweight");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, failure_persistence: None, ..Default::default() })]

    /// Any text made of the syntax's characters is read without a panic,
    /// and every position points inside the file.
    #[test]
    fn any_text_is_read_without_panic_and_positions_stay_in_the_file(
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "A", "b", "1", "_", "=", ":", " ", "\t", "\n", "\r\n", "#", "'", "\"", "\\", "$", "{",
            "}", "-", "+", "?", "export ", "é", "\u{a0}", "\u{2003}", "\u{feff}", "[", ".",
        ]), 0..40)
    ) {
        let text: String = parts.concat();
        let lines = text.split('\n').count() as u32;
        let parsed = parse(&text, &|name| (name == "A").then(|| "env".to_owned()));
        let positions = parsed.entries.iter().flat_map(|e| [e.key_pos, e.value_pos])
            .chain(parsed.errors.iter().map(|e| e.pos))
            .chain(parsed.warnings.iter().map(|w| w.pos));
        for position in positions {
            proptest::prop_assert!(position.line >= 1 && position.line <= lines, "{position:?} in {text:?}");
            proptest::prop_assert!(position.column >= 1);
        }
    }
}

/// Issue 20: `${…}` copies at most [`super::MAX_EXPANDED_BYTES`] per file;
/// a reference past it is refused at its `$`, and the value is not copied.
#[test]
fn references_past_the_expansion_bound_are_refused_at_their_dollar() {
    let big = "x".repeat(4 << 20);
    let mut text = format!("A={big}\n");
    for i in 0..6 {
        text.push_str(&format!("B_{i}=${{A}}\n"));
    }
    let parsed = super::parse(&text, &|_| None);
    // Four copies of 4 MiB fill the 16 MiB; the fifth and sixth are refused.
    let refused: Vec<(u32, u32, &str)> = parsed
        .errors
        .iter()
        .map(|e| (e.pos.line, e.pos.column, e.kind.code()))
        .collect();
    assert_eq!(refused, [(6, 5, "E0105"), (7, 5, "E0105")]);
    assert_eq!(parsed.get("B_3").map(|e| e.value.len()), Some(4 << 20));
    assert!(parsed.get("B_4").is_none());
}
