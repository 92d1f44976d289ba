use super::*;

#[test]
fn plain_words_stay_plain_and_others_are_single_quoted() {
    assert_eq!(shell_word("--env-file"), "--env-file");
    assert_eq!(shell_word("stack/.env"), "stack/.env");
    assert_eq!(shell_word("my stack/.env"), "'my stack/.env'");
    assert_eq!(shell_word("it's"), r"'it'\''s'");
    assert_eq!(shell_word(""), "''");
}

#[test]
fn every_character_that_ends_a_comment_line_is_escaped() {
    let attacks = [
        ("X\ninclude: [evil.yml]\n#", r"$'X\ninclude: [evil.yml]\n#'"),
        ("a\rb", r"$'a\rb'"),
        ("a\u{85}b", r"$'a\u0085b'"),
        ("a\u{2028}b", r"$'a\u2028b'"),
        ("a\u{2029}b", r"$'a\u2029b'"),
        ("a\u{1b}[2Jb", r"$'a\x1B[2Jb'"),
        ("a\u{202E}b'\\", r"$'a\u202Eb\'\\'"),
    ];
    for (word, quoted) in attacks {
        assert_eq!(shell_word(word), quoted, "{word:?}");
        assert!(!shell_word(word).chars().any(needs_escape));
    }
}

#[test]
fn a_quoted_word_reads_back_as_the_same_word_in_bash() {
    let Ok(bash) = which_bash() else { return };
    for word in [
        "plain",
        "a b",
        "it's",
        "x\ny\u{2028}z\\'\"$HOME`id`",
        "\u{85}\r\t",
    ] {
        let out = std::process::Command::new(&bash)
            .arg("-c")
            .arg(format!("printf %s {}", shell_word(word)))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), word);
    }
}

fn which_bash() -> Result<std::path::PathBuf, ()> {
    ["/bin/bash", "/usr/bin/bash"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
        .ok_or(())
}

#[test]
fn absolute_paths_inside_the_current_folder_become_relative() {
    let cwd = camino::Utf8PathBuf::from_path_buf(std::env::current_dir().unwrap()).unwrap();
    assert_eq!(shown_path(&cwd.join("stack/.env")), "stack/.env");
    assert_eq!(shown_path(Utf8Path::new("../x/.env")), "../x/.env");
    assert_eq!(
        shown_path(Utf8Path::new("/elsewhere/.env")),
        "/elsewhere/.env"
    );
}
