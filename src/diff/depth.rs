//! A bound on how deep FILE's collections nest, checked on the text before
//! the YAML parser sees it: libyaml's scanner does work proportional to the
//! depth of flow collections (`[[[…]]]`) for every token, so a 200 KB line
//! of brackets took 20 s to parse. A compose file nests a few levels.

use std::fmt;

/// Deeper nesting is refused (E0740). Compose files nest about six levels.
pub const MAX_DEPTH: usize = 64;

/// Where nesting first goes deeper than [`MAX_DEPTH`] (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "collections nest more than {MAX_DEPTH} levels deep at line {} column {}",
            self.line, self.column
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Plain,
    Comment,
    SingleQuoted,
    DoubleQuoted,
}

/// Finds the first flow collection (`[` or `{`) opened more than
/// [`MAX_DEPTH`] levels deep, skipping quoted scalars and comments. In block
/// context a bracket opens a collection only where a node starts (after
/// `:`, `-`, `?`, `,` or at the start of a line), as in YAML; one inside a
/// plain scalar (`echo [x]`) is text. Block nesting needs indentation, so
/// the text's length bounds it, and the parser's own limit catches the rest.
pub fn check_nesting(text: &str) -> Result<(), TooDeep> {
    let mut context = Context::Plain;
    let mut depth = 0usize;
    // The line's last character that is not a space, outside quotes, and
    // whether a space (or the start of the line) came just before.
    let mut previous: Option<char> = None;
    let mut after_space = true;
    let (mut line, mut column) = (1usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column) = (line + 1, 0);
            (previous, after_space) = (None, true);
            if context == Context::Comment {
                context = Context::Plain;
            }
            continue;
        }
        match context {
            Context::Comment => {}
            Context::DoubleQuoted => match c {
                '\\' if chars.next_if(|&n| n != '\n').is_some() => column += 1,
                '"' => context = Context::Plain,
                _ => {}
            },
            Context::SingleQuoted if c == '\'' => match chars.next_if_eq(&'\'') {
                Some(_) => column += 1,
                None => context = Context::Plain,
            },
            Context::SingleQuoted => {}
            Context::Plain => {
                let node_starts = match previous {
                    None | Some(':' | '-' | '?') => true,
                    Some(',' | '[' | '{') => depth > 0,
                    Some(_) => false,
                };
                match c {
                    '#' if after_space => context = Context::Comment,
                    '"' if node_starts => context = Context::DoubleQuoted,
                    '\'' if node_starts => context = Context::SingleQuoted,
                    '[' | '{' if depth > 0 || node_starts => {
                        depth += 1;
                        if depth > MAX_DEPTH {
                            return Err(TooDeep { line, column });
                        }
                    }
                    ']' | '}' if depth > 0 => depth -= 1,
                    _ => {}
                }
                if !c.is_whitespace() {
                    previous = Some(c);
                }
            }
        }
        after_space = c.is_whitespace();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brackets(depth: usize) -> String {
        format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn nesting_up_to_the_bound_is_accepted() {
        assert_eq!(check_nesting(&brackets(MAX_DEPTH)), Ok(()));
        let compose = "services:\n  a:\n    command: [\"run\", {x: [1, [2]]}]\n";
        assert_eq!(check_nesting(compose), Ok(()));
    }

    #[test]
    fn one_level_more_is_refused_where_it_happens() {
        let text = format!("a: 1\nx: {}", "[".repeat(MAX_DEPTH + 1));
        assert_eq!(
            check_nesting(&text),
            Err(TooDeep {
                line: 2,
                column: 3 + MAX_DEPTH + 1
            })
        );
        let flow_maps = format!("- {}", "{a: ".repeat(MAX_DEPTH + 1));
        assert!(check_nesting(&flow_maps).is_err());
    }

    #[test]
    fn brackets_in_quotes_comments_and_plain_text_do_not_count() {
        let deep = "[".repeat(MAX_DEPTH + 5);
        for text in [
            format!("x: \"{deep}\"\n"),
            format!("x: '{deep}'\n"),
            format!("x: 'it''s {deep}'\n"),
            format!("x: \"a \\\" {deep}\"\n"),
            format!("# {deep}\n"),
            format!("x: 1 # {deep}\n"),
            format!("command: echo {deep}\n"),
            format!("command: it's {deep}\n"),
        ] {
            assert_eq!(check_nesting(&text), Ok(()), "{text}");
        }
    }

    #[test]
    fn a_quote_inside_a_plain_scalar_does_not_hide_the_brackets_after_it() {
        let text = format!("x: [it's, {}", "[".repeat(MAX_DEPTH));
        assert!(check_nesting(&text).is_err());
    }
}
