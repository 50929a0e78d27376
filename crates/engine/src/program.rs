//! Conditions as flat branch programs: what the engine runs per event.
//!
//! A compiled condition ([`Node`]) is an `and`/`or`/`not` tree over tests (leaves). Walking
//! that tree per event costs a recursive call per node, and most nodes are connectives. A
//! branch program keeps only the tests: each [`Instr`] runs one leaf and names the next
//! instruction for either outcome, or the verdict ([`ACCEPT`], [`REJECT`]). `a and b` is
//! "test a; if false reject, else test b"; `not` swaps the two targets. Evaluating is a loop
//! over a contiguous array, one iteration per test actually reached; short-circuiting falls
//! out of the jump targets.
//!
//! Each rule is emitted once per event type it can match (see [`Program::emit_program`]'s
//! `event_type`): knowing the type decides every `evt.type` test at compile time, so
//! `evt.type in (open, openat, openat2) and ...` costs nothing for an `openat` event, and a
//! branch that needs another type disappears. Rules whose `evt.type` tests come out the same
//! for several types share one program.

use crate::compile::{Check, Exclusions, Node};
use crate::event::{Event, EventTypeId};

/// Verdict targets; every other target is an instruction index.
pub(crate) const ACCEPT: u32 = u32::MAX;
pub(crate) const REJECT: u32 = u32::MAX - 1;

/// One test and where to go next. The test's memo slot is copied here so that a result
/// already known for this event is found without touching the (large) leaf.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Instr {
    leaf: u32,
    memo: u32,
    on_true: u32,
    on_false: u32,
}

/// A test: a field check, or an exclusion chain dispatched on one field's value.
#[derive(Debug)]
pub(crate) enum Leaf {
    Check(Check),
    Exclusions(Exclusions),
}

/// A leaf and, when several rules share it, its slot in the per-event [`Memo`].
#[derive(Debug)]
struct LeafEntry {
    memo: u32,
    leaf: Leaf,
}

const NO_MEMO: u32 = u32::MAX;

/// Results of shared leaves for the current event. A cell holds `stamp << 1 | result` and is
/// valid when its stamp is the current one, so starting an event costs one increment, not a
/// clear.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    stamp: u32,
    cells: Vec<u32>,
}

impl Memo {
    pub(crate) fn start_event(&mut self, slots: usize) {
        if self.cells.len() < slots {
            self.cells.resize(slots, 0);
        }
        self.stamp += 1;
        // Stamps use 31 bits; on wrap-around old cells could look current: forget them.
        if self.stamp >= 1 << 31 {
            self.cells.iter_mut().for_each(|c| *c = 0);
            self.stamp = 1;
        }
    }
}

/// Every leaf and instruction of one engine.
#[derive(Debug, Default)]
pub(crate) struct Program {
    leaves: Vec<LeafEntry>,
    /// How many times compiled conditions reference each leaf (identical checks are
    /// compiled once and shared).
    uses: Vec<u32>,
    memo_slots: usize,
    instrs: Vec<Instr>,
}

impl Program {
    pub(crate) fn add_leaf(&mut self, leaf: Leaf) -> u32 {
        self.leaves.push(LeafEntry {
            memo: NO_MEMO,
            leaf,
        });
        self.uses.push(1);
        (self.leaves.len() - 1) as u32
    }

    /// Records one more reference to an already compiled leaf.
    pub(crate) fn reuse_leaf(&mut self, leaf: u32) {
        if let Some(uses) = self.uses.get_mut(leaf as usize) {
            *uses += 1;
        }
    }

    pub(crate) fn leaf(&self, leaf: u32) -> Option<&Leaf> {
        self.leaves.get(leaf as usize).map(|entry| &entry.leaf)
    }

    #[cfg(test)]
    pub(crate) fn leaves(&self) -> impl Iterator<Item = &Leaf> + std::fmt::Debug {
        self.leaves
            .iter()
            .map(|entry| &entry.leaf)
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// Gives a memo slot to every field check referenced more than once (after all rules
    /// are compiled): its result is computed once per event, however many rules reach it.
    /// `evt.type` tests are left out: they are decided at compile time or cost an array
    /// index.
    pub(crate) fn assign_memo_slots(&mut self) {
        for (entry, &uses) in self.leaves.iter_mut().zip(&self.uses) {
            let shareable = match &entry.leaf {
                Leaf::Check(check) => check.event_type_outcome(EventTypeId(1)).is_none(),
                Leaf::Exclusions(_) => false,
            };
            if uses >= 2 && shareable {
                entry.memo = self.memo_slots as u32;
                self.memo_slots += 1;
            }
        }
    }

    /// Number of memo cells an event needs.
    pub(crate) fn memo_slots(&self) -> usize {
        self.memo_slots
    }

    /// Emits `node` as a branch program and returns its entry (or a verdict when the
    /// condition is constant). With `event_type`, `evt.type` tests are decided for that type
    /// (it must not be [`EventTypeId::OTHER`], whose tests depend on the event).
    pub(crate) fn emit_program(&mut self, node: &Node, event_type: Option<EventTypeId>) -> u32 {
        let mut scratch = Vec::new();
        let local_entry = self.emit(node, ACCEPT, REJECT, event_type, &mut scratch);
        // Children are emitted last first (a test's targets must exist before it), so the
        // program comes out backwards: reverse it so evaluation mostly walks forward.
        let base = self.instrs.len() as u32;
        let last = scratch.len() as u32;
        let relocate = |target: u32| {
            if target >= REJECT {
                target
            } else {
                base + (last - 1 - target)
            }
        };
        self.instrs.extend(scratch.iter().rev().map(|instr| Instr {
            leaf: instr.leaf,
            memo: instr.memo,
            on_true: relocate(instr.on_true),
            on_false: relocate(instr.on_false),
        }));
        relocate(local_entry)
    }

    /// Emits `node` into `out` so that it continues at `on_true` / `on_false`; returns its
    /// entry. Targets are indexes into `out` (or verdicts).
    fn emit(
        &mut self,
        node: &Node,
        on_true: u32,
        on_false: u32,
        event_type: Option<EventTypeId>,
        out: &mut Vec<Instr>,
    ) -> u32 {
        if let Some(value) = self.constant(node, event_type) {
            return if value { on_true } else { on_false };
        }
        let leaf = match node {
            Node::Const(value) => {
                return if *value { on_true } else { on_false };
            }
            Node::Not(inner) => return self.emit(inner, on_false, on_true, event_type, out),
            Node::And(children) => {
                return children.iter().rev().fold(on_true, |next, child| {
                    self.emit(child, next, on_false, event_type, out)
                });
            }
            Node::Or(children) => {
                return children.iter().rev().fold(on_false, |next, child| {
                    self.emit(child, on_true, next, event_type, out)
                });
            }
            Node::Leaf(leaf) => *leaf,
        };
        let memo = self
            .leaves
            .get(leaf as usize)
            .map_or(NO_MEMO, |entry| entry.memo);
        out.push(Instr {
            leaf,
            memo,
            on_true,
            on_false,
        });
        (out.len() - 1) as u32
    }

    /// The value of `node` when it does not depend on the event (given its type). Checked
    /// before emitting so that a conjunction with a false member emits nothing at all.
    fn constant(&self, node: &Node, event_type: Option<EventTypeId>) -> Option<bool> {
        match node {
            Node::Const(value) => Some(*value),
            Node::Not(inner) => self.constant(inner, event_type).map(|v| !v),
            Node::And(children) => {
                let mut all_true = true;
                for child in children {
                    match self.constant(child, event_type) {
                        Some(false) => return Some(false),
                        Some(true) => {}
                        None => all_true = false,
                    }
                }
                all_true.then_some(true)
            }
            Node::Or(children) => {
                let mut all_false = true;
                for child in children {
                    match self.constant(child, event_type) {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => all_false = false,
                    }
                }
                all_false.then_some(false)
            }
            Node::Leaf(leaf) => match (self.leaf(*leaf), event_type) {
                (Some(Leaf::Check(check)), Some(id)) => check.event_type_outcome(id),
                _ => None,
            },
        }
    }

    /// Runs the program starting at `entry` on `event`. Inlined into the engine's loop over
    /// candidate rules: as a call it cost ~34 instructions per rule met (register saves and
    /// reloads), 3279 -> 2840 instructions per event on bench/engine.sh.
    #[inline(always)]
    pub(crate) fn run<E: Event + ?Sized>(&self, entry: u32, event: &E, memo: &mut Memo) -> bool {
        let mut pc = entry;
        while pc < REJECT {
            let Some(instr) = self.instrs.get(pc as usize) else {
                return false;
            };
            let hit = match memo.cells.get(instr.memo as usize) {
                Some(cell) if *cell >> 1 == memo.stamp => *cell & 1 != 0,
                Some(_) => {
                    let hit = self.run_leaf(instr.leaf, event, memo);
                    // Looked up again: running the leaf may have used other cells.
                    if let Some(cell) = memo.cells.get_mut(instr.memo as usize) {
                        *cell = memo.stamp << 1 | u32::from(hit);
                    }
                    hit
                }
                None => self.run_leaf(instr.leaf, event, memo),
            };
            pc = if hit { instr.on_true } else { instr.on_false };
        }
        pc == ACCEPT
    }

    #[inline(always)]
    fn run_leaf<E: Event + ?Sized>(&self, leaf: u32, event: &E, memo: &mut Memo) -> bool {
        let Some(entry) = self.leaves.get(leaf as usize) else {
            return false;
        };
        match &entry.leaf {
            Leaf::Check(check) => check.eval(event),
            Leaf::Exclusions(group) => self.run_exclusions(group, event, memo),
        }
    }

    #[inline(never)]
    fn run_exclusions<E: Event + ?Sized>(
        &self,
        group: &Exclusions,
        event: &E,
        memo: &mut Memo,
    ) -> bool {
        match event.str_value(&group.field) {
            Some(value) => match group.by_value.get(value) {
                None => true,
                Some(members) => members.iter().all(|&k| {
                    !group
                        .rests
                        .get(k as usize)
                        .is_some_and(|&entry| self.run(entry, event, memo))
                }),
            },
            None => group
                .originals
                .iter()
                .all(|&entry| self.run(entry, event, memo)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tree shapes with constant leaves (no event needed): the emitted program must give the
    /// tree's value, and constant branches must emit nothing.
    #[test]
    fn constant_trees_fold_to_verdicts() {
        use Node::*;
        let cases = [
            (And(Box::new([Const(true), Const(true)])), true),
            (And(Box::new([Const(true), Const(false)])), false),
            (Or(Box::new([Const(false), Const(true)])), true),
            (
                Not(Box::new(Or(Box::new([Const(false), Const(false)])))),
                true,
            ),
        ];
        for (node, expect) in cases {
            let mut p = Program::default();
            let entry = p.emit_program(&node, None);
            assert_eq!(entry, if expect { ACCEPT } else { REJECT }, "{node:?}");
            assert!(p.instrs.is_empty());
        }
    }
}
