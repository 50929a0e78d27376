//! The classic-BPF seccomp filter of `--seccomp-bpf`: the kernel stops the tracee
//! (`SECCOMP_RET_TRACE`) only on the traced system calls and lets every other one through, so
//! the tracer is not woken up for calls it would discard anyway.

/// `struct sock_filter` from `<linux/filter.h>`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockFilter {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// BPF_LD (0x00) | BPF_W (0x00) | BPF_ABS (0x20).
const BPF_LD_W_ABS: u16 = 0x20;
const BPF_JEQ_K: u16 = 0x05 | 0x10; // BPF_JMP | BPF_JEQ | BPF_K
const BPF_JGE_K: u16 = 0x05 | 0x30; // BPF_JMP | BPF_JGE | BPF_K
const BPF_JGT_K: u16 = 0x05 | 0x20; // BPF_JMP | BPF_JGT | BPF_K
const BPF_RET_K: u16 = 0x06;

/// `offsetof(struct seccomp_data, nr)` and `arch`.
const DATA_NR: u32 = 0;
const DATA_ARCH: u32 = 4;
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
/// x32 system calls have this bit set in their number on x86_64.
const X32_SYSCALL_BIT: u32 = 0x4000_0000;

pub const SECCOMP_RET_TRACE: u32 = 0x7ff0_0000;
pub const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;

fn stmt(code: u16, k: u32) -> SockFilter {
    SockFilter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> SockFilter {
    SockFilter { code, jt, jf, k }
}

/// Builds the filter for a set of x86_64 syscall numbers. Calls of another ABI (i386 via
/// `int 0x80`, x32) always stop, so they are never hidden from the user. Contiguous numbers are
/// tested as one range, which keeps `%file`-like sets short.
pub fn build_filter(traced: &[u32]) -> Vec<SockFilter> {
    let mut numbers: Vec<u32> = traced.to_vec();
    numbers.sort_unstable();
    numbers.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for nr in numbers {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == nr => *end = nr,
            _ => ranges.push((nr, nr)),
        }
    }
    let mut program = vec![
        stmt(BPF_LD_W_ABS, DATA_ARCH),
        // Same arch: skip the "trace" return below.
        jump(BPF_JEQ_K, AUDIT_ARCH_X86_64, 1, 0),
        stmt(BPF_RET_K, SECCOMP_RET_TRACE),
        stmt(BPF_LD_W_ABS, DATA_NR),
        jump(BPF_JGE_K, X32_SYSCALL_BIT, 0, 1),
        stmt(BPF_RET_K, SECCOMP_RET_TRACE),
    ];
    for (start, end) in ranges {
        if start == end {
            program.push(jump(BPF_JEQ_K, start, 0, 1));
        } else {
            // nr < start: skip the JGT and the RET; nr > end: skip the RET.
            program.push(jump(BPF_JGE_K, start, 0, 2));
            program.push(jump(BPF_JGT_K, end, 1, 0));
        }
        program.push(stmt(BPF_RET_K, SECCOMP_RET_TRACE));
    }
    program.push(stmt(BPF_RET_K, SECCOMP_RET_ALLOW));
    program
}

/// Runs the filter on a syscall the way the kernel would; used by the tests to check the
/// generated program without installing it.
pub fn evaluate(program: &[SockFilter], arch: u32, nr: u32) -> u32 {
    let mut acc = 0u32;
    let mut pc = 0usize;
    while let Some(insn) = program.get(pc) {
        pc += 1;
        match insn.code {
            BPF_LD_W_ABS => acc = if insn.k == DATA_ARCH { arch } else { nr },
            BPF_RET_K => return insn.k,
            code => {
                let taken = match code {
                    BPF_JEQ_K => acc == insn.k,
                    BPF_JGE_K => acc >= insn.k,
                    BPF_JGT_K => acc > insn.k,
                    _ => return 0,
                };
                pc += usize::from(if taken { insn.jt } else { insn.jf });
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_exactly_the_set() {
        let sets: &[&[u32]] = &[
            &[],
            &[257],
            &[0, 1, 2, 3, 257, 59, 60, 231],
            &[5, 4, 6, 7, 100],
        ];
        for set in sets {
            let program = build_filter(set);
            for nr in 0..500u32 {
                let want = if set.contains(&nr) {
                    SECCOMP_RET_TRACE
                } else {
                    SECCOMP_RET_ALLOW
                };
                assert_eq!(
                    evaluate(&program, AUDIT_ARCH_X86_64, nr),
                    want,
                    "set {set:?} nr {nr}"
                );
            }
            assert_eq!(
                evaluate(&program, 0x4000_0003, 5),
                SECCOMP_RET_TRACE,
                "i386 always stops"
            );
            assert_eq!(
                evaluate(&program, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | 1),
                SECCOMP_RET_TRACE
            );
        }
    }

    #[test]
    fn ranges_keep_the_program_short() {
        let all: Vec<u32> = (0..460).collect();
        assert_eq!(build_filter(&all).len(), 6 + 3 + 1);
    }
}
