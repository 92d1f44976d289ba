//! Inputs a pull request can point elsewhere. A committed `.env`, compose
//! file or manifest can be a symbolic link to `~/.docker/config.json` or
//! `/proc/self/environ`, and acegen prints excerpts of what it reads (diff
//! lines, diagnostics), in CI logs that are often public. So an input that
//! is a link leaving the stack's folder (E0750), or a special file — a
//! FIFO, socket or device, or a file of `/proc`, `/sys` or `/dev` (E0751) —
//! is refused before it is read. Standard input (`-`) is never a path.

use camino::Utf8Path;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why an input is refused: its code and the message after the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// Pseudo-filesystems whose files report as regular but are not content
/// of the stack.
const PSEUDO_FOLDERS: &[&str] = &["/proc", "/sys", "/dev"];

/// Checks `path` (an input about to be read) against `stack_folder`. A path
/// that does not exist passes: the caller reports it as missing.
pub fn check_input(path: &Utf8Path, stack_folder: &Utf8Path) -> Result<(), Refused> {
    let Ok(target) = std::fs::canonicalize(path) else {
        return special_unless_missing(path);
    };
    stays_in_stack(path, &target, stack_folder)?;
    let is_regular = std::fs::metadata(&target).is_ok_and(|m| m.is_file());
    if !is_regular || PSEUDO_FOLDERS.iter().any(|p| target.starts_with(p)) {
        return Err(special_file());
    }
    Ok(())
}

/// Checks a folder of inputs (the manifests folder): it may not be a link
/// leading out of the stack's folder (its files are checked one by one).
pub fn check_folder(path: &Utf8Path, stack_folder: &Utf8Path) -> Result<(), Refused> {
    match std::fs::canonicalize(path) {
        Ok(target) => stays_in_stack(path, &target, stack_folder),
        Err(_) => Ok(()),
    }
}

/// E0750 when `path` goes through a link and its `target` lies outside
/// the stack's folder.
fn stays_in_stack(path: &Utf8Path, target: &Path, stack_folder: &Utf8Path) -> Result<(), Refused> {
    if !goes_through_link(path.as_std_path()) {
        return Ok(());
    }
    let folder = canonical_folder(stack_folder);
    if folder.is_some_and(|folder| target.starts_with(folder)) {
        return Ok(());
    }
    Err(Refused {
        code: "E0750",
        message: format!(
            "is a symbolic link leading out of the stack's folder ({}); acegen does not \
             read it, so that a committed link cannot make it print another file",
            crate::load::project::shown(stack_folder)
        ),
    })
}

/// A path that cannot be resolved: missing (fine here), or a special file
/// such as a pipe of `<(…)` whose link names no path.
fn special_unless_missing(path: &Utf8Path) -> Result<(), Refused> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(special_file()),
        _ => Ok(()),
    }
}

fn special_file() -> Refused {
    Refused {
        code: "E0751",
        message: "is not a regular file (a FIFO, socket, device or a file of /proc, /sys or \
                  /dev); acegen reads its inputs from files of the stack (give `-` to read \
                  standard input)"
            .to_owned(),
    }
}

/// Is `path`, or a folder on the way to it, a symbolic link?
fn goes_through_link(path: &Path) -> bool {
    path.ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .any(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
}

fn canonical_folder(folder: &Utf8Path) -> Option<PathBuf> {
    let folder = if folder.as_str().is_empty() {
        Utf8Path::new(".")
    } else {
        folder
    };
    std::fs::canonicalize(folder).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use camino::Utf8PathBuf;
    use std::os::unix::fs::symlink;

    fn folder() -> (tempfile::TempDir, Utf8PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().to_owned()).unwrap();
        std::fs::create_dir(path.join("stack")).unwrap();
        (dir, path)
    }

    #[test]
    fn a_link_leaving_the_stack_is_refused_and_one_inside_it_read() {
        let (_dir, root) = folder();
        let stack = root.join("stack");
        std::fs::write(root.join("outside.json"), "{}").unwrap();
        std::fs::write(stack.join("real.yml"), "").unwrap();
        symlink(root.join("outside.json"), stack.join("out.yml")).unwrap();
        symlink("real.yml", stack.join("in.yml")).unwrap();
        symlink("../outside.json", stack.join("relative-out.yml")).unwrap();
        let code = |name: &str| check_input(&stack.join(name), &stack).err().map(|r| r.code);
        assert_eq!(code("out.yml"), Some("E0750"));
        assert_eq!(code("relative-out.yml"), Some("E0750"));
        assert_eq!(code("in.yml"), None);
        assert_eq!(code("real.yml"), None);
        assert_eq!(code("missing.yml"), None);
        // Named directly (no link), a file outside the stack is the user's choice.
        assert_eq!(check_input(&root.join("outside.json"), &stack), Ok(()));
    }

    #[test]
    fn a_folder_link_on_the_way_counts_too() {
        let (_dir, root) = folder();
        std::fs::create_dir(root.join("elsewhere")).unwrap();
        std::fs::write(root.join("elsewhere/x.yaml"), "").unwrap();
        symlink(root.join("elsewhere"), root.join("stack/manifests")).unwrap();
        let refused = check_input(&root.join("stack/manifests/x.yaml"), &root.join("stack"));
        assert_eq!(refused.unwrap_err().code, "E0750");
    }

    #[test]
    fn special_files_are_refused() {
        let (_dir, root) = folder();
        let stack = root.join("stack");
        symlink("/proc/self/environ", stack.join("env-link")).unwrap();
        assert_eq!(
            check_input(&stack.join("env-link"), &stack)
                .unwrap_err()
                .code,
            "E0750"
        );
        assert_eq!(
            check_input(Utf8Path::new("/proc/version"), &stack)
                .unwrap_err()
                .code,
            "E0751"
        );
        assert_eq!(
            check_input(Utf8Path::new("/dev/null"), &stack)
                .unwrap_err()
                .code,
            "E0751"
        );
        assert_eq!(check_input(&stack, &stack).unwrap_err().code, "E0751");
    }
}
