//! A `.env` reader that keeps source positions.
//!
//! The accepted syntax is the one docker compose and python-dotenv share:
//! `KEY=VALUE` lines, `#` comments, an optional `export ` prefix, single
//! quotes (literal), double quotes (escapes, may span lines) and shell-style
//! `${VAR}` interpolation. Every entry, warning and error carries a 1-based
//! line/column so later stages can point an editor marker at the exact spot.
//!
//! Parsing never stops at the first problem: each bad line becomes an
//! [`EnvError`] and the reader carries on with the next line, so a user sees
//! every mistake in one run.

use crate::diagnostic::Position;
use std::collections::HashMap;
use std::fmt;

/// How a value was written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    None,
    Single,
    Double,
}

/// One `KEY=VALUE` definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    /// Final value: unquoted, escapes decoded, interpolated.
    pub value: String,
    /// First char of the key (after any `export `).
    pub key_pos: Position,
    /// First char of the value token (the opening quote if quoted); for an
    /// empty value, the column just after `=`.
    pub value_pos: Position,
    /// Length in chars of the raw value token on its first line, at least 1.
    pub value_len: usize,
    pub quoting: Quoting,
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
    /// `FOO` or `FOO bar` with no usable `=`.
    MissingEquals { found: String },
    /// Key not matching `[A-Za-z_][A-Za-z0-9_.-]*` (empty for `=value`).
    InvalidKey { found: String },
    /// Reported at the opening quote.
    UnterminatedQuote { quote: char },
    /// Junk after a closing quote that isn't whitespace or a `# comment`.
    TrailingCharacters { found: String },
    /// `${FOO` without `}`.
    UnterminatedBrace,
    /// `${}`, `${1abc}`, `${FOO:x}` etc.
    BadSubstitution { found: String },
    /// `${VAR:?message}` / `${VAR?message}` failing.
    RequiredVariable { name: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    pub kind: EnvErrorKind,
    pub pos: Position,
    /// Length in chars of the offending text, at least 1.
    pub len: usize,
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            EnvErrorKind::MissingEquals { found } => {
                write!(f, "expected `KEY=VALUE`, found `{}`", clip(found))
            }
            EnvErrorKind::InvalidKey { found } if found.is_empty() => {
                write!(f, "expected a key before `=`, found nothing")
            }
            EnvErrorKind::InvalidKey { found } => write!(
                f,
                "expected a key made of a letter or `_` followed by letters, digits, \
                 `_`, `.` or `-`, found `{}`",
                clip(found)
            ),
            EnvErrorKind::UnterminatedQuote { quote } => {
                let style = if *quote == '"' { "double" } else { "single" };
                write!(f, "unterminated {style}-quoted value: no closing `{quote}`")
            }
            EnvErrorKind::TrailingCharacters { found } => write!(
                f,
                "expected end of line or a `# comment` after the closing quote, found `{}`",
                clip(found)
            ),
            EnvErrorKind::UnterminatedBrace => {
                write!(f, "unterminated `${{`: expected a closing `}}`")
            }
            EnvErrorKind::BadSubstitution { found } => write!(
                f,
                "bad substitution `{}`: expected `${{NAME}}` or `${{NAME<op>text}}` \
                 with <op> one of `:-` `-` `:+` `+` `:?` `?`",
                clip(found)
            ),
            EnvErrorKind::RequiredVariable { name, message } if message.is_empty() => {
                write!(f, "`${{{name}:?...}}`: {name} is not set")
            }
            EnvErrorKind::RequiredVariable { name, message } => {
                write!(f, "`${{{name}:?...}}`: {name} is not set: {message}")
            }
        }
    }
}

impl std::error::Error for EnvError {}

/// Keeps messages one line long even when a user pastes something huge.
fn clip(text: &str) -> String {
    const LIMIT: usize = 60;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        let head: String = text.chars().take(LIMIT).collect();
        format!("{head}…")
    }
}

/// Everything read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedEnv {
    /// Every successful definition, in file order (duplicates included).
    pub entries: Vec<EnvEntry>,
    pub warnings: Vec<EnvWarning>,
    pub errors: Vec<EnvError>,
}

impl ParsedEnv {
    /// The last entry for `key` (later definitions win, as in docker compose).
    pub fn get(&self, key: &str) -> Option<&EnvEntry> {
        self.entries.iter().rev().find(|entry| entry.key == key)
    }
}

/// Parse a whole file.
///
/// Never stops at the first problem: a bad line is recorded in `errors` and
/// parsing resumes at the next line (after an unterminated quote, which
/// swallows the rest of the file, there is nothing left to parse).
/// `process_env` is the fallback for interpolation after keys defined earlier
/// in the file.
pub fn parse(text: &str, process_env: &dyn Fn(&str) -> Option<String>) -> ParsedEnv {
    let mut parser = Parser {
        cursor: Cursor::new(text),
        process_env,
        defined: HashMap::new(),
        result: ParsedEnv::default(),
    };
    while !parser.cursor.at_end() {
        parser.parse_line();
    }
    parser.result
}

// ---------------------------------------------------------------------------
// Cursor
// ---------------------------------------------------------------------------

/// A char-by-char reader that knows the line and column of the next char.
struct Cursor {
    chars: Vec<char>,
    index: usize,
    line: u32,
    column: u32,
}

impl Cursor {
    fn new(text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Self {
            chars: normalize_line_endings(text),
            index: 0,
            line: 1,
            column: 1,
        }
    }

    fn position(&self) -> Position {
        Position::new(self.line, self.column)
    }

    fn at_end(&self) -> bool {
        self.index >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn at_line_end(&self) -> bool {
        matches!(self.peek(), None | Some('\n'))
    }

    fn bump(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.index += 1;
        if ch == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(ch)
    }

    /// Consumes the next char, tagged with the position it had.
    fn bump_located(&mut self) -> Option<SourceChar> {
        let pos = self.position();
        self.bump().map(|ch| SourceChar::plain(ch, pos))
    }

    /// Returns how many chars were skipped, because a `#` only starts a
    /// comment when whitespace precedes it.
    fn skip_inline_whitespace(&mut self) -> usize {
        let mut skipped = 0;
        while self.peek().is_some_and(is_inline_whitespace) {
            self.bump();
            skipped += 1;
        }
        skipped
    }

    /// The chars from here to the end of the line, without consuming them.
    fn rest_of_line(&self) -> &[char] {
        let rest = &self.chars[self.index..];
        let end = rest.iter().position(|&ch| ch == '\n').unwrap_or(rest.len());
        &rest[..end]
    }

    fn starts_with(&self, word: &str) -> bool {
        let rest = &self.chars[self.index..];
        word.chars().count() <= rest.len() && word.chars().zip(rest).all(|(a, &b)| a == b)
    }

    fn char_at_offset(&self, offset: usize) -> Option<char> {
        self.chars.get(self.index + offset).copied()
    }

    /// Consumes up to and including the next newline (or to the end).
    fn skip_line(&mut self) {
        while let Some(ch) = self.bump() {
            if ch == '\n' {
                break;
            }
        }
    }

    /// Consumes the rest of the line except the newline, keeping positions.
    fn take_rest_of_line(&mut self) -> Vec<SourceChar> {
        let mut taken = Vec::new();
        while !self.at_line_end() {
            taken.extend(self.bump_located());
        }
        taken
    }
}

/// CRLF files are common on Windows checkouts; folding `\r\n` into `\n` up
/// front keeps `\r` out of values (even inside multi-line quotes) and keeps
/// every other rule blind to line-ending style. A lone `\r` is not a line
/// break (it counts as inline whitespace).
fn normalize_line_endings(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    let mut iter = text.chars().peekable();
    while let Some(ch) = iter.next() {
        if ch == '\r' && iter.peek() == Some(&'\n') {
            continue;
        }
        chars.push(ch);
    }
    chars
}

fn is_inline_whitespace(ch: char) -> bool {
    ch != '\n' && ch.is_whitespace()
}

fn is_key_start(ch: char) -> bool {
    ch.is_ascii_alphabetic() || ch == '_'
}

fn is_key_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-')
}

/// Interpolated names are stricter than keys: `.` and `-` would be ambiguous
/// with the text that follows `$NAME`.
fn is_name_start(ch: char) -> bool {
    is_key_start(ch)
}

fn is_name_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '_'
}

/// Cuts a trailing ` # comment` (a `#` preceded by whitespace) and trims, to
/// report just the offending text in errors.
fn strip_comment_and_trim(chars: &[char]) -> String {
    let end = chars
        .iter()
        .enumerate()
        .position(|(i, &ch)| ch == '#' && i > 0 && is_inline_whitespace(chars[i - 1]))
        .unwrap_or(chars.len());
    let text: String = chars[..end].iter().collect();
    text.trim().to_string()
}

// ---------------------------------------------------------------------------
// Values as located chars
// ---------------------------------------------------------------------------

/// A value char with the position it came from, so interpolation can point
/// at the exact `$` even inside multi-line double quotes or nested defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SourceChar {
    ch: char,
    pos: Position,
    /// Produced by an escape such as `\$`: always literal, never the start of
    /// a substitution.
    escaped: bool,
}

impl SourceChar {
    fn plain(ch: char, pos: Position) -> Self {
        Self {
            ch,
            pos,
            escaped: false,
        }
    }

    fn escaped(ch: char, pos: Position) -> Self {
        Self {
            ch,
            pos,
            escaped: true,
        }
    }

    /// An unescaped occurrence of `ch`, i.e. one that may carry syntax.
    fn is_syntax(&self, ch: char) -> bool {
        self.ch == ch && !self.escaped
    }
}

fn to_text(chars: &[SourceChar]) -> String {
    chars.iter().map(|c| c.ch).collect()
}

/// The double-quote escapes; anything else keeps its backslash.
fn decode_escape(ch: char) -> Option<char> {
    match ch {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '$' => Some('$'),
        _ => None,
    }
}

/// A syntactically valid assignment whose value is not interpolated yet.
struct RawAssignment {
    key: String,
    key_pos: Position,
    value_pos: Position,
    value_len: usize,
    quoting: Quoting,
    value: Vec<SourceChar>,
}

/// A quoted value token: its contents and the chars it covers on its first
/// line (for the editor marker).
struct QuotedToken {
    contents: Vec<SourceChar>,
    first_line_len: usize,
}

// ---------------------------------------------------------------------------
// Line parser
// ---------------------------------------------------------------------------

struct Parser<'a> {
    cursor: Cursor,
    process_env: &'a dyn Fn(&str) -> Option<String>,
    /// Values of the keys defined so far; interpolation sees only these (and
    /// the process environment), matching a top-to-bottom read.
    defined: HashMap<String, String>,
    result: ParsedEnv,
}

impl Parser<'_> {
    /// Handles one logical line (several physical ones for multi-line quotes)
    /// and leaves the cursor at the start of the next.
    fn parse_line(&mut self) {
        self.cursor.skip_inline_whitespace();
        let is_blank_or_comment = self.cursor.at_line_end() || self.cursor.peek() == Some('#');
        if !is_blank_or_comment {
            match self.read_assignment() {
                Ok(assignment) => self.record(assignment),
                Err(error) => self.result.errors.push(error),
            }
        }
        self.cursor.skip_line();
    }

    fn read_assignment(&mut self) -> Result<RawAssignment, EnvError> {
        self.skip_export_prefix();
        let (key, key_pos) = self.read_key()?;
        // `read_key` only succeeds when `=` follows (possibly after spaces).
        self.cursor.skip_inline_whitespace();
        let equals = self.cursor.bump();
        debug_assert_eq!(equals, Some('='));
        let after_equals = self.cursor.position();
        let whitespace_before_value = self.cursor.skip_inline_whitespace() > 0;
        let (value, value_pos, value_len, quoting) = match self.cursor.peek() {
            Some(quote @ ('\'' | '"')) => {
                let value_pos = self.cursor.position();
                let token = self.read_quoted(quote)?;
                self.expect_line_end_after_quote()?;
                let quoting = if quote == '"' {
                    Quoting::Double
                } else {
                    Quoting::Single
                };
                (token.contents, value_pos, token.first_line_len, quoting)
            }
            _ => {
                let value = self.read_unquoted(whitespace_before_value);
                let value_pos = value.first().map_or(after_equals, |c| c.pos);
                let len = value.len();
                (value, value_pos, len, Quoting::None)
            }
        };
        Ok(RawAssignment {
            key,
            key_pos,
            value_pos,
            value_len: value_len.max(1),
            quoting,
            value,
        })
    }

    /// `export FOO=bar` is accepted for shell compatibility; `export=1` and
    /// `export = 1` are plain assignments to a key named `export`.
    fn skip_export_prefix(&mut self) {
        const EXPORT: &str = "export";
        let word_len = EXPORT.len();
        let followed_by_space = self
            .cursor
            .char_at_offset(word_len)
            .is_some_and(is_inline_whitespace);
        if !self.cursor.starts_with(EXPORT) || !followed_by_space {
            return;
        }
        let after_spaces = self.cursor.rest_of_line()[word_len..]
            .iter()
            .find(|&&ch| !is_inline_whitespace(ch));
        if matches!(after_spaces, None | Some('=' | '#')) {
            return;
        }
        for _ in 0..word_len {
            self.cursor.bump();
        }
        self.cursor.skip_inline_whitespace();
    }

    /// Reads a key and checks that `=` follows it (possibly after spaces).
    /// On failure nothing is consumed beyond the key, and the error names
    /// the offending text.
    fn read_key(&mut self) -> Result<(String, Position), EnvError> {
        let key_pos = self.cursor.position();
        let line = self.cursor.rest_of_line().to_vec();
        let key_len = line.iter().take_while(|&&ch| is_key_char(ch)).count();
        let key: String = line[..key_len].iter().collect();
        let after_key = line[key_len..]
            .iter()
            .find(|&&ch| !is_inline_whitespace(ch));
        let key_is_valid = key.starts_with(is_key_start);
        if key_is_valid && after_key == Some(&'=') {
            for _ in 0..key_len {
                self.cursor.bump();
            }
            return Ok((key, key_pos));
        }
        Err(classify_bad_key_line(&line, key_pos))
    }

    /// Reads an unquoted value to the end of the line, dropping an inline
    /// comment and surrounding whitespace.
    fn read_unquoted(&mut self, whitespace_before_value: bool) -> Vec<SourceChar> {
        let mut chars = self.cursor.take_rest_of_line();
        let comment_start = chars.iter().enumerate().position(|(i, c)| {
            let after_whitespace = if i == 0 {
                whitespace_before_value
            } else {
                is_inline_whitespace(chars[i - 1].ch)
            };
            c.ch == '#' && after_whitespace
        });
        if let Some(start) = comment_start {
            chars.truncate(start);
        }
        while chars.last().is_some_and(|c| is_inline_whitespace(c.ch)) {
            chars.pop();
        }
        chars
    }

    /// Reads from the opening quote through the closing one. Double quotes
    /// decode escapes; single quotes are literal.
    fn read_quoted(&mut self, quote: char) -> Result<QuotedToken, EnvError> {
        let open = self.cursor.position();
        let open_index = self.cursor.index;
        self.cursor.bump();
        let mut contents = Vec::new();
        loop {
            let Some(next) = self.cursor.bump_located() else {
                return Err(EnvError {
                    kind: EnvErrorKind::UnterminatedQuote { quote },
                    pos: open,
                    len: 1,
                });
            };
            if next.ch == quote {
                break;
            }
            if quote == '"' && next.ch == '\\' {
                contents.push(self.read_escape(next.pos));
            } else {
                contents.push(next);
            }
        }
        let first_line_len = self.cursor.chars[open_index..]
            .iter()
            .take_while(|&&ch| ch != '\n')
            .count()
            .min(self.cursor.index - open_index);
        Ok(QuotedToken {
            contents,
            first_line_len,
        })
    }

    /// Called just after a backslash inside double quotes.
    fn read_escape(&mut self, backslash_pos: Position) -> SourceChar {
        match self.cursor.peek().and_then(decode_escape) {
            Some(decoded) => {
                self.cursor.bump();
                SourceChar::escaped(decoded, backslash_pos)
            }
            // Unknown sequences are kept as written: emit the backslash and
            // let the loop read the next char normally.
            None => SourceChar::plain('\\', backslash_pos),
        }
    }

    /// After a closing quote only whitespace and a comment may follow.
    fn expect_line_end_after_quote(&mut self) -> Result<(), EnvError> {
        self.cursor.skip_inline_whitespace();
        if self.cursor.at_line_end() || self.cursor.peek() == Some('#') {
            return Ok(());
        }
        let found = strip_comment_and_trim(self.cursor.rest_of_line());
        Err(EnvError {
            len: found.chars().count().max(1),
            kind: EnvErrorKind::TrailingCharacters { found },
            pos: self.cursor.position(),
        })
    }

    /// Interpolates the value and stores the entry, or records why it failed.
    fn record(&mut self, assignment: RawAssignment) {
        let value = match assignment.quoting {
            Quoting::Single => to_text(&assignment.value),
            Quoting::None | Quoting::Double => {
                let mut interpolator = Interpolator {
                    defined: &self.defined,
                    process_env: self.process_env,
                    key: &assignment.key,
                    warnings: Vec::new(),
                    errors: Vec::new(),
                };
                let value = interpolator.expand(&assignment.value);
                let failed = !interpolator.errors.is_empty();
                self.result.warnings.append(&mut interpolator.warnings);
                self.result.errors.append(&mut interpolator.errors);
                if failed {
                    // A half-interpolated value would be silently wrong.
                    return;
                }
                value
            }
        };
        self.defined.insert(assignment.key.clone(), value.clone());
        self.result.entries.push(EnvEntry {
            key: assignment.key,
            value,
            key_pos: assignment.key_pos,
            value_pos: assignment.value_pos,
            value_len: assignment.value_len,
            quoting: assignment.quoting,
        });
    }
}

/// Decides which error best describes a line that is not `KEY=VALUE`.
/// `line` starts at the would-be key.
fn classify_bad_key_line(line: &[char], start: Position) -> EnvError {
    let equals = line.iter().position(|&ch| ch == '=');
    let before_equals: String = equals
        .map(|at| line[..at].iter().collect::<String>())
        .unwrap_or_default();
    let before_equals = before_equals.trim_end();
    let is_single_word = !before_equals.is_empty()
        && !before_equals
            .chars()
            .any(|ch| ch.is_whitespace() || ch == '"' || ch == '\'');
    let kind = match equals {
        Some(_) if before_equals.is_empty() => EnvErrorKind::InvalidKey {
            found: String::new(),
        },
        Some(_) if is_single_word => EnvErrorKind::InvalidKey {
            found: before_equals.to_string(),
        },
        _ => EnvErrorKind::MissingEquals {
            found: strip_comment_and_trim(line),
        },
    };
    let len = match &kind {
        EnvErrorKind::InvalidKey { found } | EnvErrorKind::MissingEquals { found } => {
            found.chars().count().max(1)
        }
        _ => 1,
    };
    EnvError {
        kind,
        pos: start,
        len,
    }
}

// ---------------------------------------------------------------------------
// Interpolation
// ---------------------------------------------------------------------------

/// What follows the name in `${NAME<op>word}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    /// `:-` / `-`: use the word when the variable is unset (or empty).
    Default,
    /// `:+` / `+`: use the word when the variable is set (and non-empty).
    Alternative,
    /// `:?` / `?`: fail with the word as message when unset (or empty).
    Required,
}

/// A parsed `${...}` body; `word` keeps positions for nested substitutions.
struct Substitution<'s> {
    name: String,
    operator: Option<(Operator, bool)>,
    word: &'s [SourceChar],
}

impl Substitution<'_> {
    /// With a colon (`:-`), an empty value counts as unset, as in the shell.
    fn counts_as_set(&self, value: Option<&str>) -> bool {
        let colon = self.operator.is_some_and(|(_, colon)| colon);
        match value {
            None => false,
            Some(value) => !(colon && value.is_empty()),
        }
    }
}

struct Interpolator<'a> {
    defined: &'a HashMap<String, String>,
    process_env: &'a dyn Fn(&str) -> Option<String>,
    key: &'a str,
    warnings: Vec<EnvWarning>,
    errors: Vec<EnvError>,
}

impl Interpolator<'_> {
    /// Expands every substitution in `chars`. Errors are collected rather
    /// than returned so one value can report several mistakes.
    fn expand(&mut self, chars: &[SourceChar]) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            let current = chars[i];
            if !current.is_syntax('$') {
                out.push(current.ch);
                i += 1;
                continue;
            }
            i = match chars.get(i + 1) {
                Some(next) if next.is_syntax('$') => {
                    out.push('$');
                    i + 2
                }
                Some(next) if next.is_syntax('{') => self.expand_braced(chars, i, &mut out),
                Some(next) if is_name_start(next.ch) => self.expand_bare(chars, i, &mut out),
                _ => {
                    out.push('$');
                    i + 1
                }
            };
        }
        out
    }

    /// `$NAME`; returns the index after the name.
    fn expand_bare(&mut self, chars: &[SourceChar], dollar: usize, out: &mut String) -> usize {
        let name_end = dollar
            + 1
            + chars[dollar + 1..]
                .iter()
                .take_while(|c| is_name_char(c.ch))
                .count();
        let name = to_text(&chars[dollar + 1..name_end]);
        self.push_variable(&name, chars[dollar].pos, out);
        name_end
    }

    /// `${...}`; returns the index after the closing brace.
    fn expand_braced(&mut self, chars: &[SourceChar], dollar: usize, out: &mut String) -> usize {
        let dollar_pos = chars[dollar].pos;
        let Some(close) = find_closing_brace(chars, dollar + 2) else {
            self.errors.push(EnvError {
                kind: EnvErrorKind::UnterminatedBrace,
                pos: dollar_pos,
                len: 2,
            });
            // Without a closing brace nothing after this point has a meaning.
            return chars.len();
        };
        let token = &chars[dollar..=close];
        match parse_substitution(&chars[dollar + 2..close]) {
            Some(substitution) => self.apply(&substitution, token, out),
            None => self.errors.push(EnvError {
                kind: EnvErrorKind::BadSubstitution {
                    found: to_text(token),
                },
                pos: dollar_pos,
                len: token.len(),
            }),
        }
        close + 1
    }

    /// Evaluates a parsed `${...}`. The word is expanded only when used, so
    /// an unused default never warns about its own variables.
    fn apply(&mut self, substitution: &Substitution<'_>, token: &[SourceChar], out: &mut String) {
        let dollar_pos = token.first().map_or_else(Position::default, |c| c.pos);
        let value = self.lookup(&substitution.name);
        let is_set = substitution.counts_as_set(value.as_deref());
        match substitution.operator {
            None => self.push_variable(&substitution.name, dollar_pos, out),
            Some((Operator::Default, _)) => match value {
                Some(value) if is_set => out.push_str(&value),
                _ => out.push_str(&self.expand(substitution.word)),
            },
            Some((Operator::Alternative, _)) => {
                if is_set {
                    out.push_str(&self.expand(substitution.word));
                }
            }
            Some((Operator::Required, _)) => match value {
                Some(value) if is_set => out.push_str(&value),
                _ => {
                    let message = self.expand(substitution.word);
                    self.errors.push(EnvError {
                        kind: EnvErrorKind::RequiredVariable {
                            name: substitution.name.clone(),
                            message,
                        },
                        pos: dollar_pos,
                        len: token.len(),
                    });
                }
            },
        }
    }

    /// Plain reference: the value, or "" and a warning.
    fn push_variable(&mut self, name: &str, dollar_pos: Position, out: &mut String) {
        match self.lookup(name) {
            Some(value) => out.push_str(&value),
            None => self.warnings.push(EnvWarning {
                kind: EnvWarningKind::UnresolvedVariable {
                    name: name.to_string(),
                },
                pos: dollar_pos,
                key: self.key.to_string(),
            }),
        }
    }

    /// Earlier keys in the file shadow the process environment, as in
    /// docker compose.
    fn lookup(&self, name: &str) -> Option<String> {
        self.defined
            .get(name)
            .cloned()
            .or_else(|| (self.process_env)(name))
    }
}

/// Finds the `}` closing a `${` whose body starts at `start`, skipping over
/// nested `${...}` (as in `${A:-${B}}`) and `$$`.
fn find_closing_brace(chars: &[SourceChar], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < chars.len() {
        let current = chars[i];
        let next = chars.get(i + 1);
        if current.is_syntax('$') && next.is_some_and(|n| n.is_syntax('$')) {
            i += 2;
        } else if current.is_syntax('$') && next.is_some_and(|n| n.is_syntax('{')) {
            depth += 1;
            i += 2;
        } else if current.is_syntax('}') {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
            i += 1;
        } else {
            i += 1;
        }
    }
    None
}

/// Parses the body of `${...}` (between the braces). `None` means the body is
/// not a valid substitution.
fn parse_substitution(body: &[SourceChar]) -> Option<Substitution<'_>> {
    let starts_well = body.first().is_some_and(|c| is_name_start(c.ch));
    if !starts_well {
        return None;
    }
    let name_len = body.iter().take_while(|c| is_name_char(c.ch)).count();
    let name = to_text(&body[..name_len]);
    let rest = &body[name_len..];
    let Some(first) = rest.first() else {
        return Some(Substitution {
            name,
            operator: None,
            word: &[],
        });
    };
    let (colon, operator_at) = if first.ch == ':' {
        (true, 1)
    } else {
        (false, 0)
    };
    let operator = match rest.get(operator_at).map(|c| c.ch) {
        Some('-') => Operator::Default,
        Some('+') => Operator::Alternative,
        Some('?') => Operator::Required,
        _ => return None,
    };
    Some(Substitution {
        name,
        operator: Some((operator, colon)),
        word: &rest[operator_at + 1..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_process_env(_: &str) -> Option<String> {
        None
    }

    /// A process environment made of fixed pairs, so tests never read the
    /// real one.
    fn fixed_env(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    fn parse_with(text: &str, pairs: &'static [(&'static str, &'static str)]) -> ParsedEnv {
        parse(text, &fixed_env(pairs))
    }

    /// Parses a file that is expected to be free of errors and warnings.
    fn parse_clean(text: &str) -> ParsedEnv {
        let parsed = parse(text, &no_process_env);
        assert_eq!(parsed.errors, vec![], "unexpected errors for {text:?}");
        assert_eq!(parsed.warnings, vec![], "unexpected warnings for {text:?}");
        parsed
    }

    fn entry<'p>(parsed: &'p ParsedEnv, key: &str) -> &'p EnvEntry {
        parsed
            .get(key)
            .unwrap_or_else(|| panic!("no entry for {key}: {parsed:#?}"))
    }

    fn value<'p>(parsed: &'p ParsedEnv, key: &str) -> &'p str {
        &entry(parsed, key).value
    }

    fn pos(line: u32, column: u32) -> Position {
        Position::new(line, column)
    }

    fn error_kinds(parsed: &ParsedEnv) -> Vec<EnvErrorKind> {
        parsed.errors.iter().map(|e| e.kind.clone()).collect()
    }

    /// The single error of a one-problem file.
    fn only_error(text: &str) -> EnvError {
        let parsed = parse(text, &no_process_env);
        assert_eq!(parsed.errors.len(), 1, "{text:?} gave {:#?}", parsed.errors);
        parsed.errors[0].clone()
    }

    fn unresolved(name: &str, at: Position, key: &str) -> EnvWarning {
        EnvWarning {
            kind: EnvWarningKind::UnresolvedVariable {
                name: name.to_string(),
            },
            pos: at,
            key: key.to_string(),
        }
    }

    // --- basic lines -------------------------------------------------------

    #[test]
    fn simple_assignment_records_value_and_positions() {
        let parsed = parse_clean("FOO=bar\n");
        assert_eq!(
            parsed.entries,
            vec![EnvEntry {
                key: "FOO".into(),
                value: "bar".into(),
                key_pos: pos(1, 1),
                value_pos: pos(1, 5),
                value_len: 3,
                quoting: Quoting::None,
            }]
        );
    }

    #[test]
    fn file_without_trailing_newline_and_empty_file() {
        assert_eq!(value(&parse_clean("A=1"), "A"), "1");
        assert_eq!(parse_clean(""), ParsedEnv::default());
        assert_eq!(parse_clean("\n\n"), ParsedEnv::default());
    }

    #[test]
    fn export_prefix_is_skipped() {
        let parsed = parse_clean("export FOO=bar\nexport \t BAZ=1\n");
        assert_eq!(value(&parsed, "FOO"), "bar");
        assert_eq!(entry(&parsed, "FOO").key_pos, pos(1, 8));
        assert_eq!(entry(&parsed, "FOO").value_pos, pos(1, 12));
        assert_eq!(value(&parsed, "BAZ"), "1");
        assert_eq!(entry(&parsed, "BAZ").key_pos, pos(2, 10));
    }

    #[test]
    fn export_alone_is_an_ordinary_key() {
        let parsed = parse_clean("export=1\nexport = 2\nexportFOO=3\n");
        let keys: Vec<_> = parsed.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["export", "export", "exportFOO"]);
        assert_eq!(value(&parsed, "export"), "2");
    }

    #[test]
    fn whitespace_before_key_and_around_equals() {
        let parsed = parse_clean("  FOO  =  bar baz  \n\tTAB\t=\tx\n");
        let foo = entry(&parsed, "FOO");
        assert_eq!(foo.value, "bar baz");
        assert_eq!(foo.key_pos, pos(1, 3));
        assert_eq!(foo.value_pos, pos(1, 11));
        assert_eq!(foo.value_len, 7);
        assert_eq!(value(&parsed, "TAB"), "x");
        assert_eq!(entry(&parsed, "TAB").key_pos, pos(2, 2));
        assert_eq!(entry(&parsed, "TAB").value_pos, pos(2, 8));
    }

    #[test]
    fn keys_may_hold_dots_and_dashes() {
        let parsed = parse_clean("a.b-c_D9=1\n_X=2\n");
        assert_eq!(value(&parsed, "a.b-c_D9"), "1");
        assert_eq!(value(&parsed, "_X"), "2");
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let parsed = parse_clean("# top\n\n   # indented\n \t \nA=1\n#B=2\n");
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(entry(&parsed, "A").key_pos, pos(5, 1));
        assert!(parsed.get("B").is_none());
    }

    // --- unquoted values ---------------------------------------------------

    #[test]
    fn hash_after_whitespace_starts_an_inline_comment() {
        let parsed = parse_clean("PROXY_BUFFER_TTL=60  # seconds\nB=x\t#tab\nC=a #b#c\n");
        let ttl = entry(&parsed, "PROXY_BUFFER_TTL");
        assert_eq!(ttl.value, "60");
        assert_eq!(ttl.value_pos, pos(1, 18));
        assert_eq!(ttl.value_len, 2);
        assert_eq!(value(&parsed, "B"), "x");
        assert_eq!(value(&parsed, "C"), "a");
    }

    #[test]
    fn hash_without_whitespace_is_part_of_the_value() {
        let parsed = parse_clean("A=b#c\nB=#x\nC=url#frag # note\n");
        assert_eq!(value(&parsed, "A"), "b#c");
        assert_eq!(value(&parsed, "B"), "#x");
        assert_eq!(entry(&parsed, "B").value_len, 2);
        assert_eq!(value(&parsed, "C"), "url#frag");
    }

    #[test]
    fn empty_values_point_just_after_equals() {
        let parsed = parse_clean("KEY=\nC= # comment\nS  =   \n");
        for key in ["KEY", "C", "S"] {
            assert_eq!(value(&parsed, key), "", "{key}");
            assert_eq!(entry(&parsed, key).value_len, 1, "{key}");
        }
        assert_eq!(entry(&parsed, "KEY").value_pos, pos(1, 5));
        assert_eq!(entry(&parsed, "C").value_pos, pos(2, 3));
        assert_eq!(entry(&parsed, "S").value_pos, pos(3, 5));
    }

    #[test]
    fn unquoted_value_keeps_inner_quotes_and_equals() {
        let parsed = parse_clean("A=x\"y\"z\nB=orchestrator.managed=acestream\n");
        assert_eq!(value(&parsed, "A"), "x\"y\"z");
        assert_eq!(value(&parsed, "B"), "orchestrator.managed=acestream");
    }

    // --- single quotes -----------------------------------------------------

    #[test]
    fn single_quotes_are_literal() {
        let parsed = parse_clean("A='$HOME ${X} \\n $$ \\' # not a comment' # comment\n");
        let a = entry(&parsed, "A");
        assert_eq!(a.value, "$HOME ${X} \\n $$ \\");
        assert_eq!(a.quoting, Quoting::Single);
        assert_eq!(a.value_pos, pos(1, 3));
        assert_eq!(a.value_len, 20);
    }

    #[test]
    fn single_quoted_value_with_hash_inside_and_empty_quotes() {
        let parsed = parse_clean("A='a # b'\nB=''\n");
        assert_eq!(value(&parsed, "A"), "a # b");
        assert_eq!(entry(&parsed, "A").value_len, 7);
        assert_eq!(value(&parsed, "B"), "");
        assert_eq!(entry(&parsed, "B").value_len, 2);
    }

    #[test]
    fn single_quotes_may_span_lines() {
        let parsed = parse_clean("A='one\n$two'\nB=3\n");
        assert_eq!(value(&parsed, "A"), "one\n$two");
        assert_eq!(entry(&parsed, "A").value_len, 4);
        assert_eq!(entry(&parsed, "B").key_pos, pos(3, 1));
    }

    // --- double quotes -----------------------------------------------------

    #[test]
    fn double_quote_escapes_are_decoded() {
        let parsed = parse_clean(r#"A="a\nb\tc\"d\\e\rf\$g""#);
        let a = entry(&parsed, "A");
        assert_eq!(a.value, "a\nb\tc\"d\\e\rf$g");
        assert_eq!(a.quoting, Quoting::Double);
        assert_eq!(a.value_pos, pos(1, 3));
        assert_eq!(a.value_len, 21);
    }

    #[test]
    fn unknown_backslash_sequences_are_kept() {
        let parsed = parse_clean(r#"A="C:\dir\x\'""#);
        assert_eq!(value(&parsed, "A"), r"C:\dir\x\'");
    }

    #[test]
    fn double_quotes_keep_hash_and_allow_a_comment_after() {
        let parsed = parse_clean("A=\"a # b\"   # real comment\nB=\"x\"#tight\n");
        assert_eq!(value(&parsed, "A"), "a # b");
        assert_eq!(value(&parsed, "B"), "x");
    }

    #[test]
    fn multi_line_double_quotes_keep_newlines_and_line_numbers() {
        let text = "A=\"line one\n  line two\nend\"\nB=next\n";
        let parsed = parse_clean(text);
        let a = entry(&parsed, "A");
        assert_eq!(a.value, "line one\n  line two\nend");
        assert_eq!(a.value_pos, pos(1, 3));
        assert_eq!(a.value_len, 9, "only the first physical line is marked");
        assert_eq!(entry(&parsed, "B").key_pos, pos(4, 1));
        assert_eq!(entry(&parsed, "B").value_pos, pos(4, 3));
    }

    #[test]
    fn positions_inside_multi_line_double_quotes_are_physical() {
        let parsed = parse("A=\"first\n  ${MISSING} and $ALSO\"\n", &no_process_env);
        assert_eq!(value(&parsed, "A"), "first\n   and ");
        assert_eq!(
            parsed.warnings,
            vec![
                unresolved("MISSING", pos(2, 3), "A"),
                unresolved("ALSO", pos(2, 18), "A"),
            ]
        );
    }

    // --- interpolation -----------------------------------------------------

    #[test]
    fn braced_and_bare_references_use_earlier_keys() {
        let parsed = parse_clean(
            "BASE=/srv\nA=${BASE}/x\nB=$BASE/y\nC=\"$BASE.z\"\nD=$BASE-1\nE=${BASE}${BASE}\n",
        );
        assert_eq!(value(&parsed, "A"), "/srv/x");
        assert_eq!(value(&parsed, "B"), "/srv/y");
        assert_eq!(value(&parsed, "C"), "/srv.z");
        assert_eq!(value(&parsed, "D"), "/srv-1");
        assert_eq!(value(&parsed, "E"), "/srv/srv");
    }

    #[test]
    fn default_forms() {
        let parsed = parse_clean(
            "SET=v\nEMPTY=\n\
             A=${UNSET:-d}\nB=${EMPTY:-d}\nC=${SET:-d}\n\
             D=${UNSET-d}\nE=${EMPTY-d}\nF=${SET-d}\nG=${UNSET:-}\n",
        );
        assert_eq!(value(&parsed, "A"), "d");
        assert_eq!(value(&parsed, "B"), "d");
        assert_eq!(value(&parsed, "C"), "v");
        assert_eq!(value(&parsed, "D"), "d");
        assert_eq!(value(&parsed, "E"), "");
        assert_eq!(value(&parsed, "F"), "v");
        assert_eq!(value(&parsed, "G"), "");
    }

    #[test]
    fn alternative_forms() {
        let parsed = parse_clean(
            "SET=v\nEMPTY=\n\
             A=${SET:+alt}\nB=${EMPTY:+alt}\nC=${UNSET:+alt}\n\
             D=${SET+alt}\nE=${EMPTY+alt}\nF=${UNSET+alt}\n",
        );
        assert_eq!(value(&parsed, "A"), "alt");
        assert_eq!(value(&parsed, "B"), "");
        assert_eq!(value(&parsed, "C"), "");
        assert_eq!(value(&parsed, "D"), "alt");
        assert_eq!(value(&parsed, "E"), "alt");
        assert_eq!(value(&parsed, "F"), "");
    }

    #[test]
    fn required_forms_pass_when_set() {
        let parsed = parse_clean("SET=v\nEMPTY=\nA=${SET:?msg}\nB=${SET?msg}\nC=${EMPTY?msg}\n");
        assert_eq!(value(&parsed, "A"), "v");
        assert_eq!(value(&parsed, "B"), "v");
        assert_eq!(value(&parsed, "C"), "");
    }

    #[test]
    fn required_forms_fail_when_unset_or_empty() {
        let parsed = parse(
            "EMPTY=\nA=x ${EMPTY:?must not be empty}\nB=\"${UNSET?need UNSET}\"\nC=${UNSET:?}\n",
            &no_process_env,
        );
        assert_eq!(
            parsed.errors,
            vec![
                EnvError {
                    kind: EnvErrorKind::RequiredVariable {
                        name: "EMPTY".into(),
                        message: "must not be empty".into(),
                    },
                    pos: pos(2, 5),
                    len: 27,
                },
                EnvError {
                    kind: EnvErrorKind::RequiredVariable {
                        name: "UNSET".into(),
                        message: "need UNSET".into(),
                    },
                    pos: pos(3, 4),
                    len: 19,
                },
                EnvError {
                    kind: EnvErrorKind::RequiredVariable {
                        name: "UNSET".into(),
                        message: String::new(),
                    },
                    pos: pos(4, 3),
                    len: 10,
                },
            ]
        );
        // A value that failed is not defined at all rather than half-built.
        assert!(parsed.get("A").is_none());
        assert_eq!(parsed.entries.len(), 1);
    }

    #[test]
    fn required_message_is_interpolated() {
        let parsed = parse_with("A=${TOKEN:?set TOKEN in $FILE}\n", &[("FILE", "prod.env")]);
        assert_eq!(
            error_kinds(&parsed),
            vec![EnvErrorKind::RequiredVariable {
                name: "TOKEN".into(),
                message: "set TOKEN in prod.env".into(),
            }]
        );
        assert_eq!(
            parsed.errors[0].to_string(),
            "`${TOKEN:?...}`: TOKEN is not set: set TOKEN in prod.env"
        );
    }

    #[test]
    fn nested_defaults() {
        let parsed = parse_clean("A=${X:-${Y:-${Z:-deep}}}\nY=mid\nB=${X:-${Y:-${Z:-deep}}}\n");
        assert_eq!(value(&parsed, "A"), "deep");
        assert_eq!(value(&parsed, "B"), "mid");
    }

    #[test]
    fn nested_default_mixes_text_and_references() {
        let parsed = parse_with("A=${X:-http://$HOST:${PORT:-80}/}\n", &[("HOST", "h")]);
        assert_eq!(parsed.warnings, vec![]);
        assert_eq!(value(&parsed, "A"), "http://h:80/");
    }

    #[test]
    fn unused_default_does_not_warn_but_used_one_does() {
        let parsed = parse(
            "SET=v\nA=${SET:-${NOPE}}\nB=${UNSET:-x${NOPE}}\n",
            &no_process_env,
        );
        assert_eq!(value(&parsed, "A"), "v");
        assert_eq!(value(&parsed, "B"), "x");
        assert_eq!(parsed.warnings, vec![unresolved("NOPE", pos(3, 13), "B")]);
    }

    #[test]
    fn earlier_keys_win_over_process_env_and_later_keys_are_invisible() {
        let parsed = parse_with("A=$X\nX=file\nB=$X\nX=again\nC=${X}\n", &[("X", "env")]);
        assert_eq!(parsed.warnings, vec![]);
        assert_eq!(value(&parsed, "A"), "env");
        assert_eq!(value(&parsed, "B"), "file");
        assert_eq!(value(&parsed, "C"), "again");
    }

    #[test]
    fn process_env_fills_in_unknown_names() {
        let parsed = parse_with("HOME_DIR=${HOME}/data\n", &[("HOME", "/home/u")]);
        assert_eq!(value(&parsed, "HOME_DIR"), "/home/u/data");
    }

    #[test]
    fn self_reference_sees_the_previous_definition() {
        let parsed = parse_clean("PATH_LIST=a\nPATH_LIST=$PATH_LIST:b\n");
        assert_eq!(value(&parsed, "PATH_LIST"), "a:b");
    }

    #[test]
    fn dollar_dollar_and_lone_dollars_are_literal() {
        let parsed = parse_clean(
            "A=$$HOME\nB=cost $5\nC=a$\nD=\"\\$HOME\"\nE=$-x\nF=\"$$ {}\"\nG=${X:-$$}\n",
        );
        assert_eq!(value(&parsed, "A"), "$HOME");
        assert_eq!(value(&parsed, "B"), "cost $5");
        assert_eq!(value(&parsed, "C"), "a$");
        assert_eq!(value(&parsed, "D"), "$HOME");
        assert_eq!(value(&parsed, "E"), "$-x");
        assert_eq!(value(&parsed, "F"), "$ {}");
        assert_eq!(value(&parsed, "G"), "$");
    }

    #[test]
    fn unresolved_variables_become_empty_with_warnings() {
        let parsed = parse("A=${NOPE}x$ALSO_NOPE\nB=\"<$MISSING>\"\n", &no_process_env);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(value(&parsed, "A"), "x");
        assert_eq!(value(&parsed, "B"), "<>");
        assert_eq!(
            parsed.warnings,
            vec![
                unresolved("NOPE", pos(1, 3), "A"),
                unresolved("ALSO_NOPE", pos(1, 11), "A"),
                unresolved("MISSING", pos(2, 5), "B"),
            ]
        );
    }

    #[test]
    fn columns_count_chars_not_bytes() {
        let parsed = parse("NAME=日本 é $MISSING\n", &no_process_env);
        assert_eq!(value(&parsed, "NAME"), "日本 é ");
        assert_eq!(entry(&parsed, "NAME").value_len, 13);
        assert_eq!(parsed.warnings[0].pos, pos(1, 11));
    }

    // --- line endings and BOM ----------------------------------------------

    #[test]
    fn crlf_line_endings() {
        let parsed = parse_clean("A=1\r\nB=\"x\r\ny\"\r\nC=3 # c\r\nD='\r\n'\r\n");
        assert_eq!(value(&parsed, "A"), "1");
        assert_eq!(value(&parsed, "B"), "x\ny");
        assert_eq!(value(&parsed, "C"), "3");
        assert_eq!(value(&parsed, "D"), "\n");
        assert_eq!(entry(&parsed, "C").key_pos, pos(4, 1));
        assert_eq!(entry(&parsed, "D").key_pos, pos(5, 1));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let parsed = parse_clean("\u{feff}A=1\nB=2\n");
        assert_eq!(entry(&parsed, "A").key_pos, pos(1, 1));
        assert_eq!(value(&parsed, "A"), "1");
    }

    // --- duplicates --------------------------------------------------------

    #[test]
    fn duplicate_keys_keep_all_entries_and_the_last_wins() {
        let parsed = parse_clean("A=1\nB=x\nA=2\n");
        let values: Vec<_> = parsed.entries.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(values, ["1", "x", "2"]);
        assert_eq!(value(&parsed, "A"), "2");
        assert_eq!(entry(&parsed, "A").key_pos, pos(3, 1));
        assert!(parsed.get("C").is_none());
    }

    // --- errors ------------------------------------------------------------

    #[test]
    fn key_without_equals_is_missing_equals() {
        let error = only_error("A=1\n  FOO bar # note\n");
        assert_eq!(
            error,
            EnvError {
                kind: EnvErrorKind::MissingEquals {
                    found: "FOO bar".into(),
                },
                pos: pos(2, 3),
                len: 7,
            }
        );
        assert_eq!(error.to_string(), "expected `KEY=VALUE`, found `FOO bar`");

        let alone = only_error("FOO");
        assert_eq!(
            alone.kind,
            EnvErrorKind::MissingEquals {
                found: "FOO".into()
            }
        );
        assert_eq!(alone.pos, pos(1, 1));
    }

    #[test]
    fn spaces_inside_a_key_are_missing_equals() {
        let error = only_error("FOO BAR=x\n");
        assert_eq!(
            error.kind,
            EnvErrorKind::MissingEquals {
                found: "FOO BAR=x".into()
            }
        );
        assert_eq!(error.pos, pos(1, 1));
    }

    #[test]
    fn export_without_assignment_is_missing_equals() {
        let error = only_error("export FOO\n");
        assert_eq!(
            error.kind,
            EnvErrorKind::MissingEquals {
                found: "FOO".into()
            }
        );
        assert_eq!(error.pos, pos(1, 8));
    }

    #[test]
    fn invalid_keys() {
        let cases = [
            ("1ABC=x", "1ABC", pos(1, 1)),
            ("  FO$O=x", "FO$O", pos(1, 3)),
            ("export -X=1", "-X", pos(1, 8)),
            ("KÉY=1", "KÉY", pos(1, 1)),
        ];
        for (text, found, at) in cases {
            let error = only_error(text);
            assert_eq!(
                error.kind,
                EnvErrorKind::InvalidKey {
                    found: found.into()
                },
                "{text}"
            );
            assert_eq!(error.pos, at, "{text}");
            assert_eq!(error.len, found.chars().count(), "{text}");
        }
        assert_eq!(
            only_error("1ABC=x").to_string(),
            "expected a key made of a letter or `_` followed by letters, digits, `_`, `.` or `-`, \
             found `1ABC`"
        );
    }

    #[test]
    fn missing_key_is_invalid_key_at_the_equals_sign() {
        let error = only_error("A=1\n  =value\n");
        assert_eq!(
            error,
            EnvError {
                kind: EnvErrorKind::InvalidKey {
                    found: String::new()
                },
                pos: pos(2, 3),
                len: 1,
            }
        );
        assert_eq!(
            error.to_string(),
            "expected a key before `=`, found nothing"
        );
    }

    #[test]
    fn unterminated_double_quote_swallows_the_rest_of_the_file() {
        let parsed = parse("A=1\nB=  \"abc\nC=2\n", &no_process_env);
        assert_eq!(
            parsed.errors,
            vec![EnvError {
                kind: EnvErrorKind::UnterminatedQuote { quote: '"' },
                pos: pos(2, 5),
                len: 1,
            }]
        );
        assert_eq!(
            parsed.errors[0].to_string(),
            "unterminated double-quoted value: no closing `\"`"
        );
        let keys: Vec<_> = parsed.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["A"]);
    }

    #[test]
    fn unterminated_single_quote() {
        // No escapes in single quotes, so `\'` does close the value.
        assert_eq!(value(&parse_clean("X='abc\\'"), "X"), "abc\\");
        let parsed = parse("X='abc\nY=1\n", &no_process_env);
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.errors.len(), 1);
        let error = &parsed.errors[0];
        assert_eq!(error.kind, EnvErrorKind::UnterminatedQuote { quote: '\'' });
        assert_eq!(error.pos, pos(1, 3));
        assert_eq!(
            error.to_string(),
            "unterminated single-quoted value: no closing `'`"
        );
    }

    #[test]
    fn escaped_quote_does_not_close_a_double_quoted_value() {
        let error = only_error("X=\"abc\\\"\n");
        assert_eq!(error.kind, EnvErrorKind::UnterminatedQuote { quote: '"' });
    }

    #[test]
    fn trailing_characters_after_closing_quote() {
        let cases = [
            ("A=\"x\" y", "y", pos(1, 7)),
            ("B='x'z # c", "z", pos(1, 6)),
            ("C=\"a\" \"b\"  ", "\"b\"", pos(1, 7)),
        ];
        for (text, found, at) in cases {
            let error = only_error(text);
            assert_eq!(
                error.kind,
                EnvErrorKind::TrailingCharacters {
                    found: found.into()
                },
                "{text}"
            );
            assert_eq!(error.pos, at, "{text}");
            assert_eq!(error.len, found.chars().count(), "{text}");
        }
        assert_eq!(
            only_error("A=\"x\" y").to_string(),
            "expected end of line or a `# comment` after the closing quote, found `y`"
        );
    }

    #[test]
    fn trailing_characters_after_a_multi_line_value_are_on_its_last_line() {
        let error = only_error("A=\"one\ntwo\" junk\n");
        assert_eq!(error.pos, pos(2, 6));
    }

    #[test]
    fn unterminated_brace() {
        let error = only_error("A=x${FOO\n");
        assert_eq!(
            error,
            EnvError {
                kind: EnvErrorKind::UnterminatedBrace,
                pos: pos(1, 4),
                len: 2,
            }
        );
        assert_eq!(
            error.to_string(),
            "unterminated `${`: expected a closing `}`"
        );
        assert_eq!(only_error("A=\"ab\n${X:-${Y}\"\n").pos, pos(2, 1));
    }

    #[test]
    fn bad_substitutions() {
        let cases = [
            ("A=${}", "${}", pos(1, 3)),
            ("A=x ${1abc}", "${1abc}", pos(1, 5)),
            ("A=${FOO:x}", "${FOO:x}", pos(1, 3)),
            ("A=${FOO bar}", "${FOO bar}", pos(1, 3)),
            ("A=${FOO.BAR}", "${FOO.BAR}", pos(1, 3)),
            ("A=${X:-${}}", "${}", pos(1, 8)),
        ];
        for (text, found, at) in cases {
            let error = only_error(text);
            assert_eq!(
                error.kind,
                EnvErrorKind::BadSubstitution {
                    found: found.into()
                },
                "{text}"
            );
            assert_eq!(error.pos, at, "{text}");
            assert_eq!(error.len, found.chars().count(), "{text}");
        }
        assert!(only_error("A=${FOO:x}")
            .to_string()
            .starts_with("bad substitution `${FOO:x}`: expected `${NAME}`"));
    }

    #[test]
    fn one_value_can_report_several_substitution_errors() {
        let parsed = parse("A=${} ${1}\n", &no_process_env);
        let columns: Vec<_> = parsed.errors.iter().map(|e| e.pos.column).collect();
        assert_eq!(columns, [3, 7]);
        assert!(parsed.entries.is_empty());
    }

    #[test]
    fn parsing_continues_after_errors() {
        let text = "GOOD1=a\nBAD ONE\nGOOD2=b\n1BAD=x\nGOOD3=\"c\"\nBAD3=\"x\" junk\nGOOD4=${GOOD1}${GOOD2}\n";
        let parsed = parse(text, &no_process_env);
        let lines: Vec<_> = parsed.errors.iter().map(|e| e.pos.line).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert!(matches!(
            parsed.errors[0].kind,
            EnvErrorKind::MissingEquals { .. }
        ));
        assert!(matches!(
            parsed.errors[1].kind,
            EnvErrorKind::InvalidKey { .. }
        ));
        assert!(matches!(
            parsed.errors[2].kind,
            EnvErrorKind::TrailingCharacters { .. }
        ));
        let keys: Vec<_> = parsed.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["GOOD1", "GOOD2", "GOOD3", "GOOD4"]);
        assert_eq!(value(&parsed, "GOOD4"), "ab");
        assert_eq!(entry(&parsed, "GOOD4").key_pos, pos(7, 1));
    }

    #[test]
    fn long_found_text_is_clipped_in_messages() {
        let long_line = "X".repeat(100) + " y";
        let message = only_error(&long_line).to_string();
        assert!(message.ends_with("…`"), "{message}");
        assert!(message.chars().count() < 100, "{message}");
    }

    // --- real file ---------------------------------------------------------

    #[test]
    fn reference_orchestrator_env_parses() {
        let text = include_str!("../../tests/fixtures/reference/orchestrator.env.example");
        let parsed = parse(text, &no_process_env);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.warnings, vec![]);
        let docker_network = entry(&parsed, "DOCKER_NETWORK");
        assert_eq!(docker_network.value, "aceserver");
        assert_eq!(docker_network.quoting, Quoting::Double);
        assert_eq!(docker_network.value_pos, pos(3, 16));
        assert_eq!(docker_network.value_len, 11);
        assert_eq!(value(&parsed, "MIN_REPLICAS"), "10");
        assert_eq!(value(&parsed, "PROXY_BUFFER_TTL"), "60");
        assert_eq!(value(&parsed, "ORCHESTRATOR_URL"), "http://localhost:8000");
        assert_eq!(
            value(&parsed, "CONTAINER_LABEL"),
            "orchestrator.managed=acestream"
        );
        // Defined twice in the file; the later definition wins.
        assert_eq!(value(&parsed, "MAX_CONCURRENT_PROVISIONS"), "10");
        assert_eq!(value(&parsed, "PROXY_MODE"), "lightweight");
    }
}
