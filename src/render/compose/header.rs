//! The header comment of the generated file: which inputs made it, and the
//! command that makes it again.
//!
//! Every part of it that a user wrote (paths, `--set` keys, URLs) goes
//! through [`shell_word`], which quotes it as a POSIX shell word and writes
//! every character that could end a YAML comment line (`\n`, `\r`, U+0085,
//! U+2028, U+2029), any other control character, and invisible format
//! characters (BOM, bidi overrides) as escapes. So no input can turn the
//! comment into YAML (issue 16: `--set $'X\ninclude: [evil.yml]\n#=1'`),
//! and the regenerate hint can be pasted into a shell as it is.

use super::Provenance;
use crate::resolve::Plan;
use camino::Utf8Path;
use std::fmt::Write;

/// Characters that may stand in a shell word without quotes.
fn is_plain_shell_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '-')
}

/// Characters a comment line must not hold as they are: line breaks in
/// YAML 1.1 or 1.2 (which compose's parser may follow), other controls, and
/// invisible characters that make the text read differently than it parses.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
                | '\u{FFFE}'
                | '\u{FFFF}'
                | '\u{200E}'
                | '\u{200F}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `word` as one POSIX shell word that is safe on a comment line: as is
/// when it needs no quotes, in single quotes when it holds nothing to
/// escape, else in bash's `$'…'` with escapes (`\n`, `\xHH`, `\uHHHH`).
pub fn shell_word(word: &str) -> String {
    if !word.is_empty() && word.chars().all(is_plain_shell_char) {
        return word.to_owned();
    }
    if !word.chars().any(needs_escape) {
        return format!("'{}'", word.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in word.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\'' => out.push_str(r"\'"),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            '\t' => out.push_str(r"\t"),
            c if needs_escape(c) && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The words of a command line, each quoted by [`shell_word`].
pub fn shell_command(words: &[String]) -> String {
    words
        .iter()
        .map(|w| shell_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A path as the header shows it: as the user gave it, except that an
/// absolute path inside the current folder becomes relative to it, so the
/// file does not name the user's home folder, and is the same on every
/// machine that runs the same command in the same layout.
pub fn shown_path(path: &Utf8Path) -> String {
    let relative = std::env::current_dir().ok().and_then(|cwd| {
        let cwd = camino::Utf8PathBuf::from_path_buf(cwd).ok()?;
        let rest = path.strip_prefix(&cwd).ok()?;
        Some(if rest.as_str().is_empty() {
            ".".to_owned()
        } else {
            rest.as_str().to_owned()
        })
    });
    match relative {
        Some(rest) if path.is_absolute() => rest,
        _ => path.as_str().to_owned(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn listed(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// The header's lines, without the `# ` each is written after.
pub fn header_lines(plan: &Plan, provenance: &Provenance) -> Vec<String> {
    let mut inputs = match &provenance.env_file {
        Some(env) => vec![shell_word(env)],
        None => vec!["defaults (no .env file)".to_owned()],
    };
    if let Some(custom) = &provenance.custom_variant {
        let disabled = if provenance.custom_variant_enabled {
            ""
        } else {
            " (disabled)"
        };
        inputs.push(format!("{}{disabled}", shell_word(custom)));
    }
    inputs.extend(provenance.options.iter().map(|o| shell_command(o)));
    let vpn = match plan.vpns.len() {
        0 => "no VPN".to_owned(),
        n => format!(
            "behind {} ({})",
            if n == 1 { "one VPN" } else { "two VPNs" },
            plan.vpns
                .iter()
                .map(|v| shell_word(&v.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut command = vec!["acegen".to_owned()];
    command.extend(provenance.arguments.iter().cloned());
    let lines = vec![
        format!("Generated by acegen from {}.", listed(&inputs)),
        format!(
            "Do not edit: change the inputs and run `{}` again.",
            shell_command(&command)
        ),
        format!(
            "{} engine{} of variant {}, {vpn}.",
            plan.engines.len(),
            if plan.engines.len() == 1 { "" } else { "s" },
            shell_word(&plan.variant.label)
        ),
    ];
    debug_assert!(lines.iter().all(|l| !l.chars().any(needs_escape)));
    lines
}

pub mod read;

#[cfg(test)]
mod tests;
