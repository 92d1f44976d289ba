//! `acegen man --dir DIR` writes a page for acegen and for every subcommand
//! it names, each with every option; completion after `--set` offers the
//! keys acegen reads.

mod common;

use clap::CommandFactory;
use common::{acegen, folder_with, stderr, stdout};

/// A long option as roff writes it (`--env-file` → `\-\-env\-file`).
fn roff(text: &str) -> String {
    text.replace('-', "\\-")
}

#[test]
fn every_subcommand_has_a_page_with_every_option() {
    let dir = folder_with(&[]);
    let output = acegen(dir.path(), &["man", "--dir", "pages"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pages = dir.path().join("pages");
    let main_page = std::fs::read_to_string(pages.join("acegen.1")).unwrap();
    let mut command = acegen::cli::Cli::command().disable_help_subcommand(true);
    command.build();
    for sub in command.get_subcommands() {
        let name = format!("acegen-{}", sub.get_name());
        // The main page refers to it, and it exists.
        assert!(main_page.contains(&format!("{}(1)", roff(&name))), "{name}");
        let page = std::fs::read_to_string(pages.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                let option = roff(&format!("--{long}"));
                assert!(page.contains(&option), "{name}.1 lacks {option}");
            }
        }
    }
    // A subcommand's page has its own options, e.g. diff's context lines.
    let diff = std::fs::read_to_string(pages.join("acegen-diff.1")).unwrap();
    assert!(diff.contains(&roff("--allow-missing")) && diff.contains(&roff("--env-file")));
}

#[test]
fn man_without_dir_still_prints_the_main_page() {
    let dir = folder_with(&[]);
    let output = acegen(dir.path(), &["man"]);
    assert!(output.status.success());
    assert!(stdout(&output).contains(".TH acegen 1"));
}

#[test]
fn completion_after_set_offers_the_keys() {
    let dir = folder_with(&[]);
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&acegen(dir.path(), &["completions", shell]));
        for key in acegen::keys::KEYS {
            assert!(
                script.contains(&format!("{}=", key.name)),
                "{shell}: {}",
                key.name
            );
        }
    }
    // Offering keys does not restrict them: Gluetun's keys and typos still parse (W0104).
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let output = acegen(
        dir.path(),
        &["check", "--set", "VPN_SERVICE_PROVIDER=custom"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("W0104"));
}
