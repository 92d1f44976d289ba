//! Validation: the `.env` syntax and values, the custom variant file, and
//! the warnings about keys that look mistyped.

pub mod command_line_secrets;
pub mod custom_variant;
mod near_miss;
pub mod settings;
mod written_in_clear;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::keys;
use crate::load::dotenv::{self, shown, EnvError, EnvErrorKind, EnvWarningKind, ParsedEnv};
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
    // Indexed once: a file may have an error on each of its many lines.
    let env_lines: Vec<&str> = env_text.lines().collect();
    diagnostics.extend(
        env.errors
            .iter()
            .map(|e| env_error(env_path, &env_lines, e)),
    );
    diagnostics.extend(env_warnings(env_path, &env));
    diagnostics.extend(override_problems(overrides));
    diagnostics.extend(command_line_secrets::secrets_on_command_line(overrides));
    diagnostics.extend(written_in_clear::secrets_written_in_clear(
        env_path, &env, overrides,
    ));
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

/// A `.env` error. Text from a secret value is not repeated: neither on the
/// line of a secret-looking key, nor inside a value being read for one.
fn env_error(file: &Utf8Path, lines: &[&str], error: &EnvError) -> Diagnostic {
    let line_text = lines
        .get((error.pos.line as usize).saturating_sub(1))
        .copied()
        .unwrap_or("");
    let first_word = line_text
        .split(|c: char| c == '=' || c == ':' || c.is_whitespace())
        .find(|w| !w.is_empty() && *w != "export")
        .unwrap_or("");
    let secret = [first_word, error.key.as_str()]
        .iter()
        .any(|word| keys::looks_secret(word) || keys::near_secret_key(word));
    let message = if secret {
        format!(
            "the value of the secret-looking key `{}` cannot be read (its text is not shown): {}",
            // Only a key acegen knows is named: any other word may be
            // text of the secret.
            if keys::spec(first_word).is_some() || keys::is_gluetun_key(first_word) {
                first_word
            } else {
                "…"
            },
            secret_safe_reason(&error.kind)
        )
    } else if !shown::is_known_key(&error.key) {
        unreadable_line_message(error)
    } else {
        error.to_string()
    };
    let hint = match (&error.kind, error.kind.code()) {
        (EnvErrorKind::RequiredVariableEmptiedLater { .. }, _) => {
            "remove or fill in the later definition, or do not require the variable with `:?`"
        }
        (_, "E0102") => "write the value without so many nested `${…}`",
        (_, "E0103") => "split the configuration; a `.env` of this size is not a hand-written file",
        (_, "E0104") => "save the file as UTF-8",
        (_, "E0105") => "a value that repeats another several times, line after line, grows exponentially; write the value out",
        _ => "each line is `KEY=VALUE`, a `# comment` or blank; quote values with spaces or `#`",
    };
    Diagnostic::error(error.kind.code(), message)
        .at(Location::at(file, error.pos, error.len))
        .with_hint(hint)
}

/// The message for an error on a line whose key acegen does not know:
/// the reader may have lost its place (a word before the key, a later line
/// of a multi-line value), so the line's text is repeated only as
/// [`shown`] allows.
fn unreadable_line_message(error: &EnvError) -> String {
    match &error.kind {
        EnvErrorKind::KeyWithSpace { first_word } if shown::is_repeatable_word(first_word) => {
            error.to_string()
        }
        EnvErrorKind::KeyWithSpace { .. } => "a key cannot contain a space; expected `KEY=VALUE` \
             (words that are not keys acegen knows are not shown: the line may hold a secret)"
            .to_owned(),
        EnvErrorKind::InvalidSubstitution { .. } | EnvErrorKind::RequiredVariable { .. } => {
            format!(
                "{} (the text is not shown: the line may hold a secret)",
                secret_safe_reason(&error.kind)
            )
        }
        _ => error.to_string(),
    }
}

/// What went wrong, without any text taken from the value.
fn secret_safe_reason(kind: &EnvErrorKind) -> &'static str {
    match kind {
        EnvErrorKind::UnexpectedCharacter { .. } => "a key holds a character compose refuses",
        EnvErrorKind::KeyWithSpace { .. } => "a key cannot contain a space",
        EnvErrorKind::UnterminatedQuote { .. } => "a quoted value is not closed",
        EnvErrorKind::InvalidSubstitution { .. } => {
            "a `${` does not start `${NAME}` or `${NAME<op>text}` closed on its line"
        }
        EnvErrorKind::RequiredVariable { .. } => "a required `${VAR:?…}` is not set",
        EnvErrorKind::RequiredVariableEmptiedLater { .. } => {
            "a required `${VAR:?…}` is empty at the end of the file, where compose reads it again"
        }
        EnvErrorKind::NestingTooDeep => "`${…}` is nested too deep",
        EnvErrorKind::TooLarge { .. } => "the file is too large",
        EnvErrorKind::NotUtf8 => "a byte is not UTF-8",
        EnvErrorKind::ExpansionTooLarge => "`${…}` references copy too much text",
        EnvErrorKind::ExportWithoutKey => "`export` ends the file with no key after it",
    }
}

fn env_warnings(file: &Utf8Path, env: &ParsedEnv) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = env
        .warnings
        .iter()
        .map(|w| match &w.kind {
            EnvWarningKind::UnresolvedVariable { name } => {
                let secret = keys::holds_secret(&w.key) || keys::near_secret_key(&w.key);
                let (message, hint) = if secret {
                    (
                        format!("a `$` in the value of the secret-looking key {} refers to a variable that is not set; that part is empty", w.key),
                        "write `$$` for a literal `$`".to_owned(),
                    )
                } else {
                    (
                        format!("`{}` in {} is not defined earlier in the file nor in the environment; it is empty", w.written, w.key),
                        format!("define {name} above this line, or write `$$` for a literal `$`"),
                    )
                };
                Diagnostic::warning("W0102", message)
                    .at(Location::at(file, w.pos, w.written.chars().count()))
                    .with_hint(hint)
            }
        })
        .collect();
    warnings.extend(environment_dependence(file, env));
    warnings.extend(silently_misread(file, env));
    warnings.extend(keys_compose_cannot_pass(file, env));
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
            if let Some(known) = near_miss::gluetun_style_near_miss(&entry.key) {
                let warning = format!("unknown key {}; it is ignored", entry.key);
                warnings.push(
                    near_miss_diagnostic(&entry.key, "W0101", warning, known).at(Location::at(
                        file,
                        entry.key_pos,
                        entry.key.len(),
                    )),
                );
            }
            continue;
        }
        if let Some(known) = near_miss::near_miss(&entry.key) {
            warnings.push(
                near_miss_diagnostic(
                    &entry.key,
                    "W0101",
                    format!("unknown key {}; it is ignored", entry.key),
                    known,
                )
                .at(Location::at(file, entry.key_pos, entry.key.len())),
            );
        }
    }
    warnings
}

/// E0110 when ignoring the key changes the VPN, a secret, the published
/// interfaces or the engine count; else the warning `code` with `warning`.
fn near_miss_diagnostic(
    subject: &str,
    code: &'static str,
    warning: String,
    known: &str,
) -> Diagnostic {
    if near_miss::is_an_error(known) {
        Diagnostic::error(
            "E0110",
            format!("{subject}: acegen does not read this key, but it looks like {known}, which decides the VPN, a secret, the published interfaces or the engine count; ignoring it would change what runs"),
        )
        .with_hint(format!("did you mean {known}? Keys are case-sensitive, as in docker compose; rename it, or remove it"))
    } else {
        Diagnostic::warning(code, warning).with_hint(format!("did you mean {known}?"))
    }
}

fn override_problems(overrides: &[Override]) -> Vec<Diagnostic> {
    overrides
        .iter()
        .filter(|o| keys::spec(&o.key).is_none())
        .map(|o| {
            let warning = format!(
                "--set {}: acegen does not read this key; it is ignored",
                o.key
            );
            match near_miss::near_miss(&o.key) {
                Some(known) => {
                    near_miss_diagnostic(&format!("--set {}", o.key), "W0104", warning, known)
                }
                None => Diagnostic::warning("W0104", warning),
            }
        })
        .collect()
}

/// W0105: a key acegen reads or passes on whose value came from the
/// process environment, so the output depends on the shell. The value is
/// not shown; the names of the variables are.
fn environment_dependence(file: &Utf8Path, env: &ParsedEnv) -> Vec<Diagnostic> {
    env.entries
        .iter()
        .filter(|e| !e.from_environment.is_empty())
        .filter(|e| keys::spec(&e.key).is_some() || keys::is_gluetun_key(&e.key))
        .map(|e| {
            let names = e.from_environment.join(", ");
            Diagnostic::warning(
                "W0105",
                format!("{} takes its value from the process environment ({names}); the output depends on the shell acegen runs in", e.key),
            )
            .at(Location::at(file, e.key_pos, e.key.chars().count()))
            .with_hint("write the value in .env, or run acegen and docker compose from the same environment")
        })
        .collect()
}

/// W0106: a Gluetun-style key compose cannot interpolate (`.`, `-`, `[`,
/// a leading digit…): passing it as `${KEY}` would break the output, so it
/// is not passed.
fn keys_compose_cannot_pass(file: &Utf8Path, env: &ParsedEnv) -> Vec<Diagnostic> {
    env.entries
        .iter()
        .filter(|e| keys::is_gluetun_key(&e.key) && !settings::is_interpolable_name(&e.key))
        .map(|e| {
            Diagnostic::warning(
                "W0106",
                format!("{} is not passed to Gluetun: acegen passes by reference only keys made of letters, digits and `_`, at most 256 characters", e.key),
            )
            .at(Location::at(file, e.key_pos, e.key.chars().count()))
            .with_hint("Gluetun's settings are named with letters, digits and `_`; check the key's spelling")
        })
        .collect()
}

/// Is `key` one acegen reads or passes to Gluetun?
fn is_used(key: &str) -> bool {
    keys::spec(key).is_some() || keys::is_gluetun_key(key)
}

/// W0107 / W0108: lines compose reads differently from what they look like,
/// for keys acegen uses. acegen reads them as compose does (the same file
/// feeds compose), and says so; values are not quoted.
fn silently_misread(file: &Utf8Path, env: &ParsedEnv) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for entry in &env.entries {
        // A bare `KEY` on the last line, without a line break, is the value
        // of the empty key for compose: KEY is not taken from the shell.
        if entry.key.is_empty() && is_used(entry.value.trim()) {
            let key = entry.value.trim();
            warnings.push(
                Diagnostic::warning(
                    "W0107",
                    format!("{key} on the last line, without `=` nor a line break, is ignored (compose reads it as the value of an empty key)"),
                )
                .at(Location::at(file, entry.value_pos, key.chars().count()))
                .with_hint(format!("write `{key}=value`, or end the line with a line break to take {key} from the environment")),
            );
            continue;
        }
        if entry.quoting != dotenv::Quoting::None || !is_used(&entry.key) {
            continue;
        }
        let what = if entry.value.starts_with('#') {
            "starts with `#`: after `=` compose skips the spaces first, so it is the value, not a comment"
        } else if entry.value.contains("\t#") {
            "holds a tab before `#`: only a space before `#` starts a comment, so the rest is part of the value"
        } else {
            continue;
        };
        warnings.push(
            Diagnostic::warning("W0108", format!("the value of {} {what}", entry.key))
                .at(Location::at(file, entry.value_pos, entry.value_len))
                .with_hint("to leave it empty write `KEY=` alone; put a comment on its own line or after a space"),
        );
    }
    warnings
}
