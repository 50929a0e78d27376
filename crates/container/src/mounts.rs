//! `container.mount*[...]` lookups. Falco's container plugin matches the key as a regular
//! expression searched anywhere in the mount's source (or destination), in multi-line mode
//! (`container_info::mount_by_source`, tested in `plugins/container/test/mounts.cpp`): `/tmp*`
//! matches `/tmp/foo`, and `/` matches every absolute path. Saker does the same so that rules
//! such as "Launch Sensitive Mount Container" behave as they do under Falco.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

use crate::meta::Mount;

/// Patterns are few (one per rule argument); the cache is cleared past this size so a
/// hostile rule set cannot grow it without bound.
const CACHE_LIMIT: usize = 256;

thread_local! {
    static PATTERNS: RefCell<HashMap<String, Option<Regex>>> = RefCell::new(HashMap::new());
}

/// True when `pattern` is found in `text`. A key that is not a valid regular expression is
/// searched for as plain text.
fn found(pattern: &str, text: &str) -> bool {
    PATTERNS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(
                pattern.to_string(),
                Regex::new(&format!("(?m){pattern}")).ok(),
            );
        }
        match &cache[pattern] {
            Some(re) => re.is_match(text),
            None => text.contains(pattern),
        }
    })
}

/// The first mount whose source matches `pattern`.
pub fn by_source<'a>(mounts: &'a [Mount], pattern: &str) -> Option<&'a Mount> {
    mounts.iter().find(|m| found(pattern, &m.source))
}

/// The first mount whose destination matches `pattern`.
pub fn by_dest<'a>(mounts: &'a [Mount], pattern: &str) -> Option<&'a Mount> {
    mounts.iter().find(|m| found(pattern, &m.dest))
}

/// `container.mounts`: every mount, comma separated.
pub fn describe_all(mounts: &[Mount]) -> String {
    mounts
        .iter()
        .map(Mount::describe)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(source: &str, dest: &str) -> Mount {
        Mount {
            source: source.into(),
            dest: dest.into(),
            ..Mount::default()
        }
    }

    #[test]
    fn plugin_mount_cases() {
        // falcosecurity/plugins plugins/container/test/mounts.cpp, as data: (key, found).
        let mounts = [mount("/tmp/foo", "/tmp/bar")];
        for (key, expect) in [
            ("foo", true),
            ("/tmp", true),
            ("/tmp/*", true),
            ("/tmp*", true),
            ("/", true),
            ("foo$", true),
            ("^tmp", false),
            ("^/tmp", true),
            ("tmp/fo", true),
            ("tmp/[fo,ba]", true),
        ] {
            assert_eq!(by_source(&mounts, key).is_some(), expect, "{key}");
        }
    }

    #[test]
    fn destination_and_invalid_patterns() {
        let mounts = [mount("/etc", "/host/etc"), mount("proc", "/proc")];
        assert_eq!(by_dest(&mounts, "^/proc").unwrap().source, "proc");
        assert_eq!(by_source(&mounts, "/etc").unwrap().dest, "/host/etc");
        assert!(by_source(&mounts, "/var/run/docker.sock").is_none());
        // Not a regular expression: searched as text.
        assert!(by_source(&mounts, "[").is_none());
        assert!(by_source(&[mount("/a[b", "/x")], "[").is_some());
        assert_eq!(
            describe_all(&mounts),
            "/etc:/host/etc::false:,proc:/proc::false:"
        );
    }
}
