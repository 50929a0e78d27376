//! Paths as bytes (file names need not be UTF-8).

/// An absolute path with `.`, `..` and repeated slashes taken out, without asking the file
/// system (symlinks stay as named): `/a/./b/../c/` -> `/a/c`, `/..` -> `/`.
pub fn lexically_normal(path: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in path.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    if parts.is_empty() {
        return b"/".to_vec();
    }
    let mut out = Vec::with_capacity(path.len());
    for part in parts {
        out.push(b'/');
        out.extend_from_slice(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// strace's faccessat-y opens `subdir/.`, and /proc names it `subdir`.
    #[test]
    fn dots_and_repeated_slashes_go() {
        for (path, normal) in [
            ("/tmp/t.dir/subdir/.", "/tmp/t.dir/subdir"),
            ("/tmp//a/../b/./c/", "/tmp/b/c"),
            ("/..", "/"),
            ("/", "/"),
        ] {
            assert_eq!(
                lexically_normal(path.as_bytes()),
                normal.as_bytes(),
                "{path}"
            );
        }
    }
}
