//! Compiler-style diagnostics on stderr: `file:line:col: error[CODE]: message`,
//! the offending source line with a marker under the value, and a hint.

use crate::diagnostic::{Diagnostic, Location};
use crate::keys;
use crate::pipeline::Compilation;
use std::fmt::Write;

/// The text of `location`'s line, with a secret-looking key's value masked.
fn source_line(compilation: &Compilation, location: &Location) -> Option<String> {
    let position = location.position?;
    let inputs = &compilation.inputs;
    let file = [&inputs.env, &inputs.custom_variant, &inputs.template]
        .into_iter()
        .flatten()
        .find(|f| f.path == location.file)?;
    let line = file.text.lines().nth(position.line as usize - 1)?;
    Some(mask_secret(line))
}

/// `KEY=value` lines whose key looks secret show `KEY=<redacted>`.
pub fn mask_secret(line: &str) -> String {
    match line.split_once('=') {
        Some((key, _)) if keys::looks_secret(key.trim().trim_start_matches("export ")) => {
            format!("{key}=<redacted>")
        }
        _ => line.to_owned(),
    }
}

/// Formats one diagnostic with its source excerpt.
pub fn format_diagnostic(compilation: &Compilation, diagnostic: &Diagnostic) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        diagnostic.severity.as_str(),
        diagnostic.code,
        diagnostic.message
    );
    if let Some(location) = &diagnostic.location {
        let _ = writeln!(out, "  --> {location}");
        if let (Some(line), Some(position)) =
            (source_line(compilation, location), location.position)
        {
            let number = position.line.to_string();
            let pad = " ".repeat(number.len());
            let indent: String = line
                .chars()
                .take(position.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {line}");
            let _ = writeln!(
                out,
                "{pad} | {indent}{}",
                "^".repeat(location.length as usize)
            );
        }
    }
    if let Some(hint) = &diagnostic.hint {
        let _ = writeln!(out, "  = hint: {hint}");
    }
    out
}

pub fn print_diagnostics(compilation: &Compilation) {
    let mut all = compilation.diagnostics.clone().sorted();
    all.dedup();
    for diagnostic in &all {
        eprintln!("{}", format_diagnostic(compilation, diagnostic));
    }
}

pub fn summary(compilation: &Compilation, strict: bool) -> String {
    let errors = compilation.diagnostics.error_count();
    let warnings = compilation.diagnostics.warning_count();
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
