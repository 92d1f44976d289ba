//! Quoted YAML scalars as the line rules see them: where one ends, and
//! its text with escapes decoded (a key may be spelt `"PASS\\u0057ORD"`).

/// `"text"rest` → (`text`, `rest`); escapes (`\"`, or `''` in single
/// quotes) are kept as written. None when the quote does not close.
pub fn split_quoted(text: &str, quote: char) -> Option<(&str, &str)> {
    let body = &text[1..];
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
            continue;
        }
        if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') {
                chars.next();
                continue;
            }
            return Some((&body[..i], &body[i + 1..]));
        }
    }
    None
}

/// A scalar as written (maybe quoted) → its text, escapes decoded.
pub fn decoded_scalar(text: &str) -> String {
    let text = text.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return decode_quoted(inner, quote);
        }
    }
    text.to_owned()
}

/// `line` with each `"…"` string's escapes decoded, to see names spelt
/// with escapes (`"PASS\u0057ORD"`).
pub fn decoded_quoted_strings(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        let Some((inner, after)) = split_quoted(&rest[open..], '"') else {
            out.push_str(&decode_quoted(&rest[open + 1..], '"'));
            return out;
        };
        out.push_str(&decode_quoted(inner, '"'));
        out.push('"');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The text of a quoted scalar's inside: `''` in single quotes, the YAML
/// escapes in double quotes. An unknown escape is kept as written.
pub fn decode_quoted(inner: &str, quote: char) -> String {
    if quote == '\'' {
        return inner.replace("''", "'");
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escape) = chars.next() else {
            out.push('\\');
            break;
        };
        let hex_digits = match escape {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        if hex_digits > 0 {
            let digits: String = chars.clone().take(hex_digits).collect();
            match u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
            {
                Some(decoded) if digits.len() == hex_digits => {
                    out.push(decoded);
                    chars.nth(hex_digits - 1);
                }
                _ => {
                    out.push('\\');
                    out.push(escape);
                }
            }
            continue;
        }
        out.push(match escape {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' | '\t' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            other => other,
        });
    }
    out
}

pub fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}
