//! Docker compose reads the project `.env` twice, and refuses the file when
//! the second read fails.
//!
//! Facts (docker/compose v2.40.3 `cmd/compose/compose.go`,
//! `toProjectOptions`; compose-go v2.9.1 `cli/options.go` and
//! `dotenv/env.go`): the project options apply `cli.WithDotEnv` twice. Each
//! time `dotenv.GetEnvFromFile` reads the file looking a name up in the
//! project environment first and among the keys read so far second; after
//! the first time that environment holds every key of the file at its final
//! value (`Mapping.Merge` adds the keys the process environment does not
//! set). The second read's values are thrown away (`Merge` keeps the first),
//! but its errors are not: `A=1`, `B=${A:?m}`, `A=` passes the first read
//! (A is 1 on B's line) and fails the second (A is empty by then).
//!
//! The only step whose outcome depends on the values looked up is
//! `${NAME:?…}` / `${NAME?…}`, so a file the first read accepts can only be
//! refused for a required variable whose final value is empty.

#[cfg(test)]
mod tests;

use super::{reader, EnvError, EnvErrorKind, ParsedEnv};
use std::collections::HashMap;

/// The errors of compose's second read of a file whose first read
/// (`first`) had none, each naming the line that left the variable empty.
pub fn refusals(
    text: &str,
    process_env: &dyn Fn(&str) -> Option<String>,
    first: &ParsedEnv,
) -> Vec<EnvError> {
    let final_values: HashMap<String, String> = first
        .entries
        .iter()
        .map(|entry| (entry.key.clone(), entry.value.clone()))
        .collect();
    let second = reader::read(text, process_env, Some(&final_values));
    second
        .errors
        .into_iter()
        .map(|error| match error.kind {
            EnvErrorKind::RequiredVariable { name, message } => {
                let emptied_on_line = first.get(&name).map_or(0, |entry| entry.key_pos.line);
                EnvError {
                    kind: EnvErrorKind::RequiredVariableEmptiedLater {
                        name,
                        message,
                        emptied_on_line,
                    },
                    ..error
                }
            }
            _ => error,
        })
        .collect()
}
