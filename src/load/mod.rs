//! Loading: finds and reads the input files. Nothing here judges their
//! content; an unreadable file is an I/O error (exit 2), not a diagnostic.

pub mod dotenv;
pub mod json_positions;

use camino::{Utf8Path, Utf8PathBuf};
use std::fmt;
use std::io::ErrorKind;

pub const DEFAULT_ENV_FILE: &str = ".env";
pub const CUSTOM_VARIANT_FILE: &str = "custom_engine_variant.json";
/// How messages name the `.env` file.
const ENV_FILE: &str = ".env file";

/// Which files to read; `None` means the default place.
#[derive(Debug, Clone, Default)]
pub struct InputPaths {
    pub env_file: Option<Utf8PathBuf>,
    pub custom_variant: Option<Utf8PathBuf>,
    pub template: Option<Utf8PathBuf>,
}

/// A file that was read, with the path as the user will see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: Utf8PathBuf,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Inputs {
    /// The `.env` path, whether or not the file exists.
    pub env_path: Utf8PathBuf,
    /// `None` when the default `.env` does not exist: every key takes its default.
    pub env: Option<SourceFile>,
    pub custom_variant: Option<SourceFile>,
    pub template: Option<SourceFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: Utf8PathBuf,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

fn read(path: &Utf8Path, what: &str) -> Result<Option<SourceFile>, LoadError> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(SourceFile {
                path: path.to_owned(),
                text,
            })),
            // The `.env` reader reports such a byte (read as U+FFFD) at its
            // line and column, as a diagnostic rather than an I/O error.
            Err(e) if what == ENV_FILE => Ok(Some(SourceFile {
                path: path.to_owned(),
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            })),
            Err(e) => Err(LoadError {
                path: path.to_owned(),
                message: format!(
                    "the {what} is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            }),
        },
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(LoadError {
            path: path.to_owned(),
            message: format!("cannot read the {what}: {e}"),
        }),
    }
}

fn required(path: &Utf8Path, what: &str) -> Result<SourceFile, LoadError> {
    read(path, what)?.ok_or_else(|| LoadError {
        path: path.to_owned(),
        message: format!("the {what} does not exist"),
    })
}

/// The folder a file is in, as a path that can be joined (`""` for `.env`).
fn folder_of(path: &Utf8Path) -> &Utf8Path {
    path.parent().unwrap_or(Utf8Path::new(""))
}

/// Reads the inputs. Files named on the command line must exist; the
/// default `.env` and the custom variant beside it are optional.
pub fn load(paths: &InputPaths) -> Result<Inputs, LoadError> {
    let env_path = paths
        .env_file
        .clone()
        .unwrap_or_else(|| Utf8PathBuf::from(DEFAULT_ENV_FILE));
    let env = match &paths.env_file {
        Some(path) => Some(required(path, ENV_FILE)?),
        None => read(&env_path, ENV_FILE)?,
    };
    let custom_variant = match &paths.custom_variant {
        Some(path) => Some(required(path, "custom variant file")?),
        None => read(
            &folder_of(&env_path).join(CUSTOM_VARIANT_FILE),
            "custom variant file",
        )?,
    };
    let template = match &paths.template {
        Some(path) => Some(required(path, "template")?),
        None => None,
    };
    Ok(Inputs {
        env_path,
        env,
        custom_variant,
        template,
    })
}
