//! `$NAME`, `${NAME}` and `${NAME<op>word}` in unquoted and double-quoted
//! values, evaluated as compose-go's template package does, quirks included:
//! - a `${NAME<op>…` runs to the last `}` on its line, and is then cut at
//!   the first `}` that balances the `{`s before it, where each `{` also
//!   hides the char right after it (`${X:-{x}y}z` is `{x}yz`);
//! - the word of every operator is evaluated before the variable is looked
//!   at, so a `${B:?…}` inside a default fails even when the default is not
//!   used;
//! - names are ASCII letters, digits and `_` (and the two chars that match
//!   `[a-z]` under Unicode case folding, U+017F and U+212A).

use super::escapes::Located;
use super::{EnvErrorKind, MAX_NESTING};

/// Where a substitution failed: the error and the index of its `$`.
pub struct Failure {
    pub kind: EnvErrorKind,
    pub at: usize,
    /// Length in chars of the offending text.
    pub len: usize,
}

/// A name that resolved to nothing (it became ""), at the index of its `$`.
pub struct Unresolved {
    pub name: String,
    pub at: usize,
    pub written: String,
}

/// What a name's lookup found.
pub enum Lookup {
    Unset,
    /// The value, and whether the process environment gave it.
    Found(String, bool),
    /// A value longer than the budget left; it was not copied.
    TooLong,
}

pub struct Interpolator<'a> {
    /// Looks a name up: the process environment first, then the keys defined
    /// earlier in the file. The flag says whether the process env answered.
    /// Given the budget left, a value longer than it is not copied.
    pub lookup: &'a dyn Fn(&str, usize) -> Lookup,
    pub unresolved: Vec<Unresolved>,
    /// Names whose value came from the process environment.
    pub from_environment: Vec<String>,
    /// Every name whose value was looked up and found (file or process
    /// environment), so that a value built from a secret can be told.
    pub referenced: Vec<String>,
    /// Bytes of looked-up values this value may still copy; see
    /// [`super::MAX_EXPANDED_BYTES`].
    pub budget: usize,
}

fn is_name_start(ch: char) -> bool {
    ch.is_ascii_alphabetic() || ch == '_' || ch == '\u{17f}' || ch == '\u{212a}'
}

fn is_name_char(ch: char) -> bool {
    is_name_start(ch) || ch.is_ascii_digit()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Operator {
    Default,
    Alternative,
    Required,
}

impl Interpolator<'_> {
    pub fn expand(&mut self, chars: &[Located]) -> Result<String, Failure> {
        self.expand_at_depth(chars, 0)
    }

    fn expand_at_depth(&mut self, chars: &[Located], depth: usize) -> Result<String, Failure> {
        if depth > MAX_NESTING {
            return Err(Failure {
                kind: EnvErrorKind::NestingTooDeep,
                at: chars.first().map_or(0, |c| c.at),
                len: 1,
            });
        }
        let last_brace = last_brace_on_line(chars);
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].ch != '$' {
                out.push(chars[i].ch);
                i += 1;
                continue;
            }
            i = match chars.get(i + 1).map(|c| c.ch) {
                Some('$') => {
                    out.push('$');
                    i + 2
                }
                Some(ch) if is_name_start(ch) => {
                    let end = name_end(chars, i + 1);
                    let name = text_of(&chars[i + 1..end]);
                    let written = format!("${name}");
                    out.push_str(&self.variable(&name, chars[i].at, written)?);
                    end
                }
                Some('{') => self.braced(chars, i, last_brace[i], depth, &mut out)?,
                _ => {
                    out.push('$');
                    i + 1
                }
            };
        }
        Ok(out)
    }

    /// `${…}` starting at `dollar`; returns the index after it.
    fn braced(
        &mut self,
        chars: &[Located],
        dollar: usize,
        last_brace: Option<usize>,
        depth: usize,
        out: &mut String,
    ) -> Result<usize, Failure> {
        let invalid = || Failure {
            kind: EnvErrorKind::InvalidSubstitution {
                found: text_of(&chars[dollar..last_brace.map_or(dollar + 2, |b| b + 1)]),
            },
            at: chars[dollar].at,
            len: 2,
        };
        let name_start = dollar + 2;
        let name_stop = name_end(chars, name_start);
        let starts_well = chars.get(name_start).is_some_and(|c| is_name_start(c.ch));
        if !starts_well {
            return Err(invalid());
        }
        let name = text_of(&chars[name_start..name_stop]);
        let written = || text_of(&chars[dollar..=name_stop.min(chars.len() - 1)]);
        if chars.get(name_stop).map(|c| c.ch) == Some('}') {
            out.push_str(&self.variable(&name, chars[dollar].at, written())?);
            return Ok(name_stop + 1);
        }
        let colon = chars.get(name_stop).map(|c| c.ch) == Some(':');
        let operator_at = name_stop + usize::from(colon);
        let operator = match chars.get(operator_at).map(|c| c.ch) {
            Some('-') => Operator::Default,
            Some('+') => Operator::Alternative,
            Some('?') => Operator::Required,
            _ => return Err(invalid()),
        };
        let Some(match_end) = last_brace.filter(|&b| b > operator_at) else {
            return Err(invalid());
        };
        let close =
            first_balanced_close(&chars[dollar..=match_end]).map_or(match_end, |c| dollar + c);
        let environment_names_before = self.from_environment.len();
        let word = self.expand_at_depth(&chars[operator_at + 1..close], depth + 1)?;
        let word_uses_environment = self.from_environment.len() > environment_names_before;
        let value = self.lookup_recording(&name, chars[dollar].at)?;
        let counts_as_set = match &value {
            None => false,
            Some(v) => !(colon && v.is_empty()),
        };
        match operator {
            Operator::Default if counts_as_set => out.push_str(value.as_deref().unwrap_or("")),
            Operator::Default => out.push_str(&word),
            Operator::Alternative if counts_as_set => out.push_str(&word),
            Operator::Alternative => out.push_str(value.as_deref().unwrap_or("")),
            Operator::Required if counts_as_set => out.push_str(value.as_deref().unwrap_or("")),
            Operator::Required => {
                return Err(Failure {
                    kind: EnvErrorKind::RequiredVariable {
                        name,
                        // A value from the process environment is never shown.
                        message: if word_uses_environment {
                            "(a message built from the process environment, not shown)".to_owned()
                        } else {
                            word
                        },
                    },
                    at: chars[dollar].at,
                    len: close + 1 - dollar,
                });
            }
        }
        Ok(close + 1)
    }

    /// Looks `name` up and records it; the value's length is taken from
    /// the budget (the copy is made whether or not it is used), and a value
    /// past the budget fails at `at`.
    fn lookup_recording(&mut self, name: &str, at: usize) -> Result<Option<String>, Failure> {
        let (value, from_environment) = match (self.lookup)(name, self.budget) {
            Lookup::Unset => return Ok(None),
            Lookup::Found(value, from_environment) => (value, from_environment),
            Lookup::TooLong => {
                return Err(Failure {
                    kind: EnvErrorKind::ExpansionTooLarge,
                    at,
                    len: 1,
                })
            }
        };
        self.budget = self.budget.saturating_sub(value.len());
        if !self.referenced.iter().any(|n| n == name) {
            self.referenced.push(name.to_owned());
        }
        if from_environment && !self.from_environment.iter().any(|n| n == name) {
            self.from_environment.push(name.to_owned());
        }
        Ok(Some(value))
    }

    /// A plain reference: its value, or "" and a note that it was unset.
    fn variable(&mut self, name: &str, at: usize, written: String) -> Result<String, Failure> {
        Ok(match self.lookup_recording(name, at)? {
            Some(value) => value,
            None => {
                self.unresolved.push(Unresolved {
                    name: name.to_owned(),
                    at,
                    written,
                });
                String::new()
            }
        })
    }
}

fn name_end(chars: &[Located], start: usize) -> usize {
    start
        + chars[start.min(chars.len())..]
            .iter()
            .take_while(|c| is_name_char(c.ch))
            .count()
}

fn text_of(chars: &[Located]) -> String {
    chars.iter().map(|c| c.ch).collect()
}

/// For each index, the last `}` at or after it on the same line (a `${…}`
/// never spans lines), computed in one pass from the end.
fn last_brace_on_line(chars: &[Located]) -> Vec<Option<usize>> {
    let mut result = vec![None; chars.len()];
    let mut last = None;
    for i in (0..chars.len()).rev() {
        match chars[i].ch {
            '\n' => last = None,
            '}' if last.is_none() => last = Some(i),
            _ => {}
        }
        result[i] = last;
    }
    result
}

/// Compose's cut of `${…}`: the first `}` that brings the count of `{` back
/// to zero, where each `{` also skips the char after it. Relative to the `$`.
fn first_balanced_close(token: &[Located]) -> Option<usize> {
    let mut open = 0usize;
    let mut i = 0;
    while i < token.len() {
        match token[i].ch {
            '}' => {
                open = open.wrapping_sub(1);
                if open == 0 {
                    return Some(i);
                }
            }
            '{' => {
                open += 1;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}
