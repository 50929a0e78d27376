//! `/proc/PID/ns/*`: namespace links like `net:[4026531840]`.

/// The namespace types under /proc/PID/ns, in the order `lsns` lists them.
pub const NAMESPACE_KINDS: [&str; 8] =
    ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"];

/// Parses a namespace link, `net:[4026531840]`, into its type and inode.
pub fn parse_ns_link(link: &str) -> Option<(&str, u64)> {
    let (kind, rest) = link.split_once(":[")?;
    let inode = rest.strip_suffix(']')?.parse().ok()?;
    Some((kind, inode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert_eq!(parse_ns_link("net:[4026531840]"), Some(("net", 4026531840)));
        assert_eq!(
            parse_ns_link("pid_for_children:[4026531836]"),
            Some(("pid_for_children", 4026531836))
        );
        assert_eq!(parse_ns_link("net:[x]"), None);
        assert_eq!(parse_ns_link("/dev/null"), None);
    }
}
