//! Lexical path resolution, the way libsinsp turns the path a program passed into `fd.name`:
//! relative paths are joined to the cwd (or the directory of `dirfd`), then `.` and `..`
//! components and repeated slashes are removed. Symlinks are not followed: the kernel already
//! resolved the file, and the rules compare the name the program used.

/// Joins `path` to `base` (when relative) and normalizes the result.
pub fn resolve(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        normalize(path)
    } else if base.is_empty() {
        // No known directory: keep the relative path rather than invent one.
        path.to_string()
    } else {
        let mut joined = String::with_capacity(base.len() + 1 + path.len());
        joined.push_str(base);
        // A cwd of `/` joins without a doubled slash, which would take the slow path below.
        if !base.ends_with('/') {
            joined.push('/');
        }
        joined.push_str(path);
        normalize(&joined)
    }
}

/// Removes `.`, `..` and empty components of an absolute path.
pub fn normalize(path: &str) -> String {
    // The common case (an absolute path that is already clean) allocates once and walks once.
    if is_clean(path) {
        if path.len() > 1 && path.ends_with('/') {
            return path[..path.len() - 1].to_string();
        }
        return path.to_string();
    }
    // Cut only at ASCII slashes, the text stays UTF-8; the lossy branch is never taken.
    match String::from_utf8(saker_event::path::lexically_normal(path.as_bytes())) {
        Ok(normal) => normal,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// True when no component after a slash is empty, `.` or `..` (a trailing slash aside). A
/// leading component (before the first slash) is left as it is, relative or not.
fn is_clean(path: &str) -> bool {
    let path = path.as_bytes();
    // Most paths have no slash followed by a slash or a dot: one pass without branches,
    // which the compiler vectorizes, answers for them. A byte at a time with branches was 6%
    // of the daemon's time on an open loop, four substring searches before that more
    // (docs/capture-bpf.md, "Profile of `saker run`").
    let suspect = path
        .iter()
        .zip(&path[1.min(path.len())..])
        .fold(false, |suspect, (&a, &b)| {
            suspect | ((a == b'/') & ((b == b'/') | (b == b'.')))
        });
    !suspect
        || (0..path.len()).filter(|&i| path[i] == b'/').all(|slash| {
            !matches!(
                &path[slash + 1..],
                [b'/', ..] | [b'.'] | [b'.', b'/', ..] | [b'.', b'.'] | [b'.', b'.', b'/', ..]
            )
        })
}

/// The last slash, found with `memchr` (`str::rfind` walks back a byte at a time; this runs
/// for the rules' `fd.directory` tests on every open).
fn last_slash(path: &str) -> Option<usize> {
    memchr::memrchr(b'/', path.as_bytes())
}

/// `fd.directory`: everything before the last slash (`/` for a file in the root).
pub fn directory(path: &str) -> &str {
    match last_slash(path) {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "",
    }
}

/// `fd.filename`: everything after the last slash.
pub fn file_name(path: &str) -> &str {
    match last_slash(path) {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution() {
        for (base, path, expect) in [
            ("/root", "/etc/passwd", "/etc/passwd"),
            ("/root", "x", "/root/x"),
            ("/", "etc/x", "/etc/x"),
            ("/a/b", "../c", "/a/c"),
            ("/a/b", "./c/./d/", "/a/b/c/d"),
            ("/", "../../etc", "/etc"),
            ("/a", "..", "/"),
            ("", "rel", "rel"),
            ("/x", "//etc//shadow", "/etc/shadow"),
            ("/", "", "/"),
            ("/", "a/", "/a"),
            ("/a", "b/.", "/a/b"),
            ("/a", "b/..", "/a"),
            ("/a", ".x/..y/...", "/a/.x/..y/..."),
            ("/a", "x./y../z", "/a/x./y../z"),
            ("/a/", "b", "/a/b"),
            ("/a", "b//", "/a/b"),
        ] {
            assert_eq!(resolve(base, path), expect, "{base} + {path}");
        }
    }

    #[test]
    fn clean_paths_keep_their_spelling() {
        for path in [
            "/",
            "/etc/passwd",
            "/a/.b",
            "/a/..b",
            "/a/b..",
            "/...",
            "rel/x",
            "./x",
        ] {
            assert!(is_clean(path), "{path}");
            assert_eq!(normalize(path), path);
        }
        for path in [
            "//", "/a//b", "/a/./b", "/a/../b", "/a/.", "/a/..", "/.", "/..", "/a/b//", "/a/./",
            "rel/../x",
        ] {
            assert!(!is_clean(path), "{path}");
        }
        // A trailing slash is clean: normalize only cuts it.
        assert!(is_clean("/a/b/"));
        assert_eq!(normalize("/a/b/"), "/a/b");
    }

    /// `is_clean` against its definition, on every path of up to 8 bytes made of `/`, `.`
    /// and `a`.
    #[test]
    fn is_clean_agrees_with_its_definition() {
        fn by_definition(path: &str) -> bool {
            let mut after_slashes: Vec<&str> = path.split('/').skip(1).collect();
            if after_slashes.last() == Some(&"") {
                after_slashes.pop();
            }
            after_slashes.iter().all(|c| !matches!(*c, "" | "." | ".."))
        }
        let mut paths = vec![String::new()];
        for _ in 0..8 {
            paths = paths
                .iter()
                .flat_map(|p| ['/', '.', 'a'].map(|c| format!("{p}{c}")))
                .collect();
            for path in &paths {
                assert_eq!(is_clean(path), by_definition(path), "{path:?}");
            }
        }
    }

    #[test]
    fn parts() {
        for (path, dir, file) in [
            ("/etc/passwd", "/etc", "passwd"),
            ("/x", "/", "x"),
            ("/", "/", ""),
            ("rel", "", "rel"),
        ] {
            assert_eq!((directory(path), file_name(path)), (dir, file), "{path}");
        }
    }
}
