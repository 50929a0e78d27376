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

pub static LEAVES_RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// Verdict targets; every other target is an instruction index.
pub(crate) const ACCEPT: u32 = u32::MAX;
pub(crate) const REJECT: u32 = u32::MAX - 1;

/// One test and where to go next.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Instr {
    leaf: u32,
    on_true: u32,
    on_false: u32,
}

/// A test: a field check, or an exclusion chain dispatched on one field's value.
#[derive(Debug)]
pub(crate) enum Leaf {
    Check(Check),
    Exclusions(Exclusions),
}

/// Every leaf and instruction of one engine.
#[derive(Debug, Default)]
pub(crate) struct Program {
    leaves: Vec<Leaf>,
    instrs: Vec<Instr>,
    /// Reused by [`Program::emit_program`].
    scratch: Vec<Instr>,
}

impl Program {
    pub(crate) fn add_leaf(&mut self, leaf: Leaf) -> u32 {
        self.leaves.push(leaf);
        (self.leaves.len() - 1) as u32
    }

    pub(crate) fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    /// Number of instructions emitted (all rules, all event types).
    pub(crate) fn len(&self) -> usize {
        self.instrs.len()
    }

    /// Emits `node` as a branch program and returns its entry (or a verdict when the
    /// condition is constant). With `event_type`, `evt.type` tests are decided for that type
    /// (it must not be [`EventTypeId::OTHER`], whose tests depend on the event).
    pub(crate) fn emit_program(&mut self, node: &Node, event_type: Option<EventTypeId>) -> u32 {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
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
            on_true: relocate(instr.on_true),
            on_false: relocate(instr.on_false),
        }));
        self.scratch = scratch;
        relocate(local_entry)
    }

    /// Emits `node` into `out` so that it continues at `on_true` / `on_false`; returns its
    /// entry. Targets are indexes into `out` (or verdicts).
    fn emit(
        &self,
        node: &Node,
        on_true: u32,
        on_false: u32,
        event_type: Option<EventTypeId>,
        out: &mut Vec<Instr>,
    ) -> u32 {
        if let Some(value) = self.constant(node, event_type) {
            return if value { on_true } else { on_false };
        }
        match node {
            Node::Const(value) => {
                if *value {
                    on_true
                } else {
                    on_false
                }
            }
            Node::Not(inner) => self.emit(inner, on_false, on_true, event_type, out),
            Node::And(children) => children.iter().rev().fold(on_true, |next, child| {
                self.emit(child, next, on_false, event_type, out)
            }),
            Node::Or(children) => children.iter().rev().fold(on_false, |next, child| {
                self.emit(child, on_true, next, event_type, out)
            }),
            Node::Leaf(leaf) => {
                out.push(Instr {
                    leaf: *leaf,
                    on_true,
                    on_false,
                });
                (out.len() - 1) as u32
            }
        }
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
            Node::Leaf(leaf) => match (&self.leaves[*leaf as usize], event_type) {
                (Leaf::Check(check), Some(id)) => check.event_type_outcome(id),
                _ => None,
            },
        }
    }

    /// Runs the program starting at `entry` on `event`.
    #[inline]
    pub(crate) fn run<E: Event + ?Sized>(&self, entry: u32, event: &E) -> bool {
        let mut pc = entry;
        while pc < REJECT {
            let Some(instr) = self.instrs.get(pc as usize) else {
                return false;
            };
            let hit = match self.leaves.get(instr.leaf as usize) {
                Some(Leaf::Check(check)) => check.eval(event),
                Some(Leaf::Exclusions(group)) => self.run_exclusions(group, event),
                None => false,
            };
            pc = if hit { instr.on_true } else { instr.on_false };
            LEAVES_RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        pc == ACCEPT
    }

    #[inline(never)]
    fn run_exclusions<E: Event + ?Sized>(&self, group: &Exclusions, event: &E) -> bool {
        match event.str_value(&group.field) {
            Some(value) => match group.by_value.get(value) {
                None => true,
                Some(members) => members.iter().all(|&k| {
                    !group
                        .rests
                        .get(k as usize)
                        .is_some_and(|&entry| self.run(entry, event))
                }),
            },
            None => group
                .originals
                .iter()
                .all(|&entry| self.run(entry, event)),
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
        let program = Program::default();
        let cases = [
            (And(Box::new([Const(true), Const(true)])), true),
            (And(Box::new([Const(true), Const(false)])), false),
            (Or(Box::new([Const(false), Const(true)])), true),
            (Not(Box::new(Or(Box::new([Const(false), Const(false)])))), true),
        ];
        for (node, expect) in cases {
            let mut p = Program::default();
            let entry = p.emit_program(&node, None);
            assert_eq!(entry, if expect { ACCEPT } else { REJECT }, "{node:?}");
            assert_eq!(p.len(), 0);
        }
        assert_eq!(program.len(), 0);
    }
}
