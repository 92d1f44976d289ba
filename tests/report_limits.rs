//! Diagnostics reports stay safe and bounded whatever the input holds:
//! terminal escape sequences are shown escaped, a long line is clipped
//! around the column, and many diagnostics of one kind are summarised.

mod common;

use common::{acegen, folder_with, stderr, stdout};

const HOSTILE_VALUE: &str = "\x1b[2J\x1b]0;pwned\x07\u{9b}31m\u{202e}evil\r";

fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| (c.is_control() && !matches!(c, '\n' | '\t')) || *c == '\u{202e}')
        .collect()
}

#[test]
fn escape_sequences_from_input_are_shown_escaped_in_text_and_github() {
    let env = format!("MIN_REPLICAS={HOSTILE_VALUE}\nCUSTOM\x1b[31mKEY=1\n");
    let dir = folder_with(&[(".env", &env)]);
    let text = acegen(dir.path(), &["check"]);
    assert_eq!(text.status.code(), Some(1));
    let err = stderr(&text);
    assert_eq!(raw_controls(&err), Vec::<char>::new(), "{err}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
    assert!(err.contains("\\u{202e}"), "{err}");

    let github = acegen(dir.path(), &["check", "--format", "github"]);
    let out = stdout(&github);
    assert_eq!(raw_controls(&out), Vec::<char>::new(), "{out}");
    assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{out}");
}

#[test]
fn a_long_line_is_clipped_around_the_column_with_an_ellipsis() {
    let env = format!("MIN_REPLICAS={}x\n", "9".repeat(100_000));
    let dir = folder_with(&[(".env", &env)]);
    let output = acegen(dir.path(), &["check"]);
    let err = stderr(&output);
    let excerpt = err
        .lines()
        .find(|l| l.starts_with("1 | "))
        .expect("an excerpt line");
    assert!(excerpt.chars().count() < 200, "{excerpt}");
    assert!(excerpt.contains('…'), "{excerpt}");
    assert!(err.len() < 4_000, "stderr is {} bytes", err.len());
}

#[test]
fn many_diagnostics_of_one_code_are_summarised() {
    let env: String = "ENGNE_VARIANT=1\n".repeat(500);
    let dir = folder_with(&[(".env", &env)]);
    let output = acegen(dir.path(), &["check"]);
    let err = stderr(&output);
    assert_eq!(err.matches("warning[W0101]").count(), 20, "{err}");
    assert!(err.contains("… and 480 more W0101 in .env"), "{err}");
    assert!(err.contains("0 errors, 500 warnings"), "{err}");

    let github = stdout(&acegen(dir.path(), &["check", "--format", "github"]));
    assert_eq!(github.matches("::warning ").count(), 20);
    assert!(github.contains("::notice title=W0101::… and 480 more W0101 in .env"));

    let json = stdout(&acegen(dir.path(), &["check", "--format", "json"]));
    assert_eq!(json.matches("\"W0101\"").count(), 500, "JSON lists all");
}
