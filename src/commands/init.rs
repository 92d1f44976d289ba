//! `acegen init`: write a starter `.env` and `custom_engine_variant.json`
//! into a folder (made when missing), refusing to overwrite either.

use super::{EXIT_OK, EXIT_USAGE_OR_IO};
use camino::Utf8PathBuf;
use clap::Args;
use std::io::Write;

const STARTER_ENV: &str = include_str!("../../templates/starter.env");
/// `--orchestrator 2.1`: the keys 2.1 reads from its environment (no custom
/// variant file: 2.1 never reads one).
const STARTER_ENV_2_1: &str = include_str!("../../templates/starter-2.1.env");
const STARTER_CUSTOM_VARIANT: &str =
    include_str!("../../templates/starter.custom_engine_variant.json");

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Folder to write the files into (created when missing)
    #[arg(default_value = ".")]
    pub folder: Utf8PathBuf,
    /// Which orchestrator the starter is for: 1.5, or 2.1 (a .env only)
    #[arg(long, value_enum, default_value_t, value_name = "VERSION")]
    pub orchestrator: crate::orchestrator21::Version,
}

pub fn run(args: &InitArgs) -> u8 {
    // `acegen init new-stack` makes the folder, as `cargo new` does.
    if let Err(e) = std::fs::create_dir_all(&args.folder) {
        crate::report::print_error(&format!("{}: cannot create the folder: {e}", args.folder));
        return EXIT_USAGE_OR_IO;
    }
    let files = match args.orchestrator {
        crate::orchestrator21::Version::V1_5 => vec![
            (args.folder.join(".env"), STARTER_ENV),
            (
                args.folder.join(crate::load::CUSTOM_VARIANT_FILE),
                STARTER_CUSTOM_VARIANT,
            ),
        ],
        crate::orchestrator21::Version::V2_1 => vec![(args.folder.join(".env"), STARTER_ENV_2_1)],
    };
    if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
        crate::report::print_error(&format!(
            "{path} already exists; init writes nothing over existing files"
        ));
        return EXIT_USAGE_OR_IO;
    }
    for (path, text) in &files {
        // create_new: never replace a file that appeared since the check above.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            crate::report::print_error(&format!("{path}: cannot write: {e}"));
            return EXIT_USAGE_OR_IO;
        }
        eprintln!(
            "acegen: wrote {}",
            crate::report::printable::printable(path.as_str())
        );
    }
    EXIT_OK
}
