//! `container.mount*[KEY]` lookups: the key is a glob matched against a mount's whole source
//! (its destination for `container.mount.source`), with libsinsp's `glob_match` (fnmatch
//! without flags) as the field descriptions say. Falco's container plugin searches the key as
//! a regular expression anywhere in the path instead, which makes Falco's own
//! `container.mount.dest[/]` ("the host's root is mounted") true for any bind mount.

use std::cell::RefCell;
use std::collections::HashMap;

use saker_container::Mount;
use saker_engine::Glob;

/// Keys are few (one per rule argument); the cache is cleared past this size so a hostile rule
/// set cannot grow it without bound.
const CACHE_LIMIT: usize = 256;

thread_local! {
    static GLOBS: RefCell<HashMap<String, Glob>> = RefCell::new(HashMap::new());
}

fn matches(pattern: &str, path: &str) -> bool {
    GLOBS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT && !cache.contains_key(pattern) {
            cache.clear();
        }
        cache
            .entry(pattern.to_string())
            .or_insert_with(|| Glob::new(pattern, false))
            .matches(path)
    })
}

/// The first mount whose source matches `pattern`.
pub(crate) fn by_source<'a>(mounts: &'a [Mount], pattern: &str) -> Option<&'a Mount> {
    mounts.iter().find(|m| matches(pattern, &m.source))
}

/// The first mount whose destination matches `pattern`.
pub(crate) fn by_dest<'a>(mounts: &'a [Mount], pattern: &str) -> Option<&'a Mount> {
    mounts.iter().find(|m| matches(pattern, &m.dest))
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
    fn keys_are_globs_on_the_whole_path() {
        let mounts = [
            mount("/etc", "/host/etc"),
            mount("/var/lib/kubelet/pods/u/etc-hosts", "/etc/hosts"),
            mount("/proc", "/host/proc"),
        ];
        for (key, source) in [
            ("/etc", Some("/etc")),
            ("/proc*", Some("/proc")),
            (
                "/var/lib/kubelet/*",
                Some("/var/lib/kubelet/pods/u/etc-hosts"),
            ),
            ("/", None),
            ("etc", None),
            ("/root*", None),
        ] {
            assert_eq!(
                by_source(&mounts, key).map(|m| m.source.as_str()),
                source,
                "{key}"
            );
        }
        assert_eq!(
            by_dest(&mounts, "/etc/*").unwrap().source,
            "/var/lib/kubelet/pods/u/etc-hosts"
        );
    }
}
