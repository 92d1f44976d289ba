//! Compose's second read of `.env` (expected outcomes measured on compose
//! v2.40.3; `tests/compose_dotenv.rs` checks them against the real binary).

use super::super::{parse, EnvErrorKind, ParsedEnv};
use crate::diagnostic::Position;

fn read(text: &str) -> ParsedEnv {
    parse(text, &|_| None)
}

/// The one error of `text`, which must be the second read's refusal of
/// `${name:?…}` emptied on `line`.
fn refused_for(text: &str, name: &str, line: u32) -> Position {
    let parsed = read(text);
    assert_eq!(parsed.errors.len(), 1, "{text:?} gave {:#?}", parsed.errors);
    let error = &parsed.errors[0];
    match &error.kind {
        EnvErrorKind::RequiredVariableEmptiedLater {
            name: found,
            emptied_on_line,
            ..
        } => {
            assert_eq!(found, name);
            assert_eq!(*emptied_on_line, line, "{error}");
        }
        other => panic!("{text:?}: expected the second read's refusal, got {other:?}"),
    }
    assert_eq!(error.kind.code(), "E0101", "compose refuses it too");
    error.pos
}

#[test]
fn a_later_empty_definition_refuses_an_earlier_required_reference() {
    let position = refused_for("A=1\nB=${A:?m}\nA=\n", "A", 3);
    assert_eq!(position, Position::new(2, 3), "at the `$` of the reference");
    let message = read("A=1\nB=${A:?m}\nA=\n").errors[0].to_string();
    assert!(message.contains("line 3"), "{message}");
    assert!(
        message.ends_with(": m"),
        "compose's message is kept: {message}"
    );
}

#[test]
fn every_form_compose_refuses_is_refused() {
    refused_for("A=1\nB=${X:-${A:?m}}\nA=\n", "A", 3);
    refused_for("A=1\nB=${X:+${A:?m}}\nA=\n", "A", 3);
    refused_for("A=1\nB=\"${A:?m}\"\nA=\n", "A", 3);
    refused_for("A=1\nB=${A:?m}\nE=\nA=${E}\n", "A", 4);
    refused_for("A=1\nB=${A:?m}\nexport A=''\n", "A", 3);
    refused_for(
        "TZ=Europe/Paris\nSERVER_CITIES=${TZ:?set TZ}\nTZ=\n",
        "TZ",
        3,
    );
}

#[test]
fn what_the_second_read_accepts_keeps_the_first_reads_values() {
    // Single quotes are literal; `?` without `:` accepts an empty value;
    // a default does not fail.
    for text in [
        "A=1\nB='${A:?m}'\nA=\n",
        "A=1\nB=${A?m}\nA=\n",
        "A=1\nB=${A:-x}\nA=\n",
        "A=1\nB=${A:?m}\nA=2\n",
    ] {
        let parsed = read(text);
        assert_eq!(parsed.errors, vec![], "{text:?}");
    }
    let parsed = read("A=1\nB=${A}\nA=2\n");
    assert_eq!(
        parsed.get("B").unwrap().value,
        "1",
        "values of the first read"
    );
    assert_eq!(parsed.get("A").unwrap().value, "2");
}

#[test]
fn the_process_environment_answers_both_reads() {
    let shell = |name: &str| (name == "A").then(|| "from-shell".to_owned());
    let parsed = parse("A=1\nB=${A:?m}\nA=\n", &shell);
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.get("B").unwrap().value, "from-shell");
}

#[test]
fn a_file_the_first_read_refuses_is_not_read_again() {
    // A is empty on B's line: one error, the first read's.
    let parsed = read("A=\nB=${A:?m}\nA=1\n");
    assert_eq!(parsed.errors.len(), 1);
    assert!(matches!(
        parsed.errors[0].kind,
        EnvErrorKind::RequiredVariable { .. }
    ));
}
