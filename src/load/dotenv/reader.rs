//! Statement by statement, as compose-go's dotenv parser reads a file:
//! - whitespace (line breaks included) and `# comment` lines are skipped;
//! - `export` and spaces are dropped before a key;
//! - a key runs to `=`, `:` or a line break (a bare `KEY` line takes KEY
//!   from the process environment, or from an earlier line, or is ignored),
//!   and may hold letters, numbers, `_ . - [ ]` and spaces (then refused);
//! - the text left at the end of the file with none of those is the value
//!   of the empty key (so a bare `KEY` on a last line without a line break
//!   is silently ignored);
//! - a value that starts with a quote ends at the matching quote, wherever
//!   it is; what follows it on the line is read as the next statement.

use super::escapes::{self, Located};
use super::interpolate::Interpolator;
use super::text::{self, LineIndex};
use super::{EnvEntry, EnvError, EnvErrorKind, EnvWarning, EnvWarningKind, ParsedEnv, Quoting};
use std::collections::HashMap;

/// Reads the file once. With `final_values` (a second read, see
/// `second_read`), a name the process environment does not hold is looked
/// up there instead of among the keys defined earlier in the file.
pub fn read(
    text: &str,
    process_env: &dyn Fn(&str) -> Option<String>,
    final_values: Option<&HashMap<String, String>>,
) -> ParsedEnv {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let chars: Vec<char> = text.chars().collect();
    let mut reader = Reader {
        lines: LineIndex::new(&chars),
        chars,
        index: 0,
        process_env,
        final_values,
        defined: HashMap::new(),
        result: ParsedEnv::default(),
    };
    reader.read_all();
    reader.result
}

struct Reader<'a> {
    chars: Vec<char>,
    lines: LineIndex,
    index: usize,
    process_env: &'a dyn Fn(&str) -> Option<String>,
    final_values: Option<&'a HashMap<String, String>>,
    /// Index in `result.entries` of the last definition of each key so far.
    defined: HashMap<String, usize>,
    result: ParsedEnv,
}

/// How a key ended.
enum KeyEnd {
    /// `=` or `:` at this index.
    Assignment(usize),
    /// A line break at this index: a bare `KEY` line.
    LineBreak(usize),
    /// The end of the file.
    EndOfFile,
}

impl Reader<'_> {
    fn peek(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    fn read_all(&mut self) {
        while self.skip_to_statement() {
            if let Err(error) = self.read_statement() {
                self.result.errors.push(error);
                self.skip_past_line_break();
            }
        }
    }

    /// Skips whitespace and comment lines; false at the end of the file.
    fn skip_to_statement(&mut self) -> bool {
        loop {
            while self.peek(self.index).is_some_and(char::is_whitespace) {
                self.index += 1;
            }
            match self.peek(self.index) {
                None => return false,
                Some('#') => self.skip_to_line_break(),
                Some(_) => return true,
            }
        }
    }

    fn skip_to_line_break(&mut self) {
        while self.peek(self.index).is_some_and(|c| c != '\n') {
            self.index += 1;
        }
    }

    fn skip_past_line_break(&mut self) {
        self.skip_to_line_break();
        self.index = (self.index + 1).min(self.chars.len());
    }

    fn skip_inline_spaces(&mut self) {
        while self.peek(self.index).is_some_and(text::is_inline_space) {
            self.index += 1;
        }
    }

    fn error(&self, kind: EnvErrorKind, at: usize, len: usize, key: &str) -> EnvError {
        EnvError {
            kind,
            pos: self.lines.position(at),
            len: len.max(1),
            key: key.to_owned(),
        }
    }

    fn skip_export(&mut self) {
        let word: Vec<char> = "export".chars().collect();
        let matches_word = self.chars[self.index..].starts_with(&word);
        let separated = self
            .peek(self.index + word.len())
            .is_some_and(text::is_export_separator);
        if matches_word && separated {
            self.index += word.len();
            self.skip_inline_spaces();
        }
    }

    /// Finds where the key at `self.index` ends, refusing chars compose
    /// refuses.
    fn key_end(&self) -> Result<KeyEnd, EnvError> {
        for (offset, &ch) in self.chars[self.index..].iter().enumerate() {
            let at = self.index + offset;
            match ch {
                '=' | ':' => return Ok(KeyEnd::Assignment(at)),
                '\n' => return Ok(KeyEnd::LineBreak(at)),
                _ if text::is_inline_space(ch)
                    || text::is_key_punctuation(ch)
                    || text::is_key_letter(ch) => {}
                _ => {
                    // Only the first word: after a space may come a value.
                    let key: String = self.chars[self.index..at]
                        .iter()
                        .take_while(|&&c| !text::is_inline_space(c))
                        .collect();
                    return Err(self.error(
                        EnvErrorKind::UnexpectedCharacter { found: ch },
                        at,
                        1,
                        &key,
                    ));
                }
            }
        }
        Ok(KeyEnd::EndOfFile)
    }

    fn read_statement(&mut self) -> Result<(), EnvError> {
        self.skip_export();
        let key_start = self.index;
        let (key_stop, value_start, inherited) = match self.key_end()? {
            KeyEnd::Assignment(at) => (at, at + 1, false),
            KeyEnd::LineBreak(at) => (at, at + 1, true),
            // What is left is the value of the empty key.
            KeyEnd::EndOfFile => (key_start, key_start, false),
        };
        let raw_key: String = self.chars[key_start..key_stop].iter().collect();
        let key = raw_key.trim_end().to_owned();
        if key.contains(' ') {
            let first_word = key.split(' ').next().unwrap_or("").to_owned();
            let len = first_word.chars().count();
            return Err(self.error(
                EnvErrorKind::KeyWithSpace { first_word },
                key_start,
                len,
                &key,
            ));
        }
        self.index = value_start;
        self.skip_inline_spaces();
        if inherited {
            self.inherit(key, key_start);
            return Ok(());
        }
        match self.peek(self.index) {
            Some(quote @ ('\'' | '"')) => self.read_quoted(key, key_start, quote),
            _ => {
                self.read_unquoted(key, key_start);
                Ok(())
            }
        }
    }

    /// A bare `KEY` line: the process environment, else an earlier line.
    fn inherit(&mut self, key: String, key_start: usize) {
        let looked_up = self.lookup(&key);
        let Some((value, from_environment)) = looked_up else {
            return;
        };
        let pos = self.lines.position(key_start);
        let len = key.chars().count();
        let entry = EnvEntry {
            from_environment: if from_environment {
                vec![key.clone()]
            } else {
                Vec::new()
            },
            // A bare `KEY` inherits its own earlier value (or the shell's).
            interpolated_from: vec![key.clone()],
            key,
            value,
            key_pos: pos,
            value_pos: pos,
            value_len: len.max(1),
            quoting: Quoting::None,
        };
        self.define(entry);
    }

    fn lookup(&self, name: &str) -> Option<(String, bool)> {
        if let Some(value) = (self.process_env)(name) {
            return Some((value, true));
        }
        if let Some(final_values) = self.final_values {
            return final_values.get(name).map(|value| (value.clone(), false));
        }
        let index = *self.defined.get(name)?;
        Some((self.result.entries[index].value.clone(), false))
    }

    fn read_unquoted(&mut self, key: String, key_start: usize) {
        let start = self.index;
        self.skip_to_line_break();
        let line_end = self.index;
        self.index = (line_end + 1).min(self.chars.len());
        let mut end = (start..line_end)
            .find(|&i| self.chars[i] == ' ' && self.peek(i + 1) == Some('#'))
            .unwrap_or(line_end);
        while end > start && self.chars[end - 1].is_whitespace() {
            end -= 1;
        }
        let located: Vec<Located> = (start..end)
            .map(|at| Located {
                ch: self.chars[at],
                at,
            })
            .collect();
        self.finish(key, key_start, start, end - start, Quoting::None, located);
    }

    /// From the opening quote to the matching one; `\` before the quote
    /// escapes it (in single quotes too). Other backslashes are kept for
    /// double quotes to decode.
    fn read_quoted(&mut self, key: String, key_start: usize, quote: char) -> Result<(), EnvError> {
        let open = self.index;
        let mut contents = Vec::new();
        let mut escaping = false;
        let mut close = None;
        for at in open + 1..self.chars.len() {
            let ch = self.chars[at];
            if ch == quote && !escaping {
                close = Some(at);
                break;
            }
            if ch == '\\' && !escaping {
                escaping = true;
                continue;
            }
            if escaping && ch != quote {
                contents.push(Located {
                    ch: '\\',
                    at: at - 1,
                });
            }
            escaping = false;
            contents.push(Located { ch, at });
        }
        let last = close.unwrap_or(self.chars.len().saturating_sub(1));
        self.note_multi_line(&key, open, last);
        let Some(close) = close else {
            self.index = self.chars.len();
            return Err(self.error(EnvErrorKind::UnterminatedQuote { quote }, open, 1, &key));
        };
        self.index = close + 1;
        let first_line_len = (open..=close)
            .take_while(|&i| self.chars[i] != '\n')
            .count();
        if quote == '"' {
            let decoded = escapes::decode(&contents);
            self.finish(
                key,
                key_start,
                open,
                first_line_len,
                Quoting::Double,
                decoded,
            );
        } else {
            let value: String = contents.iter().map(|c| c.ch).collect();
            let entry = self.entry(key, key_start, open, first_line_len, Quoting::Single, value);
            self.define(entry);
        }
        Ok(())
    }

    fn note_multi_line(&mut self, key: &str, open: usize, last: usize) {
        let first_line = self.lines.position(open).line;
        let last_line = self.lines.position(last.max(open)).line;
        if last_line > first_line {
            self.result.multi_line_values.push(super::MultiLineValue {
                key: key.to_owned(),
                first_line,
                last_line,
            });
        }
    }

    fn entry(
        &self,
        key: String,
        key_start: usize,
        value_start: usize,
        value_len: usize,
        quoting: Quoting,
        value: String,
    ) -> EnvEntry {
        EnvEntry {
            key,
            value,
            key_pos: self.lines.position(key_start),
            value_pos: self.lines.position(value_start),
            value_len: value_len.max(1),
            quoting,
            from_environment: Vec::new(),
            interpolated_from: Vec::new(),
        }
    }

    /// Interpolates an unquoted or double-quoted value and defines the key,
    /// or records why the value is refused.
    fn finish(
        &mut self,
        key: String,
        key_start: usize,
        value_start: usize,
        value_len: usize,
        quoting: Quoting,
        located: Vec<Located>,
    ) {
        let lookup = |name: &str| self.lookup(name);
        let mut interpolator = Interpolator {
            lookup: &lookup,
            unresolved: Vec::new(),
            from_environment: Vec::new(),
            referenced: Vec::new(),
        };
        let expanded = interpolator.expand(&located);
        let warnings: Vec<EnvWarning> = interpolator
            .unresolved
            .into_iter()
            .map(|u| EnvWarning {
                kind: EnvWarningKind::UnresolvedVariable { name: u.name },
                pos: self.lines.position(u.at),
                written: u.written,
                key: key.clone(),
            })
            .collect();
        let from_environment = interpolator.from_environment;
        let interpolated_from = interpolator.referenced;
        self.result.warnings.extend(warnings);
        match expanded {
            Ok(value) => {
                let mut entry = self.entry(key, key_start, value_start, value_len, quoting, value);
                entry.from_environment = from_environment;
                entry.interpolated_from = interpolated_from;
                self.define(entry);
            }
            Err(failure) => {
                let error = self.error(failure.kind, failure.at, failure.len, &key);
                self.result.errors.push(error);
            }
        }
    }

    fn define(&mut self, entry: EnvEntry) {
        let index = self.result.entries.len();
        match self.defined.get_mut(&entry.key) {
            Some(last) => *last = index,
            None => {
                self.defined.insert(entry.key.clone(), index);
            }
        }
        self.result.entries.push(entry);
    }
}
