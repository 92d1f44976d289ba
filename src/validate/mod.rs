//! Validation: the `.env` syntax and values, the custom variant file, and
//! the warnings about keys that look mistyped.

pub mod custom_variant;
pub mod settings;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, Position};
use crate::keys::{self, KEYS};
use crate::load::dotenv::{self, EnvError, EnvWarningKind, ParsedEnv};
use crate::load::Inputs;
use camino::Utf8Path;
use custom_variant::CustomVariant;
use settings::{Override, Settings};

/// Everything validation produced: settings always (defaults stand in for
/// bad values, so later stages can still report their own problems).
#[derive(Debug, Clone)]
pub struct Validated {
    pub env: ParsedEnv,
    pub settings: Settings,
    pub custom_variant: Option<CustomVariant>,
}

pub fn validate(
    inputs: &Inputs,
    overrides: &[Override],
    diagnostics: &mut Diagnostics,
) -> Validated {
    let env = match &inputs.env {
        Some(file) => dotenv::parse(&file.text, &|key| std::env::var(key).ok()),
        None => ParsedEnv::default(),
    };
    let env_path = &inputs.env_path;
    let env_text = inputs.env.as_ref().map_or("", |f| f.text.as_str());
    diagnostics.extend(env.errors.iter().map(|e| env_error(env_path, env_text, e)));
    diagnostics.extend(env_warnings(env_path, env_text, &env));
    diagnostics.extend(override_problems(overrides));
    let (settings, errors) = settings::read_settings(&env, env_path, overrides);
    diagnostics.extend(errors.iter().map(|e| e.to_diagnostic()));
    let custom_variant = inputs.custom_variant.as_ref().and_then(|file| {
        let (variant, problems) = custom_variant::check_custom_variant(&file.path, &file.text);
        diagnostics.extend(problems.iter().map(|p| p.to_diagnostic(&file.path)));
        variant
    });
    Validated {
        env,
        settings,
        custom_variant,
    }
}

/// A `.env` syntax error; the text of a line that names a secret is not repeated.
fn env_error(file: &Utf8Path, text: &str, error: &EnvError) -> Diagnostic {
    let line_text = text.lines().nth(error.pos.line as usize - 1).unwrap_or("");
    let first_word = line_text
        .split(|c: char| c == '=' || c.is_whitespace())
        .find(|w| !w.is_empty() && *w != "export")
        .unwrap_or("");
    let message = if keys::looks_secret(first_word) {
        format!("line of the secret-looking key `{first_word}` is not `KEY=VALUE` (its text is not shown)")
    } else {
        error.to_string()
    };
    Diagnostic::error("E0101", message)
        .at(Location::at(file, error.pos, error.len))
        .with_hint(
            "each line is `KEY=VALUE`, a `# comment` or blank; quote values with spaces or `#`",
        )
}

/// A `$NAME` or `${NAME…}` reference as written at `pos`, so that the
/// message quotes it and the marker covers all of it.
fn reference_as_written(text: &str, pos: Position, name: &str) -> String {
    let written = text
        .lines()
        .nth(pos.line as usize - 1)
        .map(|line| {
            line.chars()
                .skip(pos.column as usize - 1)
                .collect::<String>()
        })
        .filter(|rest| rest.starts_with("${"))
        .and_then(|rest| rest.find('}').map(|end| rest[..=end].to_owned()));
    written.unwrap_or_else(|| format!("${name}"))
}

fn env_warnings(file: &Utf8Path, text: &str, env: &ParsedEnv) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = env
        .warnings
        .iter()
        .map(|w| match &w.kind {
            EnvWarningKind::UnresolvedVariable { name } => {
                let written = reference_as_written(text, w.pos, name);
                Diagnostic::warning(
                "W0102",
                format!("`{written}` in {} is not defined earlier in the file nor in the environment; it is empty", w.key),
            )
            .at(Location::at(file, w.pos, written.chars().count()))
            .with_hint(format!("define {name} above this line, or write `$$` for a literal `$`"))
            }
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for entry in &env.entries {
        if keys::spec(&entry.key).is_some() || keys::is_gluetun_key(&entry.key) {
            if !seen.insert(entry.key.as_str()) {
                warnings.push(
                    Diagnostic::warning(
                        "W0103",
                        format!("{} is defined again here; this later value wins", entry.key),
                    )
                    .at(Location::at(file, entry.key_pos, entry.key.len()))
                    .with_hint("remove the earlier definition"),
                );
            }
            continue;
        }
        if let Some(known) = one_edit_away(&entry.key) {
            warnings.push(
                Diagnostic::warning("W0101", format!("unknown key {}; it is ignored", entry.key))
                    .at(Location::at(file, entry.key_pos, entry.key.len()))
                    .with_hint(format!("did you mean {known}?")),
            );
        }
    }
    warnings
}

/// A known key one edit (insert, delete, substitute or swap) away from `key`.
pub fn one_edit_away(key: &str) -> Option<&'static str> {
    KEYS.iter()
        .map(|spec| spec.name)
        .find(|known| strsim::damerau_levenshtein(known, key) == 1)
}

fn override_problems(overrides: &[Override]) -> Vec<Diagnostic> {
    overrides
        .iter()
        .filter(|o| keys::spec(&o.key).is_none())
        .map(|o| {
            let mut d = Diagnostic::warning(
                "W0104",
                format!(
                    "--set {}: acegen does not read this key; it is ignored",
                    o.key
                ),
            );
            if let Some(known) = one_edit_away(&o.key) {
                d = d.with_hint(format!("did you mean {known}?"));
            }
            d
        })
        .collect()
}
