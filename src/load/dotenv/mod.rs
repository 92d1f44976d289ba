//! A `.env` reader that reads every file exactly as Docker Compose v2 does
//! (compose-go's `dotenv` package, measured against Compose v2.40.3), and
//! keeps source positions.
//!
//! The reference is the real binary: `tests/compose_dotenv.rs` compares this
//! reader with it on a hand-written corpus and on generated files. Where the
//! two differ on purpose (size and nesting bounds, bytes that are not UTF-8)
//! the docs list it under "How acegen reads .env" in `docs/configuration.md`.
//!
//! Compose stops at the first problem; this reader records it and carries on
//! with the next line, so a user sees every mistake in one run. A file is
//! refused by compose exactly when this reader reports at least one error.

mod escapes;
mod interpolate;
mod reader;
mod second_read;
mod text;

#[cfg(test)]
mod tests;

use crate::diagnostic::Position;
use std::fmt;

/// Files larger than this are refused before reading (compose has no bound).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Files with more lines than this are refused before reading.
pub const MAX_LINES: usize = 200_000;
/// `${A:-${B:-…}}` nested deeper than this is refused: compose recurses
/// without bound, acegen would run out of stack.
pub const MAX_NESTING: usize = 64;

/// How a value was written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    None,
    Single,
    Double,
}

/// One definition: a `KEY=VALUE` line, or a bare `KEY` line that took its
/// value from the process environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    /// Final value: unquoted, escapes decoded, interpolated.
    pub value: String,
    /// First char of the key (after any `export `).
    pub key_pos: Position,
    /// First char of the value token (the opening quote if quoted); for an
    /// empty value, where the value would start; for a bare `KEY`, the key.
    pub value_pos: Position,
    /// Length in chars of the raw value token on its first line, at least 1.
    pub value_len: usize,
    pub quoting: Quoting,
    /// Process-environment variables the value was read from (`${VAR}` the
    /// shell supplies or overrides, or the key itself for a bare `KEY`
    /// line). Such a value depends on the shell and is never shown.
    pub from_environment: Vec<String>,
    /// Every variable whose value the value was built from (`${VAR}` found
    /// earlier in the file or in the process environment).
    pub interpolated_from: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvWarningKind {
    /// `${NAME}` / `$NAME` that is neither defined earlier in the file nor in
    /// the process environment (it became "").
    UnresolvedVariable { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvWarning {
    pub kind: EnvWarningKind,
    /// Position of the `$`.
    pub pos: Position,
    /// The reference as written (`$NAME`, `${NAME}`), for the message.
    pub written: String,
    /// The key whose value held it.
    pub key: String,
}

impl fmt::Display for EnvWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            EnvWarningKind::UnresolvedVariable { name } => write!(
                f,
                "`{name}` is not defined earlier in the file nor in the environment; \
                 using an empty string"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvErrorKind {
    /// A char compose does not accept in a key, such as `$`, `"` or `/`.
    UnexpectedCharacter { found: char },
    /// `FOO BAR=1` or `FOO BAR`: compose refuses keys with a space.
    KeyWithSpace { first_word: String },
    /// Reported at the opening quote.
    UnterminatedQuote { quote: char },
    /// A `${` that does not start `${NAME}` or `${NAME<op>text}` on its line.
    InvalidSubstitution { found: String },
    /// `${VAR:?message}` / `${VAR?message}` failing.
    RequiredVariable { name: String, message: String },
    /// `${VAR:?message}` that holds where it is written but not for VAR's
    /// final value, which a later line left empty: compose's second read
    /// of the file refuses it (see `second_read`).
    RequiredVariableEmptiedLater {
        name: String,
        message: String,
        /// The line of VAR's last definition.
        emptied_on_line: u32,
    },
    /// `${…${…}}` nested deeper than [`MAX_NESTING`].
    NestingTooDeep,
    /// The file is larger than [`MAX_FILE_BYTES`] or longer than [`MAX_LINES`].
    TooLarge { what: String },
    /// A byte that is not UTF-8 (read as U+FFFD), or a U+FFFD in the file.
    NotUtf8,
}

impl EnvErrorKind {
    /// The diagnostic code: E0101 for what compose refuses too, another code
    /// for each place where acegen is deliberately stricter.
    pub fn code(&self) -> &'static str {
        match self {
            EnvErrorKind::NestingTooDeep => "E0102",
            EnvErrorKind::TooLarge { .. } => "E0103",
            EnvErrorKind::NotUtf8 => "E0104",
            _ => "E0101",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    pub kind: EnvErrorKind,
    pub pos: Position,
    /// Length in chars of the offending text, at least 1.
    pub len: usize,
    /// The key being read when the error happened (empty when none yet), so
    /// that reporting can tell whether the text around it may be a secret.
    pub key: String,
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            EnvErrorKind::UnexpectedCharacter { found } => write!(
                f,
                "unexpected character {} in a key: expected letters, digits, `_`, `.`, `-`, \
                 `[`, `]`, then `=` or `:`",
                text::describe_char(*found)
            ),
            EnvErrorKind::KeyWithSpace { first_word } => write!(
                f,
                "a key cannot contain a space, found `{} …`; expected `KEY=VALUE`",
                text::clip(first_word)
            ),
            EnvErrorKind::UnterminatedQuote { quote } => {
                let style = if *quote == '"' { "double" } else { "single" };
                write!(f, "unterminated {style}-quoted value: no closing `{quote}`")
            }
            EnvErrorKind::InvalidSubstitution { found } => write!(
                f,
                "bad substitution `{}`: expected `${{NAME}}` or `${{NAME<op>text}}` \
                 with <op> one of `:-` `-` `:+` `+` `:?` `?`, closed on the same line",
                text::clip(found)
            ),
            EnvErrorKind::RequiredVariable { name, message } if message.is_empty() => {
                write!(f, "`${{{name}:?...}}`: {name} is not set")
            }
            EnvErrorKind::RequiredVariable { name, message } => {
                write!(
                    f,
                    "`${{{name}:?...}}`: {name} is not set: {}",
                    text::clip(message)
                )
            }
            EnvErrorKind::RequiredVariableEmptiedLater {
                name,
                message,
                emptied_on_line,
            } => {
                write!(
                    f,
                    "`${{{name}:?...}}`: {name} is set here but empty at the end of the file \
                     (line {emptied_on_line} sets it again); docker compose reads .env a second \
                     time with every key at its final value, and then refuses it"
                )?;
                if message.is_empty() {
                    Ok(())
                } else {
                    write!(f, ": {}", text::clip(message))
                }
            }
            EnvErrorKind::NestingTooDeep => write!(
                f,
                "`${{…}}` nested more than {MAX_NESTING} deep; expected at most {MAX_NESTING} levels"
            ),
            EnvErrorKind::TooLarge { what } => write!(f, "the .env file is too large: {what}"),
            EnvErrorKind::NotUtf8 => write!(
                f,
                "found a byte that is not UTF-8 (or the replacement character U+FFFD); \
                 expected UTF-8 text"
            ),
        }
    }
}

impl std::error::Error for EnvError {}

/// Everything read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedEnv {
    /// Every successful definition, in file order (duplicates included).
    pub entries: Vec<EnvEntry>,
    pub warnings: Vec<EnvWarning>,
    pub errors: Vec<EnvError>,
    /// Every quoted value that spans several lines, accepted or refused (an
    /// unterminated one runs to the end of the file), in file order: the
    /// report must not show a later line of a secret's value.
    pub multi_line_values: Vec<MultiLineValue>,
}

/// The lines a multi-line quoted value covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiLineValue {
    pub key: String,
    pub first_line: u32,
    pub last_line: u32,
}

impl ParsedEnv {
    /// The last entry for `key` (later definitions win, as in docker compose).
    pub fn get(&self, key: &str) -> Option<&EnvEntry> {
        self.entries.iter().rev().find(|entry| entry.key == key)
    }

    /// The key whose quoted value spans `line` without starting on it (a
    /// later line of a multi-line value), found in O(log n).
    pub fn key_continuing_on(&self, line: u32) -> Option<&str> {
        let values = &self.multi_line_values;
        let before = values.partition_point(|value| value.first_line < line);
        let value = values.get(before.checked_sub(1)?)?;
        (line <= value.last_line).then_some(value.key.as_str())
    }

    /// The final value of every key, as compose's `.env` map holds it.
    pub fn to_map(&self) -> std::collections::BTreeMap<String, String> {
        self.entries
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect()
    }
}

/// Parse a whole file.
///
/// `process_env` answers for the process environment: in `${VAR}` and in a
/// bare `KEY` line it wins over a VAR defined earlier in the file (compose's
/// rule); later definitions in the file are invisible to earlier lines.
/// A file that reads without errors is read a second time as compose does
/// (`second_read`), which refuses a `${VAR:?…}` that a later line empties.
pub fn parse(text: &str, process_env: &dyn Fn(&str) -> Option<String>) -> ParsedEnv {
    if let Some(error) = text::size_problem(text) {
        return ParsedEnv {
            errors: vec![error],
            ..ParsedEnv::default()
        };
    }
    let not_utf8 = text::replacement_characters(text);
    if !not_utf8.is_empty() {
        return ParsedEnv {
            errors: not_utf8,
            ..ParsedEnv::default()
        };
    }
    let mut parsed = reader::read(text, process_env, None);
    // Only `${NAME:?…}` / `${NAME?…}` can fail the second read: a file
    // without a `?` is not read again.
    if parsed.errors.is_empty() && text.contains('?') {
        parsed.errors = second_read::refusals(text, process_env, &parsed);
    }
    parsed
}
