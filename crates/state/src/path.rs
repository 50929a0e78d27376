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
        joined.push('/');
        joined.push_str(path);
        normalize(&joined)
    }
}

/// Removes `.`, `..` and empty components of an absolute path.
pub fn normalize(path: &str) -> String {
    // The common case (an absolute path that is already clean) allocates once and walks once.
    if !path.contains("//")
        && !path.contains("/./")
        && !path.contains("/..")
        && !path.ends_with("/.")
    {
        if path.len() > 1 && path.ends_with('/') {
            return path[..path.len() - 1].to_string();
        }
        return path.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = String::with_capacity(path.len());
    for p in &parts {
        out.push('/');
        out.push_str(p);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
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
        ] {
            assert_eq!(resolve(base, path), expect, "{base} + {path}");
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
