//! Loading: finds and reads the input files. Nothing here judges their
//! content; an unreadable file is an I/O error (exit 2), not a diagnostic.

pub mod dotenv;
pub mod guard;
pub mod json_positions;
pub mod project;

use camino::{Utf8Path, Utf8PathBuf};
use std::fmt;
use std::io::ErrorKind;

pub const DEFAULT_ENV_FILE: &str = ".env";
pub const CUSTOM_VARIANT_FILE: &str = "custom_engine_variant.json";
/// `--env-file -`: read the `.env` text from standard input.
pub const STDIN: &str = "-";
/// How a file read from standard input is named in messages.
pub const STDIN_NAME: &str = "<stdin>";
/// How messages name the `.env` file.
const ENV_FILE: &str = ".env file";

/// Which files to read; `None` means the default place.
#[derive(Debug, Clone, Default)]
pub struct InputPaths {
    pub env_file: Option<Utf8PathBuf>,
    pub custom_variant: Option<Utf8PathBuf>,
    pub template: Option<Utf8PathBuf>,
    /// `--project-directory`: the stack's folder (else found as compose finds it).
    pub project_dir: Option<Utf8PathBuf>,
}

/// A file that was read, with the path as the user will see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: Utf8PathBuf,
    pub text: String,
    /// Built on the first [`SourceFile::line`]: diagnostics quote lines, and
    /// finding each from the start of the text is quadratic (issue 16).
    lines: std::sync::OnceLock<crate::diagnostic::LineIndex>,
}

impl SourceFile {
    pub fn new(path: Utf8PathBuf, text: String) -> Self {
        Self {
            path,
            text,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// Line `number` (1-based) without its line break, and whether it is ASCII.
    pub fn line(&self, number: u32) -> Option<(&str, bool)> {
        self.lines
            .get_or_init(|| crate::diagnostic::LineIndex::new(&self.text))
            .line(&self.text, number)
    }
}

#[derive(Debug, Clone)]
pub struct Inputs {
    /// The `.env` path, whether or not the file exists.
    pub env_path: Utf8PathBuf,
    /// `None` when the default `.env` does not exist: every key takes its default.
    pub env: Option<SourceFile>,
    pub custom_variant: Option<SourceFile>,
    pub template: Option<SourceFile>,
    /// The stack's folder: where the default `.env` and compose file are
    /// (`""` for the current folder).
    pub project_dir: Utf8PathBuf,
    pub project_source: project::ProjectSource,
}

/// Inputs held in memory, for tests, benches and fuzz targets: nothing is
/// read from disk. The files are named as [`load`] names them in the current
/// folder, which is the project folder (as with `--project-directory .`).
impl Inputs {
    /// No `.env` and no custom variant: every key takes its default.
    pub fn without_files() -> Self {
        Self {
            env_path: Utf8PathBuf::from(DEFAULT_ENV_FILE),
            env: None,
            custom_variant: None,
            template: None,
            project_dir: Utf8PathBuf::new(),
            project_source: project::ProjectSource::Option,
        }
    }

    /// `env` as the text of `.env`.
    pub fn from_text(env: impl Into<String>) -> Self {
        Self {
            env: Some(SourceFile::new(DEFAULT_ENV_FILE.into(), env.into())),
            ..Self::without_files()
        }
    }

    /// With `text` as `custom_engine_variant.json` beside the `.env`.
    pub fn with_custom_variant(self, text: impl Into<String>) -> Self {
        Self {
            custom_variant: Some(SourceFile::new(CUSTOM_VARIANT_FILE.into(), text.into())),
            ..self
        }
    }
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

fn read(path: &Utf8Path, what: &str, stack: &Utf8Path) -> Result<Option<SourceFile>, LoadError> {
    if path != STDIN {
        guard::check_input(path, stack).map_err(|refused| LoadError {
            path: path.to_owned(),
            message: format!("the {what} {refused}"),
        })?;
    }
    let bytes = if path == STDIN {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    };
    let path = if path == STDIN {
        Utf8Path::new(STDIN_NAME)
    } else {
        path
    };
    match bytes {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(SourceFile::new(path.to_owned(), text))),
            // The `.env` reader reports such a byte (read as U+FFFD) at its
            // line and column, as a diagnostic rather than an I/O error.
            Err(e) if what == ENV_FILE => Ok(Some(SourceFile::new(
                path.to_owned(),
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
            ))),
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

fn required(path: &Utf8Path, what: &str, stack: &Utf8Path) -> Result<SourceFile, LoadError> {
    read(path, what, stack)?.ok_or_else(|| LoadError {
        path: path.to_owned(),
        message: format!("the {what} does not exist"),
    })
}

/// The folder a file is in, as a path that can be joined (`""` for `.env`).
fn folder_of(path: &Utf8Path) -> &Utf8Path {
    path.parent().unwrap_or(Utf8Path::new(""))
}

/// The project folder and where it came from.
fn project_folder(paths: &InputPaths) -> Result<(Utf8PathBuf, project::ProjectSource), LoadError> {
    if let Some(dir) = &paths.project_dir {
        if !dir.is_dir() {
            return Err(LoadError {
                path: dir.clone(),
                message: "the project directory (--project-directory) is not a folder".to_owned(),
            });
        }
        return Ok((dir.clone(), project::ProjectSource::Option));
    }
    match &paths.env_file {
        Some(path) if path != STDIN => {
            Ok((folder_of(path).to_owned(), project::ProjectSource::EnvFile))
        }
        _ => Ok(project::search_from_current_folder()),
    }
}

/// Reads the inputs. Files named on the command line must exist; the
/// default `.env` and the custom variant beside it are optional.
pub fn load(paths: &InputPaths) -> Result<Inputs, LoadError> {
    let (project_dir, project_source) = project_folder(paths)?;
    let env_path = paths
        .env_file
        .clone()
        .unwrap_or_else(|| project_dir.join(DEFAULT_ENV_FILE));
    let env = match &paths.env_file {
        Some(path) => Some(required(path, ENV_FILE, &project_dir)?),
        None => read(&env_path, ENV_FILE, &project_dir)?,
    };
    // Beside the .env; a .env from standard input has no folder: the project's.
    let variant_folder = match env_path == STDIN {
        true => project_dir.as_path(),
        false => folder_of(&env_path),
    };
    let custom_variant = match &paths.custom_variant {
        Some(path) => Some(required(path, "custom variant file", &project_dir)?),
        None => read(
            &variant_folder.join(CUSTOM_VARIANT_FILE),
            "custom variant file",
            &project_dir,
        )?,
    };
    let template = match &paths.template {
        Some(path) => Some(required(path, "template", &project_dir)?),
        None => None,
    };
    let env_path = match env_path == STDIN {
        true => Utf8PathBuf::from(STDIN_NAME),
        false => env_path,
    };
    Ok(Inputs {
        env_path,
        env,
        custom_variant,
        template,
        project_dir,
        project_source,
    })
}
