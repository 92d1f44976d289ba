//! Emitting: the document goes to stdout, or to a file replaced atomically
//! (a temporary file in the same folder, then a rename), so that an error
//! never leaves a truncated or half-written file.
//!
//! What `-o` does with what is already there (docs/security.md):
//! - a regular file is replaced; it keeps its mode, and its owner and group
//!   when the writer may give them (root may; others keep their own);
//! - a new file gets the mode the umask gives (0644 with umask 022);
//! - a symbolic link is followed: the file it points to is replaced
//!   atomically and the link stays a link; a link to nothing is refused;
//! - a folder, FIFO, socket or device is refused (`-o -` is stdout);
//! - an input of the run (`.env`, custom variant, template) is refused.
//!
//! Temporary files are named `.acegen-XXXXXX.tmp`; one left by a killed run
//! is removed by a later run that writes in the same folder once it is
//! [`STALE_AFTER`] old, if it is the writer's own regular file.

pub mod folder;

use camino::{Utf8Path, Utf8PathBuf};
use std::io::Write;
use std::time::Duration;

const TEMPORARY_PREFIX: &str = ".acegen-";
const TEMPORARY_SUFFIX: &str = ".tmp";
/// Older than any run takes: a run that is still writing is never touched.
pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// Refuses an output path that is a folder, a FIFO, a socket or a device
/// (also through links), a link to nothing, or one of `inputs`.
pub fn check_target(path: &Utf8Path, inputs: &[&Utf8Path]) -> Result<(), String> {
    let Some(target) = resolved_target(path)? else {
        return Ok(());
    };
    let metadata = std::fs::metadata(&target).map_err(|e| format!("{path}: cannot write: {e}"))?;
    let kind = special_kind(&metadata.file_type());
    if let Some(kind) = kind {
        return Err(format!(
            "{path}: is {kind}; -o writes a regular file (use `-o -` or no -o for stdout)"
        ));
    }
    for input in inputs {
        if is_same_file(&metadata, input) {
            return Err(format!(
                "{path}: is the input {input}; writing there would overwrite it (name another -o FILE)"
            ));
        }
    }
    Ok(())
}

/// The file `path` names, links followed; `None` when it does not exist.
fn resolved_target(path: &Utf8Path) -> Result<Option<Utf8PathBuf>, String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{path}: cannot write: {e}")),
        Ok(m) if m.file_type().is_symlink() => {
            let target = std::fs::canonicalize(path).map_err(|_| {
                format!(
                    "{path}: is a symbolic link to nothing; create its target, or remove the link"
                )
            })?;
            Utf8PathBuf::from_path_buf(target)
                .map(Some)
                .map_err(|p| format!("{path}: links to a path that is not UTF-8: {}", p.display()))
        }
        Ok(_) => Ok(Some(path.to_owned())),
    }
}

fn special_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    (!file_type.is_file()).then_some("not a regular file")
}

fn is_same_file(target: &std::fs::Metadata, other: &Utf8Path) -> bool {
    let Ok(other) = std::fs::metadata(other) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        target.dev() == other.dev() && target.ino() == other.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (target, other);
        false
    }
}

/// Replaces the file at `path` (through a link: its target) with `text`.
pub fn write_atomically(path: &Utf8Path, text: &str) -> std::io::Result<()> {
    let target = resolved_target(path)
        .map_err(std::io::Error::other)?
        .unwrap_or_else(|| path.to_owned());
    let existing = std::fs::metadata(&target).ok();
    if let Some(kind) = existing.as_ref().and_then(|m| special_kind(&m.file_type())) {
        return Err(std::io::Error::other(format!("it is {kind}")));
    }
    let folder = match target.parent() {
        Some(p) if !p.as_str().is_empty() => p,
        _ => Utf8Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    if existing.is_none() {
        // A new file: created 0666 so that the kernel applies the umask,
        // as for any file a shell redirection creates.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(folder)?;
    if let Ok(ours) = temporary.as_file().metadata() {
        remove_stale_temporaries(folder, STALE_AFTER, &ours);
    }
    temporary.write_all(text.as_bytes())?;
    if let Some(existing) = &existing {
        keep_owner_and_mode(temporary.as_file(), existing)?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Gives the new file the replaced file's mode, and its owner and group
/// where the writer may (the kernel refuses others: they keep their own).
fn keep_owner_and_mode(file: &std::fs::File, existing: &std::fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid()));
        // …or only the group, for a member of it who does not own the file.
        let _ = std::os::unix::fs::fchown(file, None, Some(existing.gid()));
    }
    // After the chown, which may clear set-id bits.
    file.set_permissions(existing.permissions())
}

/// Removes `.acegen-*.tmp` files older than `age` in `folder` that are
/// regular files with the owner of `ours` (a temporary file this run just
/// made): what a killed run left. Errors are ignored: cleaning is a
/// courtesy, the write does not depend on it.
pub fn remove_stale_temporaries(folder: &Utf8Path, age: Duration, ours: &std::fs::Metadata) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX)) {
            continue;
        }
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        if metadata.is_file() && is_older_than(&metadata, age) && same_owner(&metadata, ours) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Was it last modified `age` ago or longer (what a killed run left)?
fn is_older_than(metadata: &std::fs::Metadata, age: Duration) -> bool {
    metadata
        .modified()
        .ok()
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|elapsed| elapsed >= age)
}

fn same_owner(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.uid() == b.uid()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        true
    }
}

pub fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

#[cfg(test)]
mod tests;
