//! Compiler-style diagnostics on stderr: `error[CODE]: message`, the
//! `--> file:line:col`, the offending source line with a marker under the
//! value, and a hint; coloured when a [`Palette`] says so.

use super::colour::{ColorChoice, Palette};
use super::excerpt::{clipped, excerpt};
use super::limits::{bounded, MAX_MESSAGE_CHARS};
use super::printable::printable;
use crate::diagnostic::{clip_snippet, Diagnostic, Location, Snippet, SNIPPET_WIDTH};
use crate::keys;
use crate::load::dotenv::shown::{is_known_key, unreadable_line};
use crate::pipeline::Compilation;
use std::fmt::Write;

/// The text of `location`'s line, with a secret-looking key's value masked,
/// clipped around the column when long (issue 16: a minified custom variant
/// repeated its whole line in every diagnostic), with the marker's column
/// and length in the clipped text.
fn source_line(compilation: &Compilation, location: &Location) -> Option<Snippet> {
    let position = location.position?;
    let inputs = &compilation.inputs;
    let file = [&inputs.env, &inputs.custom_variant, &inputs.template]
        .into_iter()
        .flatten()
        .find(|f| f.path == location.file)?;
    let (line, ascii) = file.line(position.line)?;
    let is_env = inputs.env.as_ref().is_some_and(|env| env.path == file.path);
    let (column, length) = (position.column, location.length);
    if is_env && continues_a_secret_value(compilation, position.line) {
        let text = "<a line of a secret value, not shown>";
        return Some(clip_snippet(text, true, column, length, SNIPPET_WIDTH));
    }
    if is_env && is_unreadable(compilation, position.line) {
        let (text, column, length) = unreadable_line(line, column, length);
        return Some(clip_snippet(&text, false, column, length, SNIPPET_WIDTH));
    }
    if is_env {
        let masked = mask_secret(line);
        return Some(clip_snippet(
            &masked,
            masked.is_ascii(),
            column,
            length,
            SNIPPET_WIDTH,
        ));
    }
    Some(clip_snippet(line, ascii, column, length, SNIPPET_WIDTH))
}

/// Did the `.env` reader lose its place on `line`: an error there whose
/// key is not one acegen knows? Then the line is shown only as
/// [`unreadable_line`] allows (it may be a secret).
fn is_unreadable(compilation: &Compilation, line: u32) -> bool {
    compilation
        .validated
        .env
        .errors
        .iter()
        .any(|error| error.pos.line == line && !is_known_key(&error.key))
}

/// Is `line` the second or a later line of a multi-line value whose key
/// looks secret? Counting the value's line breaks may overshoot (escaped
/// `\n`), which only masks more.
fn continues_a_secret_value(compilation: &Compilation, line: u32) -> bool {
    let env = &compilation.validated.env;
    env.key_continuing_on(line)
        .is_some_and(|key| keys::holds_secret(key) || keys::near_secret_key(key))
}

/// A line whose key looks secret shows `KEY=<redacted>`, whatever follows
/// the key: on a malformed line (`KEY value`) the value is there too.
pub fn mask_secret(line: &str) -> String {
    let indent_len = line.len() - line.trim_start().len();
    let rest = &line[indent_len..];
    // `export` followed by any whitespace, as compose reads it.
    let (export, rest) = match rest.strip_prefix("export") {
        Some(after) if after.starts_with(char::is_whitespace) => ("export ", after.trim_start()),
        _ => ("", rest),
    };
    let key_len = rest
        .find(|c: char| c == '=' || c == ':' || c.is_whitespace())
        .unwrap_or(rest.len());
    let key = &rest[..key_len];
    if keys::holds_secret(key) || keys::near_secret_key(key) {
        format!("{}{export}{key}=<redacted>", &line[..indent_len])
    } else {
        line.to_owned()
    }
}

/// Formats one diagnostic with its source excerpt, without colour.
pub fn format_diagnostic(compilation: &Compilation, diagnostic: &Diagnostic) -> String {
    format_styled(compilation, diagnostic, Palette::plain())
}

/// Formats one diagnostic with its source excerpt, in `palette`'s colours.
pub fn format_styled(
    compilation: &Compilation,
    diagnostic: &Diagnostic,
    palette: Palette,
) -> String {
    let mut out = String::new();
    let severity = diagnostic.severity;
    let message = clipped(&printable(&diagnostic.message), MAX_MESSAGE_CHARS);
    let _ = writeln!(
        out,
        "{}{}",
        palette.severity(
            severity,
            &format!("{}[{}]", severity.as_str(), diagnostic.code)
        ),
        palette.emphasis(&format!(": {message}"))
    );
    if let Some(location) = &diagnostic.location {
        let shown_location = printable(&location.to_string()).into_owned();
        let _ = writeln!(out, "  {} {shown_location}", palette.gutter("-->"));
        if let (Some(snippet), Some(position)) =
            (source_line(compilation, location), location.position)
        {
            let number = position.line.to_string();
            let pad = " ".repeat(number.len());
            // The cheap cut around the column (O(width) however long the
            // line) is then escaped and bounded for display; the marker follows.
            let shown = excerpt(&snippet.text, snippet.column, snippet.length as usize);
            let marker = "^".repeat(shown.marker_len);
            let _ = writeln!(out, "{}", palette.gutter(&format!("{pad} |")));
            let _ = writeln!(
                out,
                "{} {}",
                palette.gutter(&format!("{number} |")),
                shown.line
            );
            let _ = writeln!(
                out,
                "{} {}{}",
                palette.gutter(&format!("{pad} |")),
                shown.indent,
                palette.severity(severity, &marker)
            );
        }
    }
    if let Some(hint) = &diagnostic.hint {
        let hint = clipped(&printable(hint), MAX_MESSAGE_CHARS);
        let _ = writeln!(out, "  {} {hint}", palette.hint("= hint:"));
    }
    out
}

/// Prints every diagnostic on stderr, coloured as `--color auto` would.
pub fn print_diagnostics(compilation: &Compilation) {
    print_diagnostics_in(compilation, Palette::new(ColorChoice::Auto.for_stderr()));
}

pub fn print_diagnostics_in(compilation: &Compilation, palette: Palette) {
    let all = super::ordered(compilation);
    let (shown, omitted) = bounded(&all);
    for diagnostic in shown {
        eprintln!("{}", format_styled(compilation, diagnostic, palette));
    }
    for group in omitted {
        eprintln!("{}\n", printable(&group.describe()));
    }
}

pub fn summary(compilation: &Compilation, strict: bool) -> String {
    let (errors, warnings) = super::counts(&super::ordered(compilation));
    let verdict = if compilation.is_valid(strict) {
        "valid"
    } else {
        "invalid"
    };
    format!(
        "acegen: {verdict}: {errors} error{}, {warnings} warning{}{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        if strict && warnings > 0 {
            " (--strict: warnings count as errors)"
        } else {
            ""
        }
    )
}

pub fn print_summary(compilation: &Compilation, strict: bool) {
    eprintln!("{}", summary(compilation, strict));
}

pub fn print_refusal(compilation: &Compilation, strict: bool) {
    eprintln!("{}; nothing was written", summary(compilation, strict));
}

#[cfg(test)]
mod tests {
    use super::mask_secret;
    use crate::load::SourceFile;

    /// The excerpt's line is the one `lines()` gives (CRLF files included).
    #[test]
    fn source_lines_match_lines() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nc"] {
            let file = SourceFile::new(".env".into(), text.to_owned());
            for n in 1..5u32 {
                assert_eq!(
                    file.line(n).map(|(line, _)| line),
                    text.lines().nth(n as usize - 1),
                    "{text:?} {n}"
                );
            }
        }
    }

    #[test]
    fn secret_values_are_masked_even_on_malformed_lines() {
        assert_eq!(
            mask_secret("WIREGUARD_PRIVATE_KEY=abc="),
            "WIREGUARD_PRIVATE_KEY=<redacted>"
        );
        assert_eq!(
            mask_secret("  export OPENVPN_PASSWORD hunter2=x"),
            "  export OPENVPN_PASSWORD=<redacted>"
        );
        assert_eq!(mask_secret("MIN_REPLICAS=two"), "MIN_REPLICAS=two");
        // W0404 points at this key: its JSON holds an API key.
        assert_eq!(
            mask_secret(r#"HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE={"auth":"apikey","apikey":"k"}"#),
            "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE=<redacted>"
        );
    }
}
