//! Falco's list substitution (`resolve_list` in rule_loader_compiler.cpp, Falco 0.44): before
//! a macro's or rule's condition is parsed, every list name found in its text between
//! delimiters (blanks, `(`, `)`, `,`, `=`, or either end) is replaced by the list's items,
//! quoted when they contain a space, joined by `, `. Lists are applied one after the other
//! in definition order, so text pasted in by one list is only looked at by later lists.
//!
//! Falco runs one pass over the text per list. Saker gives the same result but only runs the
//! passes of lists whose names occur in the text (found through a token index), and maps
//! every offset of the result back to the text as written for diagnostics.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt};

/// Characters that separate a list name from its neighbours.
const DELIMS: &[u8] = b" \t\n\r(),=";
const BLANKS: &[u8] = b" \t\n\r";

/// A condition may not grow beyond this by substitution (pasted names of later lists
/// multiply), or beyond twice its written size if that is more.
pub(crate) const MAX_SUBSTITUTED_BYTES: usize = 16 << 20;

/// Bytes the passes over one condition may scan in all (a huge condition naming many lists
/// costs a pass per list, as in Falco; this bounds the time).
const MAX_WORK_BYTES: usize = 1 << 30;

/// The lists as Falco compiles them, in definition order.
pub(crate) struct ListTable<'a> {
    lists: Vec<Entry<'a>>,
    by_name: HashMap<String, usize>,
    /// Lists whose names contain a delimiter (invalid names Falco still substitutes): found
    /// by searching for the whole name.
    odd_names: Vec<usize>,
}

struct Entry<'a> {
    name: String,
    items: &'a [String],
    /// The text pasted in (`a, "b c", d`) and the lists it names (the passes it can
    /// trigger), made when the list is first substituted: most lists of a big file never are.
    pasted: OnceCell<(String, Vec<usize>)>,
}

/// A condition after substitution.
#[derive(Clone)]
pub(crate) struct Substituted {
    pub text: String,
    map: OffsetMap,
    /// The lists substituted (indexes into the table).
    pub used: Vec<usize>,
}

impl Substituted {
    /// The offset in the condition as written that `offset` in [`Substituted::text`] comes
    /// from (pasted items map to the list name they replaced).
    pub fn original_offset(&self, offset: usize) -> usize {
        self.map.original(offset)
    }
}

impl<'a> ListTable<'a> {
    /// `lists`: name and compiled items (items naming an earlier list already replaced by
    /// that list's items), in definition order.
    pub fn new(lists: impl IntoIterator<Item = (String, &'a [String])>) -> ListTable<'a> {
        let mut by_name = HashMap::new();
        let mut odd_names = Vec::new();
        let mut entries = Vec::new();
        for (i, (name, items)) in lists.into_iter().enumerate() {
            if name.bytes().any(|b| DELIMS.contains(&b)) || name.is_empty() {
                if !name.is_empty() {
                    odd_names.push(i);
                }
            } else {
                by_name.insert(name.clone(), i);
            }
            entries.push(Entry {
                name,
                items,
                pasted: OnceCell::new(),
            });
        }
        ListTable {
            lists: entries,
            by_name,
            odd_names,
        }
    }

    /// The text list `index` pastes in, and the lists named in it.
    fn pasted(&self, index: usize) -> &(String, Vec<usize>) {
        let entry = &self.lists[index];
        entry.pasted.get_or_init(|| {
            let sub = entry
                .items
                .iter()
                .map(|item| quote_item(item))
                .collect::<Vec<_>>()
                .join(", ");
            let named = self.names_in(&sub);
            (sub, named)
        })
    }

    pub fn name(&self, index: usize) -> &str {
        &self.lists[index].name
    }

    /// The lists whose names occur in `text` between delimiters (or anywhere, for odd names).
    fn names_in(&self, text: &str) -> Vec<usize> {
        let mut out: Vec<usize> = text
            .split(|c: char| c.is_ascii() && DELIMS.contains(&(c as u8)))
            .filter_map(|token| self.by_name.get(token).copied())
            .collect();
        out.extend(
            self.odd_names
                .iter()
                .copied()
                .filter(|&i| text.contains(&self.lists[i].name)),
        );
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Substitutes the lists in `condition` as Falco does.
    pub fn substitute(&self, condition: &str) -> Result<Substituted, String> {
        let mut text = condition.to_string();
        let mut map = OffsetMap::identity();
        let mut pending: BTreeSet<usize> = self.names_in(condition).into_iter().collect();
        let mut used = Vec::new();
        let mut work = 0usize;
        let limit = MAX_SUBSTITUTED_BYTES.max(2 * condition.len());
        while let Some(i) = pending.pop_first() {
            work += text.len();
            if work > MAX_WORK_BYTES {
                return Err(format!(
                    "substituting lists in this condition takes more than {MAX_WORK_BYTES} bytes of work"
                ));
            }
            let (sub, named_in_sub) = self.pasted(i);
            let name = &self.lists[i].name;
            let Some((next, next_map)) = pass(&text, &map, name, sub) else {
                continue;
            };
            if next.len() > limit {
                return Err(format!(
                    "the condition grows beyond {limit} bytes when list '{name}' is substituted"
                ));
            }
            used.push(i);
            pending.extend(named_in_sub.iter().copied().filter(|&j| j > i));
            // An odd name may also form across pasted text.
            pending.extend(
                self.odd_names
                    .iter()
                    .copied()
                    .filter(|&j| j > i && next.contains(&self.lists[j].name)),
            );
            text = next;
            map = next_map;
        }
        Ok(Substituted { text, map, used })
    }
}

/// Falco's `quote_item`.
pub(crate) fn quote_item(item: &str) -> String {
    if item.contains(' ') && !item.starts_with(['"', '\'']) {
        format!("\"{item}\"")
    } else {
        item.to_string()
    }
}

/// One pass of Falco's `resolve_list` for one list; `None` when the name does not occur.
fn pass(text: &str, map: &OffsetMap, name: &str, sub: &str) -> Option<(String, OffsetMap)> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut out_map = OffsetMap::default();
    // Input before `copied` is in `out`; searches start at `search`.
    let mut copied = 0;
    let mut search = 0;
    let mut used = false;
    while let Some(found) = text.get(search..).and_then(|t| t.find(name)) {
        let start = search + found;
        let end = start + name.len();
        // The character before is the last of `out` when nothing was copied since.
        let before = if start > copied {
            Some(bytes[start - 1])
        } else {
            out.as_bytes().last().copied()
        };
        let after = bytes.get(end).copied();
        if !before.is_none_or(|b| DELIMS.contains(&b)) || !after.is_none_or(|b| DELIMS.contains(&b))
        {
            search = next_char(text, start + 1);
            continue;
        }
        used = true;
        out_map.copy(&mut out, text, copied, start, map);
        // Blanks around the name are consumed.
        let trimmed = out.trim_end_matches(|c: char| c.is_ascii() && BLANKS.contains(&(c as u8)));
        out.truncate(trimmed.len());
        out_map.truncate(out.len());
        let mut end = end;
        while bytes.get(end).is_some_and(|b| BLANKS.contains(b)) {
            end += 1;
        }
        // An empty list takes a neighbouring comma with it.
        if sub.is_empty() {
            if out.ends_with(',') {
                out.pop();
                out_map.truncate(out.len());
            } else if bytes.get(end) == Some(&b',') {
                end += 1;
            }
        }
        let anchor = map.original(start);
        let at_start = out.is_empty();
        if !at_start {
            out_map.pasted(out.len(), anchor);
            out.push(' ');
        }
        out_map.pasted(out.len(), anchor);
        out.push_str(sub);
        out.push(' ');
        copied = end;
        // Falco resumes one character further when the substitution began the text.
        search = if at_start {
            next_char(text, end + 1)
        } else {
            end
        };
        if search > text.len() {
            break;
        }
    }
    if !used {
        return None;
    }
    out_map.copy(&mut out, text, copied, text.len(), map);
    Some((out, out_map))
}

/// The first character boundary at or after `i`.
fn next_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Maps offsets of a rewritten text to offsets of the original: sorted segments, each
/// either copied from the original (offsets shift) or pasted (every offset maps to one
/// original offset).
#[derive(Clone, Default)]
struct OffsetMap {
    segments: Vec<Segment>,
}

#[derive(Clone, Copy)]
struct Segment {
    start: usize,
    original: usize,
    copied: bool,
}

impl OffsetMap {
    fn identity() -> OffsetMap {
        OffsetMap {
            segments: vec![Segment {
                start: 0,
                original: 0,
                copied: true,
            }],
        }
    }

    fn original(&self, offset: usize) -> usize {
        let i = self
            .segments
            .partition_point(|s| s.start <= offset)
            .saturating_sub(1);
        match self.segments.get(i) {
            Some(s) if s.copied => s.original + (offset - s.start),
            Some(s) => s.original,
            None => offset,
        }
    }

    /// Appends `text[from..to]` to `out`, mapped through `prev` (the map of `text`).
    fn copy(&mut self, out: &mut String, text: &str, from: usize, to: usize, prev: &OffsetMap) {
        if from >= to {
            return;
        }
        let base = out.len();
        let first = prev
            .segments
            .partition_point(|s| s.start <= from)
            .saturating_sub(1);
        for s in &prev.segments[first..] {
            if s.start >= to {
                break;
            }
            let seg_from = s.start.max(from);
            let original = if s.copied {
                s.original + (seg_from - s.start)
            } else {
                s.original
            };
            self.push(Segment {
                start: base + (seg_from - from),
                original,
                copied: s.copied,
            });
        }
        out.push_str(&text[from..to]);
    }

    fn pasted(&mut self, at: usize, original: usize) {
        self.push(Segment {
            start: at,
            original,
            copied: false,
        });
    }

    fn push(&mut self, segment: Segment) {
        if let Some(last) = self.segments.last_mut()
            && last.start == segment.start
        {
            *last = segment;
            return;
        }
        self.segments.push(segment);
    }

    /// Drops the mapping of offsets from `len` on (the text was cut there).
    fn truncate(&mut self, len: usize) {
        while self.segments.last().is_some_and(|s| s.start >= len) {
            self.segments.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(lists: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        lists
            .iter()
            .map(|(n, items)| (n.to_string(), items.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    fn table(lists: &[(String, Vec<String>)]) -> ListTable<'_> {
        ListTable::new(lists.iter().map(|(n, items)| (n.clone(), items.as_slice())))
    }

    fn subst(t: &ListTable, cond: &str) -> String {
        t.substitute(cond).unwrap().text
    }

    #[test]
    fn names_between_delimiters_are_replaced() {
        let lists = owned(&[("shells", &["bash", "sh"]), ("spaced", &["a b", "c"])]);
        let t = table(&lists);
        assert_eq!(
            subst(&t, "proc.name in (shells, zsh)"),
            "proc.name in ( bash, sh , zsh)"
        );
        assert_eq!(
            subst(&t, "proc.name in (spaced)"),
            "proc.name in ( \"a b\", c )"
        );
        // Not between delimiters: left alone.
        assert_eq!(
            subst(&t, "proc.name in (myshells)"),
            "proc.name in (myshells)"
        );
        assert_eq!(
            subst(&t, "proc.cmdline contains \"shells\""),
            "proc.cmdline contains \"shells\""
        );
        // Anywhere between delimiters, as Falco does (not only in lists).
        assert_eq!(subst(&t, "proc.name=shells"), "proc.name= bash, sh ");
        assert_eq!(subst(&t, "shells"), "bash, sh ");
    }

    #[test]
    fn invalid_names_are_found_too() {
        let lists = owned(&[("test list", &["open", "openat"])]);
        let t = table(&lists);
        assert_eq!(
            subst(&t, "evt.type in (test list)"),
            "evt.type in ( open, openat )"
        );
    }

    #[test]
    fn empty_lists_take_a_comma() {
        let lists = owned(&[("empty", &[])]);
        let t = table(&lists);
        assert_eq!(subst(&t, "x in (a, empty)"), "x in (a  )");
        assert_eq!(subst(&t, "x in (empty, a)"), "x in (   a)");
    }

    #[test]
    fn pasted_names_follow_definition_order() {
        // `late` is defined after `early`, so text pasted by `early` is substituted by
        // `late`'s pass, but not the other way round.
        let lists = owned(&[("early", &["late"]), ("late", &["x"]), ("last", &["early"])]);
        let t = table(&lists);
        assert_eq!(subst(&t, "a in (early)"), "a in ( x )");
        assert_eq!(subst(&t, "a in (last)"), "a in ( early )");
    }

    #[test]
    fn offsets_map_back() {
        let lists = owned(&[("shells", &["bash", "sh"])]);
        let t = table(&lists);
        let cond = "a in (shells) and b = c";
        let s = t.substitute(cond).unwrap();
        assert_eq!(s.text, "a in ( bash, sh ) and b = c");
        let b = s.text.find("b =").unwrap();
        assert_eq!(s.original_offset(b), cond.find("b =").unwrap());
        assert_eq!(
            s.original_offset(s.text.find("sh ").unwrap()),
            cond.find("shells").unwrap()
        );
        assert_eq!(s.original_offset(0), 0);
    }

    #[test]
    fn growth_is_bounded() {
        // l0 names l1 8 times, l1 names l2 8 times...: 8^39 items if unbounded. The references
        // point forward, so each pass pastes names the next pass replaces.
        let name = |i: usize| format!("{i}{}", "_".repeat(100));
        let mut lists: Vec<(String, Vec<String>)> =
            (0..39).map(|i| (name(i), vec![name(i + 1); 8])).collect();
        lists.push((name(39), vec!["x".into()]));
        let t = table(&lists);
        let err = t
            .substitute(&format!("a in ({})", name(0)))
            .err()
            .expect("bounded");
        assert!(err.contains("grows beyond"), "{err}");
    }
}
