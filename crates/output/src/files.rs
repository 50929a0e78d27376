//! Files Saker writes (alert files, capture files, the pidfile) hold command lines and
//! environment values: they are created with an explicit mode, whatever the umask.

use std::fs::{File, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The mode of a file Saker creates unless configured otherwise: owner read/write only.
pub const DEFAULT_FILE_MODE: u32 = 0o600;

/// Opens `path` for appending. A file that does not exist yet is created with exactly
/// `mode`; an existing one keeps its mode (logrotate's `create` or an admin chose it).
pub fn open_append(path: &Path, mode: u32) -> io::Result<File> {
    match OpenOptions::new()
        .append(true)
        .create_new(true)
        .mode(mode)
        .open(path)
    {
        Ok(file) => {
            // The umask may have taken bits away (0640 under umask 077).
            file.set_permissions(Permissions::from_mode(mode))?;
            Ok(file)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            OpenOptions::new().append(true).open(path)
        }
        Err(e) => Err(e),
    }
}

/// Creates or truncates `path` and sets exactly `mode`, also on a file that existed: its
/// old content is replaced, so its old mode says nothing about the new one.
pub fn create(path: &Path, mode: u32) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)?;
    file.set_permissions(Permissions::from_mode(mode))?;
    Ok(file)
}

/// Parses a file mode written in octal (`"0600"`, `"640"`). Refuses modes that let other
/// users write, or set execute, setuid, setgid or sticky bits: these files are data.
pub fn parse_mode(text: &str) -> Result<u32, String> {
    let mode = u32::from_str_radix(text.trim(), 8)
        .map_err(|_| format!("`{text}` is not an octal file mode like 0600 or 0640"))?;
    if mode & !0o666 != 0 || mode & 0o022 != 0 {
        return Err(format!(
            "`{text}`: alert and capture files may be readable by group or others, never writable by them or executable (use 0600, 0640 or 0644)"
        ));
    }
    Ok(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn modes_hold_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: umask only changes this process's file creation mask; other tests in this
        // binary create files with explicit modes.
        let old = unsafe { libc::umask(0o000) };
        let appended = dir.path().join("a");
        let created = dir.path().join("c");
        open_append(&appended, 0o600).unwrap();
        create(&created, 0o640).unwrap();
        unsafe { libc::umask(0o077) };
        let strict = dir.path().join("s");
        open_append(&strict, 0o640).unwrap();
        unsafe { libc::umask(old) };
        assert_eq!(mode_of(&appended), 0o600);
        assert_eq!(mode_of(&created), 0o640);
        assert_eq!(mode_of(&strict), 0o640);
        // An existing file keeps its mode when appended to, and is reset when recreated.
        std::fs::set_permissions(&appended, Permissions::from_mode(0o644)).unwrap();
        open_append(&appended, 0o600).unwrap();
        assert_eq!(mode_of(&appended), 0o644);
        std::fs::set_permissions(&created, Permissions::from_mode(0o666)).unwrap();
        create(&created, 0o600).unwrap();
        assert_eq!(mode_of(&created), 0o600);
    }

    #[test]
    fn modes_are_octal_and_never_writable_by_others() {
        assert_eq!(parse_mode("0600"), Ok(0o600));
        assert_eq!(parse_mode("640"), Ok(0o640));
        assert_eq!(parse_mode("0644"), Ok(0o644));
        for bad in ["0666", "0700", "0620", "4600", "banana", "", "0o600"] {
            assert!(parse_mode(bad).is_err(), "{bad}");
        }
    }
}
