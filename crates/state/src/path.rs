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

/// True when no component after a slash is empty, `.` or `..` (a trailing slash aside), in
/// one pass over the bytes: four substring searches per path were the daemon's largest item
/// on an open loop (docs/capture-bpf.md, "Profile of `saker run`").
fn is_clean(path: &str) -> bool {
    // Length of the current component and whether it is all dots; `None` before the first
    // slash (a leading component is left as it is, relative or not).
    let mut component: Option<(usize, bool)> = None;
    for &b in path.as_bytes() {
        if b == b'/' {
            if let Some((len, dots)) = component
                && (len == 0 || (dots && len <= 2))
            {
                return false;
            }
            component = Some((0, true));
        } else if let Some((len, dots)) = &mut component {
            *len += 1;
            *dots &= b == b'.';
        }
    }
    // A trailing `.` or `..`; a trailing empty component is a trailing slash.
    !matches!(component, Some((1..=2, true)))
}

/// `fd.directory`: everything before the last slash (`/` for a file in the root).
pub fn directory(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "",
    }
}

/// `fd.filename`: everything after the last slash.
pub fn file_name(path: &str) -> &str {
    match path.rfind('/') {
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
            "//", "/a//b", "/a/./b", "/a/../b", "/a/.", "/a/..", "/.", "/..",
        ] {
            assert!(!is_clean(path), "{path}");
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
