//! Backslash escapes inside double quotes, decoded as compose decodes them.

/// A value char and the index (in the file's chars) it was read from, so
/// that interpolation can point at the exact `$` even on a later line of a
/// multi-line value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub ch: char,
    pub at: usize,
}

/// Decodes `\a \b \f \n \r \t \v \" \\` and octal `\0NNN`; `\$` becomes
/// `$$`, which interpolation reads as a literal `$`. Any other backslash is
/// kept as written, and so is an octal escape that is not three octal
/// digits worth at most 255 (compose keeps such text with its `0` dropped:
/// `\012` stays `\12`).
pub fn decode(chars: &[Located]) -> Vec<Located> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let current = chars[i];
        let next = chars.get(i + 1).map(|c| c.ch);
        if current.ch != '\\' || next.is_none() {
            out.push(current);
            i += 1;
            continue;
        }
        let at = current.at;
        let simple = match next {
            Some('a') => Some('\u{7}'),
            Some('b') => Some('\u{8}'),
            Some('f') => Some('\u{c}'),
            Some('n') => Some('\n'),
            Some('r') => Some('\r'),
            Some('t') => Some('\t'),
            Some('v') => Some('\u{b}'),
            Some('"') => Some('"'),
            Some('\\') => Some('\\'),
            _ => None,
        };
        if let Some(decoded) = simple {
            out.push(Located { ch: decoded, at });
            i += 2;
        } else if next == Some('$') {
            out.push(Located { ch: '$', at });
            out.push(Located { ch: '$', at });
            i += 2;
        } else if next == Some('0') {
            let digits: Vec<char> = chars[i + 2..]
                .iter()
                .map(|c| c.ch)
                .take_while(char::is_ascii_digit)
                .take(3)
                .collect();
            match octal_value(&digits) {
                Some(decoded) => out.push(Located { ch: decoded, at }),
                None => {
                    out.push(current);
                    out.extend(chars[i + 2..i + 2 + digits.len()].iter().copied());
                }
            }
            i += 2 + digits.len();
        } else {
            // `\c`, `\x`, `\'`, …: the backslash stays, the next char is read
            // on its own.
            out.push(current);
            i += 1;
        }
    }
    out
}

/// Three octal digits worth at most 255, as the char of that code point.
fn octal_value(digits: &[char]) -> Option<char> {
    if digits.len() != 3 {
        return None;
    }
    let mut value = 0u32;
    for digit in digits {
        value = value * 8 + digit.to_digit(8)?;
    }
    (value <= 255).then(|| char::from_u32(value)).flatten()
}
