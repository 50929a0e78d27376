//! Opens no loaded rule needs, left out in the kernel (`open_or_close_filtered` in
//! capture.bpf.c): the table says which access classes keep every path and which path
//! prefixes keep the others. What goes in it is decided by `saker-source` from the rules;
//! this module only writes it and reads back how many records it left out.

use std::collections::BTreeMap;

use aya::maps::{Array, LpmTrie, MapData};

use crate::capture::{Capture, DROPS_SLOT_FILTERED};
use crate::error::BpfError;
use crate::kill::{replace_trie, second_bytes, with_prefix_values};
use crate::raw::{KILL_PATH_MAX, OpenFilter};

const SETTINGS: &str = "open_filter";
const PATHS: &str = "keep_paths";

/// Most path entries (`max_entries` of keep_paths).
pub const KEEP_MAX_PATHS: usize = 4096;

/// The opens to keep. Classes are `raw::OPEN_CLASS_*` bits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeepOpens {
    /// Classes for which every path is kept.
    pub all_paths: u8,
    /// Path prefixes, or whole paths ending in one NUL byte, with the classes they keep.
    pub paths: BTreeMap<Vec<u8>, u8>,
}

impl Capture {
    /// Starts leaving out the opens `keep` does not keep, and the closes of their fds; `None`
    /// reports every open again (closes of fds left out before stay left out: user space
    /// never knew those fds). The filter is off while the table is replaced.
    pub fn set_open_filter(&mut self, keep: Option<&KeepOpens>) -> Result<(), BpfError> {
        if keep.is_some_and(|k| k.paths.len() > KEEP_MAX_PATHS) {
            return Err(BpfError::Config {
                reason: format!("the open filter holds more than {KEEP_MAX_PATHS} paths"),
            });
        }
        let used = u8::from(self.open_filter_used);
        self.write_open_filter(OpenFilter {
            used,
            ..OpenFilter::default()
        })?;
        let Some(keep) = keep else {
            return Ok(());
        };
        let paths = entries_that_decide(keep);
        let map = self.ebpf_mut().map_mut(PATHS).ok_or(BpfError::Missing {
            what: "map",
            name: PATHS,
        })?;
        let mut trie: LpmTrie<&mut MapData, [u8; KILL_PATH_MAX], u8> =
            LpmTrie::try_from(map).map_err(BpfError::map(PATHS))?;
        let merged = with_prefix_values(&paths, |into, own| *into |= own);
        replace_trie(&mut trie, &merged, PATHS)?;
        self.write_open_filter(OpenFilter {
            path_second_byte: second_bytes(&paths, |classes| *classes != 0),
            enabled: 1,
            all_paths: keep.all_paths,
            used: 1,
            pad: [0; 5],
        })?;
        self.open_filter_used = true;
        Ok(())
    }

    /// Opens and closes the open filter left out, per CPU, since the capture started.
    pub fn filtered(&self) -> Result<Vec<u64>, BpfError> {
        self.per_cpu_counter(DROPS_SLOT_FILTERED)
    }

    fn write_open_filter(&mut self, value: OpenFilter) -> Result<(), BpfError> {
        let map = self.ebpf_mut().map_mut(SETTINGS).ok_or(BpfError::Missing {
            what: "map",
            name: SETTINGS,
        })?;
        let mut settings: Array<&mut MapData, OpenFilter> =
            Array::try_from(map).map_err(BpfError::map(SETTINGS))?;
        settings.set(0, value, 0).map_err(BpfError::map(SETTINGS))
    }
}

/// The path entries that can change a decision: not those of KILL_PATH_MAX bytes or more (the
/// kernel keeps every path that long, with its NUL), and only the classes `all_paths` does
/// not keep already, so that, e.g., a "/" kept for writes sends no read through the trie.
fn entries_that_decide(keep: &KeepOpens) -> BTreeMap<Vec<u8>, u8> {
    keep.paths
        .iter()
        .filter(|(path, _)| path.len() < KILL_PATH_MAX)
        .map(|(path, classes)| (path.clone(), classes & !keep.all_paths))
        .filter(|(_, classes)| *classes != 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::{OPEN_CLASS_ANY, OPEN_CLASS_READ, OPEN_CLASS_WRITE};

    #[test]
    fn only_entries_that_change_a_decision_go_to_the_kernel() {
        let keep = KeepOpens {
            all_paths: OPEN_CLASS_WRITE,
            paths: [
                (b"/".to_vec(), OPEN_CLASS_WRITE),
                (
                    b"/etc/shadow\0".to_vec(),
                    OPEN_CLASS_READ | OPEN_CLASS_WRITE,
                ),
                (vec![b'/'; KILL_PATH_MAX], OPEN_CLASS_ANY),
            ]
            .into(),
        };
        assert_eq!(
            entries_that_decide(&keep),
            [(b"/etc/shadow\0".to_vec(), OPEN_CLASS_READ)].into()
        );
    }
}
