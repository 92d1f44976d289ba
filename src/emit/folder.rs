//! Writing a folder of files (the Kubernetes manifests) so that it is never
//! half-written: the files go into a new folder beside the target, which is
//! then renamed into place. An existing folder is replaced only when every
//! file in it was written by acegen (its first line is acegen's header), so
//! a user's own file is never deleted.

use camino::{Utf8Path, Utf8PathBuf};
use std::fmt;
use std::io::Write;
use std::time::Duration;

use super::{is_older_than, same_owner, STALE_AFTER};

#[derive(Debug)]
pub enum FolderError {
    /// The folder exists and holds something acegen did not write.
    NotOurs { folder: Utf8PathBuf, entry: String },
    Io {
        path: Utf8PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for FolderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FolderError::NotOurs { folder, entry } => write!(
                f,
                "{folder}: refusing to replace this folder: `{entry}` in it was not written by acegen \
                 (move it away, or write to another folder)"
            ),
            FolderError::Io { path, error } => write!(f, "{path}: {error}"),
        }
    }
}

fn io(path: &Utf8Path) -> impl Fn(std::io::Error) -> FolderError + '_ {
    move |error| FolderError::Io {
        path: path.to_owned(),
        error,
    }
}

/// Whether `folder` may be replaced: every entry is a file whose first line
/// is `header`. `Ok(None)` when it may, else the first entry that is not.
fn foreign_entry(folder: &Utf8Path, header: &str) -> Result<Option<String>, FolderError> {
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .map_err(io(folder))?
        .collect::<Result<_, _>>()
        .map_err(io(folder))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = entry.file_type().is_ok_and(|t| t.is_file())
            && std::fs::read_to_string(entry.path())
                .is_ok_and(|text| text.lines().next() == Some(header));
        if !ours {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

/// Removes what a killed run left beside `target`: `.NAME.acegen-new-*`
/// folders (half-written manifests) older than `age`, and `-old-*` ones
/// (the previous manifests, moved aside) when `target` is in place again;
/// only real folders (not links) with the owner of `ours` (the folder this
/// run just made). Errors are ignored: cleaning is a courtesy, the write
/// does not depend on it.
fn remove_stale_folders(target: &Utf8Path, age: Duration, ours: &std::fs::Metadata) {
    let parent = match target.parent() {
        Some(p) if !p.as_str().is_empty() => p,
        _ => Utf8Path::new("."),
    };
    let (Some(name), Ok(entries)) = (target.file_name(), std::fs::read_dir(parent)) else {
        return;
    };
    let target_in_place = target.is_dir();
    for entry in entries.flatten() {
        let entry_name = entry.file_name();
        let Some(rest) = entry_name
            .to_str()
            .and_then(|n| n.strip_prefix(&format!(".{name}.acegen-")))
        else {
            continue;
        };
        let leftover = rest.starts_with("new-") || (rest.starts_with("old-") && target_in_place);
        let Ok(metadata) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let stale = is_older_than(&metadata, age) && same_owner(&metadata, ours);
        if leftover && metadata.is_dir() && stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Refuses to replace `folder` when one of the run's `inputs` (`.env`,
/// custom variant, template) lies in it: the replaced folder would take
/// the input with it, as `-o FILE` refuses to overwrite an input.
pub fn check_inputs_outside(folder: &Utf8Path, inputs: &[&Utf8Path]) -> Result<(), String> {
    let Ok(folder_path) = std::fs::canonicalize(folder) else {
        return Ok(()); // Not there yet: nothing in it.
    };
    for input in inputs {
        let inside = std::fs::canonicalize(input).is_ok_and(|path| path.starts_with(&folder_path));
        if inside {
            return Err(format!(
                "{folder}: holds the input {input}; -o replaces the folder whole, which would \
                 delete it (write the manifests to another folder, or move the input out)"
            ));
        }
    }
    Ok(())
}

/// A new, empty folder beside `target`, named after it.
fn sibling_folder(target: &Utf8Path, purpose: &str) -> Result<Utf8PathBuf, FolderError> {
    let parent = match target.parent() {
        Some(p) if !p.as_str().is_empty() => p,
        _ => Utf8Path::new("."),
    };
    let name = target.file_name().unwrap_or("manifests");
    for attempt in 0..100u32 {
        let candidate = parent.join(format!(
            ".{name}.acegen-{purpose}-{}-{attempt}",
            std::process::id()
        ));
        match std::fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&candidate)(e)),
        }
    }
    Err(io(parent)(std::io::Error::other(
        "no free name for a temporary folder",
    )))
}

fn fill(folder: &Utf8Path, files: &[(String, String)]) -> Result<(), FolderError> {
    for (name, text) in files {
        let path = folder.join(name);
        let mut file = std::fs::File::create(&path).map_err(io(&path))?;
        file.write_all(text.as_bytes()).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))?;
    }
    Ok(())
}

/// Writes `files` (name, text) as the folder `target`, replacing a folder
/// acegen wrote before (see the module's doc). On any error the target is
/// left as it was and no temporary folder remains.
pub fn write_folder_atomically(
    target: &Utf8Path,
    files: &[(String, String)],
    header: &str,
) -> Result<(), FolderError> {
    if target.file_name().is_none() {
        return Err(io(target)(std::io::Error::other(
            "name a folder to write the manifests into",
        )));
    }
    let existing = match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => Some(meta),
        Ok(_) => {
            return Err(io(target)(std::io::Error::other(
                "exists and is not a folder",
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(target)(e)),
    };
    if existing.is_some() {
        if let Some(entry) = foreign_entry(target, header)? {
            return Err(FolderError::NotOurs {
                folder: target.to_owned(),
                entry,
            });
        }
    }
    let fresh = sibling_folder(target, "new")?;
    if let Ok(ours) = std::fs::metadata(&fresh) {
        remove_stale_folders(target, STALE_AFTER, &ours);
    }
    let result = fill(&fresh, files)
        .and_then(|()| match &existing {
            // Keep the folder's permissions (a user may have shared it with a group).
            Some(meta) => std::fs::set_permissions(&fresh, meta.permissions()).map_err(io(&fresh)),
            None => Ok(()),
        })
        .and_then(|()| move_into_place(&fresh, target, existing.is_some()));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&fresh);
    }
    result
}

/// Renames `fresh` to `target`; an existing target is first moved aside and
/// put back if the second rename fails.
fn move_into_place(fresh: &Utf8Path, target: &Utf8Path, exists: bool) -> Result<(), FolderError> {
    if !exists {
        return std::fs::rename(fresh, target).map_err(io(target));
    }
    let old = sibling_folder(target, "old")?;
    std::fs::remove_dir(&old).map_err(io(&old))?;
    std::fs::rename(target, &old).map_err(io(target))?;
    if let Err(e) = std::fs::rename(fresh, target) {
        let _ = std::fs::rename(&old, target);
        return Err(io(target)(e));
    }
    std::fs::remove_dir_all(&old).map_err(io(&old))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# written by us";

    fn files(text: &str) -> Vec<(String, String)> {
        vec![
            ("a.yaml".to_owned(), format!("{HEADER}\na: {text}\n")),
            ("b.yaml".to_owned(), format!("{HEADER}\nb: {text}\n")),
        ]
    }

    fn listing(dir: &Utf8Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn temporary() -> (tempfile::TempDir, Utf8PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().to_owned()).unwrap();
        (dir, path)
    }

    #[test]
    fn writes_a_new_folder_and_leaves_nothing_beside_it() {
        let (_dir, root) = temporary();
        let target = root.join("manifests");
        write_folder_atomically(&target, &files("1"), HEADER).unwrap();
        assert_eq!(listing(&target), ["a.yaml", "b.yaml"]);
        assert_eq!(listing(&root), ["manifests"]);
    }

    #[test]
    fn replaces_a_folder_it_wrote_dropping_files_no_longer_generated() {
        let (_dir, root) = temporary();
        let target = root.join("manifests");
        write_folder_atomically(&target, &files("1"), HEADER).unwrap();
        let fewer = vec![files("2").remove(1)];
        write_folder_atomically(&target, &fewer, HEADER).unwrap();
        assert_eq!(listing(&target), ["b.yaml"]);
        assert!(std::fs::read_to_string(target.join("b.yaml"))
            .unwrap()
            .ends_with("b: 2\n"));
        assert_eq!(listing(&root), ["manifests"]);
    }

    #[test]
    fn refuses_a_folder_holding_a_users_file_and_changes_nothing() {
        let (_dir, root) = temporary();
        let target = root.join("manifests");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("secret.yaml"), "kind: Secret\n").unwrap();
        let error = write_folder_atomically(&target, &files("1"), HEADER).unwrap_err();
        assert!(error.to_string().contains("`secret.yaml`"), "{error}");
        assert_eq!(listing(&target), ["secret.yaml"]);
        assert_eq!(listing(&root), ["manifests"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_folder_and_no_temporary() {
        let (_dir, root) = temporary();
        let target = root.join("manifests");
        write_folder_atomically(&target, &files("1"), HEADER).unwrap();
        let bad = vec![("no/such/dir.yaml".to_owned(), "x".to_owned())];
        assert!(write_folder_atomically(&target, &bad, HEADER).is_err());
        assert_eq!(listing(&target), ["a.yaml", "b.yaml"]);
        assert_eq!(listing(&root), ["manifests"]);
    }

    #[test]
    fn folders_a_killed_run_left_are_removed_once_stale() {
        let (_dir, root) = temporary();
        let target = root.join("manifests");
        let left_new = root.join(".manifests.acegen-new-999999-0");
        let left_old = root.join(".manifests.acegen-old-999999-0");
        let other = root.join(".other.acegen-new-999999-0");
        for folder in [&left_new, &left_old, &other] {
            std::fs::create_dir(folder).unwrap();
            std::fs::write(folder.join("a.yaml"), "x").unwrap();
        }
        let ours = std::fs::metadata(&root).unwrap();
        // Young: a run may still be writing it.
        remove_stale_folders(&target, Duration::from_secs(3600), &ours);
        assert_eq!(listing(&root).len(), 3);
        // Stale, but the target is not in place: the old copy is kept.
        remove_stale_folders(&target, Duration::ZERO, &ours);
        assert_eq!(
            listing(&root),
            [
                ".manifests.acegen-old-999999-0",
                ".other.acegen-new-999999-0"
            ]
        );
        write_folder_atomically(&target, &files("1"), HEADER).unwrap();
        remove_stale_folders(&target, Duration::ZERO, &ours);
        assert_eq!(listing(&root), [".other.acegen-new-999999-0", "manifests"]);
    }

    #[test]
    fn an_input_inside_the_folder_is_refused() {
        let (_dir, root) = temporary();
        let target = root.join("manifests");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join(".env"), "TZ=UTC\n").unwrap();
        std::fs::write(root.join(".env"), "TZ=UTC\n").unwrap();
        let inside = target.join(".env");
        let error = check_inputs_outside(&target, &[root.join(".env").as_path(), &inside]);
        assert!(error.unwrap_err().contains("holds the input"));
        assert_eq!(
            check_inputs_outside(&target, &[root.join(".env").as_path()]),
            Ok(())
        );
        assert_eq!(
            check_inputs_outside(&root.join("new"), &[inside.as_path()]),
            Ok(())
        );
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let (_dir, root) = temporary();
        let target = root.join("manifests");
        std::fs::write(&target, "x").unwrap();
        assert!(write_folder_atomically(&target, &files("1"), HEADER).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "x");
    }
}
