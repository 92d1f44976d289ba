//! A large or minified custom variant file (issue 16 item 6): every
//! diagnostic's excerpt is clipped, so stderr grows with the number of
//! problems, not with problems times the length of the line.

mod common;

use common::{acegen, folder_with, stderr};

#[test]
fn a_minified_file_does_not_repeat_its_line_in_every_diagnostic() {
    let parameters: Vec<String> = (0..2000)
        .map(|i| format!(r#"{{"name":"--unknown-{i}","type":"int","value":{i},"enabled":true}}"#))
        .collect();
    let text = format!(
        r#"{{"enabled":true,"platform":"amd64","parameters":[{}]}}"#,
        parameters.join(",")
    );
    assert!(text.len() > 100_000 && !text.contains('\n'));
    let dir = folder_with(&[
        (".env", "MIN_REPLICAS=1\n"),
        ("custom_engine_variant.json", &text),
    ]);
    let output = acegen(dir.path(), &["check"]);
    let err = stderr(&output);
    // The text report prints the first 20 of a code per file, then a count.
    assert_eq!(err.matches("warning[W0301]").count(), 20);
    assert!(err.contains("… and 1980 more W0301"), "{err}");
    assert!(err.len() < 20 * 600 + 1000, "{} bytes on stderr", err.len());
    let widest = err
        .lines()
        .filter(|l| !l.starts_with("… and "))
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(widest <= 140, "a line of {widest} characters");
    // The marker still points at the parameter's name in the clipped excerpt.
    let excerpt = err
        .lines()
        .skip_while(|l| !l.contains("`--unknown-10`"))
        .nth(3)
        .unwrap();
    assert!(
        excerpt.starts_with("1 | …") && excerpt.ends_with('…'),
        "{excerpt}"
    );
    let marker = err
        .lines()
        .skip_while(|l| !l.contains("`--unknown-10`"))
        .nth(4)
        .unwrap();
    let at = marker.find('^').unwrap();
    let marked: String = excerpt.chars().skip(at).collect();
    assert!(
        marked.starts_with("\"--unknown-10\""),
        "{excerpt}\n{marker}"
    );
}
