use super::options_after_subcommand;
use clap::CommandFactory;

fn reordered(words: &[&str]) -> Vec<String> {
    let mut command = crate::cli::Cli::command();
    command.build();
    let args = std::iter::once("acegen")
        .chain(words.iter().copied())
        .map(Into::into)
        .collect();
    options_after_subcommand(&command, args)
        .into_iter()
        .skip(1)
        .map(|w| w.into_string().unwrap())
        .collect()
}

#[test]
fn input_options_before_a_compiling_subcommand_move_after_it() {
    assert_eq!(
        reordered(&["--env-file", "x.env", "check", "--strict"]),
        ["check", "--env-file", "x.env", "--strict"]
    );
    assert_eq!(
        reordered(&["-C", "dir", "diff", "FILE"]),
        ["diff", "-C", "dir", "FILE"]
    );
    assert_eq!(reordered(&["-Cdir", "explain"]), ["explain", "-Cdir"]);
    assert_eq!(
        reordered(&["--set=MIN_REPLICAS=3", "--strict", "generate"]),
        ["generate", "--set=MIN_REPLICAS=3", "--strict"]
    );
}

#[test]
fn an_option_value_that_names_a_subcommand_is_not_taken_for_one() {
    assert_eq!(
        reordered(&["--env-file", "check", "diff"]),
        ["diff", "--env-file", "check"]
    );
}

#[test]
fn other_command_lines_are_left_to_clap() {
    for words in [
        &["-o", "docker-compose.yml"][..],
        &["check", "--env-file", "x"],
        &["--env-file", "x", "schema", "env"],
        &["--no-such-flag", "check"],
        &["--", "check"],
    ] {
        assert_eq!(reordered(words), words, "{words:?}");
    }
}
