//! Input options given before the subcommand (`acegen --env-file X check`,
//! `acegen -C dir diff`), accepted as docker compose and helm accept theirs.
//!
//! clap's `global = true` would also show `--env-file` on `acegen schema`
//! and `acegen init`, which read no `.env`, and silently ignore it there.
//! Instead, options that stand before a subcommand which takes them are
//! moved after its name; anything else is left for clap to parse (and to
//! refuse with its own message: `acegen -o FILE check` is still an error,
//! `-o` belongs to `generate`). Which options take a value is read from the
//! clap definition itself, so this never falls behind the flags.

use std::ffi::OsString;

/// The id of an argument every compiling subcommand has (`InputArgs`).
const INPUT_ARGUMENT: &str = "env_file";

/// `args` (program name first) with the options that precede a compiling
/// subcommand moved after the subcommand's name; unchanged otherwise.
pub fn options_after_subcommand(command: &clap::Command, args: Vec<OsString>) -> Vec<OsString> {
    let Some(position) = subcommand_position(command, &args) else {
        return args;
    };
    let Some(name) = args[position].to_str() else {
        return args;
    };
    let takes_inputs = command.find_subcommand(name).is_some_and(|sub| {
        sub.get_arguments()
            .any(|a| a.get_id().as_str() == INPUT_ARGUMENT)
    });
    if position <= 1 || !takes_inputs {
        return args;
    }
    let mut reordered = Vec::with_capacity(args.len());
    reordered.push(args[0].clone());
    reordered.push(args[position].clone());
    reordered.extend_from_slice(&args[1..position]);
    reordered.extend_from_slice(&args[position + 1..]);
    reordered
}

/// Where the subcommand's name stands: the first word that is neither an
/// option nor an option's value. `None` when there is none, or when a word
/// before it is not an option of the top level (clap then reports it).
fn subcommand_position(command: &clap::Command, args: &[OsString]) -> Option<usize> {
    let mut index = 1;
    while index < args.len() {
        let word = args[index].to_str()?;
        if word == "--" {
            return None;
        }
        let words = if let Some(long) = word.strip_prefix("--") {
            let (name, inline_value) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            let arg = command
                .get_arguments()
                .find(|a| a.get_long() == Some(name))?;
            if takes_value(arg) && !inline_value {
                2
            } else {
                1
            }
        } else if let Some(short) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut letters = short.chars();
            let letter = letters.next()?;
            let arg = command
                .get_arguments()
                .find(|a| a.get_short() == Some(letter))?;
            // `-C dir` is two words, `-Cdir` one.
            if takes_value(arg) && letters.as_str().is_empty() {
                2
            } else {
                1
            }
        } else {
            return command.find_subcommand(word).map(|_| index);
        };
        index += words;
    }
    None
}

fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values()
}

#[cfg(test)]
mod tests;
