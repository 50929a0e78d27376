//! perf_event_open(2)'s struct perf_event_attr as strace 6.1's perf.c prints it (also used
//! by the PERF_EVENT_IOC_MODIFY_ATTRIBUTES ioctl).

use std::fmt::Write;

use super::Ctx;
use super::structs::{u16_at, u32_at, u64_at};
use crate::xlat;

/// sizeof(struct perf_event_attr) as strace 6.1 knows it (PERF_ATTR_SIZE_VER7).
pub(super) const ATTR_SIZE: usize = 128;
const SIZE_VER0: u32 = 64;
/// What is shown without -v: the fields before wakeup_events.
const ABBREV_SIZE: u32 = 48;
const E2BIG: i64 = -7;

xlat::xlat!(TYPES, "PERF_TYPE_???", [
    0 => "PERF_TYPE_HARDWARE", 1 => "PERF_TYPE_SOFTWARE", 2 => "PERF_TYPE_TRACEPOINT",
    3 => "PERF_TYPE_HW_CACHE", 4 => "PERF_TYPE_RAW", 5 => "PERF_TYPE_BREAKPOINT",
]);

xlat::xlat!(ATTR_SIZES, "PERF_ATTR_SIZE_???", [
    64 => "PERF_ATTR_SIZE_VER0", 72 => "PERF_ATTR_SIZE_VER1", 80 => "PERF_ATTR_SIZE_VER2",
    96 => "PERF_ATTR_SIZE_VER3", 104 => "PERF_ATTR_SIZE_VER4", 112 => "PERF_ATTR_SIZE_VER5",
    120 => "PERF_ATTR_SIZE_VER6", 128 => "PERF_ATTR_SIZE_VER7",
]);

xlat::xlat!(HW_IDS, "PERF_COUNT_HW_???", [
    0 => "PERF_COUNT_HW_CPU_CYCLES", 1 => "PERF_COUNT_HW_INSTRUCTIONS",
    2 => "PERF_COUNT_HW_CACHE_REFERENCES", 3 => "PERF_COUNT_HW_CACHE_MISSES",
    4 => "PERF_COUNT_HW_BRANCH_INSTRUCTIONS", 5 => "PERF_COUNT_HW_BRANCH_MISSES",
    6 => "PERF_COUNT_HW_BUS_CYCLES", 7 => "PERF_COUNT_HW_STALLED_CYCLES_FRONTEND",
    8 => "PERF_COUNT_HW_STALLED_CYCLES_BACKEND", 9 => "PERF_COUNT_HW_REF_CPU_CYCLES",
]);

xlat::xlat!(SW_IDS, "PERF_COUNT_SW_???", [
    0 => "PERF_COUNT_SW_CPU_CLOCK", 1 => "PERF_COUNT_SW_TASK_CLOCK",
    2 => "PERF_COUNT_SW_PAGE_FAULTS", 3 => "PERF_COUNT_SW_CONTEXT_SWITCHES",
    4 => "PERF_COUNT_SW_CPU_MIGRATIONS", 5 => "PERF_COUNT_SW_PAGE_FAULTS_MIN",
    6 => "PERF_COUNT_SW_PAGE_FAULTS_MAJ", 7 => "PERF_COUNT_SW_ALIGNMENT_FAULTS",
    8 => "PERF_COUNT_SW_EMULATION_FAULTS", 9 => "PERF_COUNT_SW_DUMMY",
    10 => "PERF_COUNT_SW_BPF_OUTPUT", 11 => "PERF_COUNT_SW_CGROUP_SWITCHES",
]);

xlat::xlat!(CACHE_IDS, "PERF_COUNT_HW_CACHE_???", [
    0 => "PERF_COUNT_HW_CACHE_L1D", 1 => "PERF_COUNT_HW_CACHE_L1I", 2 => "PERF_COUNT_HW_CACHE_LL",
    3 => "PERF_COUNT_HW_CACHE_DTLB", 4 => "PERF_COUNT_HW_CACHE_ITLB",
    5 => "PERF_COUNT_HW_CACHE_BPU", 6 => "PERF_COUNT_HW_CACHE_NODE",
]);

xlat::xlat!(CACHE_OPS, "PERF_COUNT_HW_CACHE_OP_???", [
    0 => "PERF_COUNT_HW_CACHE_OP_READ", 1 => "PERF_COUNT_HW_CACHE_OP_WRITE",
    2 => "PERF_COUNT_HW_CACHE_OP_PREFETCH",
]);

xlat::xlat!(CACHE_RESULTS, "PERF_COUNT_HW_CACHE_RESULT_???", [
    0 => "PERF_COUNT_HW_CACHE_RESULT_ACCESS", 1 => "PERF_COUNT_HW_CACHE_RESULT_MISS",
]);

xlat::xlat!(SAMPLE_FORMAT, "PERF_SAMPLE_???", [
    1 << 0 => "PERF_SAMPLE_IP", 1 << 1 => "PERF_SAMPLE_TID", 1 << 2 => "PERF_SAMPLE_TIME",
    1 << 3 => "PERF_SAMPLE_ADDR", 1 << 4 => "PERF_SAMPLE_READ", 1 << 5 => "PERF_SAMPLE_CALLCHAIN",
    1 << 6 => "PERF_SAMPLE_ID", 1 << 7 => "PERF_SAMPLE_CPU", 1 << 8 => "PERF_SAMPLE_PERIOD",
    1 << 9 => "PERF_SAMPLE_STREAM_ID", 1 << 10 => "PERF_SAMPLE_RAW",
    1 << 11 => "PERF_SAMPLE_BRANCH_STACK", 1 << 12 => "PERF_SAMPLE_REGS_USER",
    1 << 13 => "PERF_SAMPLE_STACK_USER", 1 << 14 => "PERF_SAMPLE_WEIGHT",
    1 << 15 => "PERF_SAMPLE_DATA_SRC", 1 << 16 => "PERF_SAMPLE_IDENTIFIER",
    1 << 17 => "PERF_SAMPLE_TRANSACTION", 1 << 18 => "PERF_SAMPLE_REGS_INTR",
    1 << 19 => "PERF_SAMPLE_PHYS_ADDR", 1 << 20 => "PERF_SAMPLE_AUX",
    1 << 21 => "PERF_SAMPLE_CGROUP", 1 << 22 => "PERF_SAMPLE_DATA_PAGE_SIZE",
    1 << 23 => "PERF_SAMPLE_CODE_PAGE_SIZE", 1 << 24 => "PERF_SAMPLE_WEIGHT_STRUCT",
]);

xlat::xlat!(READ_FORMAT, "PERF_FORMAT_???", [
    1 << 0 => "PERF_FORMAT_TOTAL_TIME_ENABLED", 1 << 1 => "PERF_FORMAT_TOTAL_TIME_RUNNING",
    1 << 2 => "PERF_FORMAT_ID", 1 << 3 => "PERF_FORMAT_GROUP", 1 << 4 => "PERF_FORMAT_LOST",
]);

xlat::xlat!(BRANCH_SAMPLE_TYPES, "PERF_SAMPLE_BRANCH_???", [
    1 << 0 => "PERF_SAMPLE_BRANCH_USER", 1 << 1 => "PERF_SAMPLE_BRANCH_KERNEL",
    1 << 2 => "PERF_SAMPLE_BRANCH_HV", 1 << 3 => "PERF_SAMPLE_BRANCH_ANY",
    1 << 4 => "PERF_SAMPLE_BRANCH_ANY_CALL", 1 << 5 => "PERF_SAMPLE_BRANCH_ANY_RETURN",
    1 << 6 => "PERF_SAMPLE_BRANCH_IND_CALL", 1 << 7 => "PERF_SAMPLE_BRANCH_ABORT_TX",
    1 << 8 => "PERF_SAMPLE_BRANCH_IN_TX", 1 << 9 => "PERF_SAMPLE_BRANCH_NO_TX",
    1 << 10 => "PERF_SAMPLE_BRANCH_COND", 1 << 11 => "PERF_SAMPLE_BRANCH_CALL_STACK",
    1 << 12 => "PERF_SAMPLE_BRANCH_IND_JUMP", 1 << 13 => "PERF_SAMPLE_BRANCH_CALL",
    1 << 14 => "PERF_SAMPLE_BRANCH_NO_FLAGS", 1 << 15 => "PERF_SAMPLE_BRANCH_NO_CYCLES",
    1 << 16 => "PERF_SAMPLE_BRANCH_TYPE_SAVE", 1 << 17 => "PERF_SAMPLE_BRANCH_HW_INDEX",
    1 << 18 => "PERF_SAMPLE_BRANCH_PRIV_SAVE",
]);

xlat::xlat!(BREAKPOINT_TYPES, "HW_BREAKPOINT_???", [
    0 => "HW_BREAKPOINT_EMPTY", 1 => "HW_BREAKPOINT_R", 2 => "HW_BREAKPOINT_W",
    3 => "HW_BREAKPOINT_RW", 4 => "HW_BREAKPOINT_X",
]);
xlat::xlat!(BREAKPOINT_TYPES_OR_INVALID, "HW_BREAKPOINT_INVALID", [
    0 => "HW_BREAKPOINT_EMPTY", 1 => "HW_BREAKPOINT_R", 2 => "HW_BREAKPOINT_W",
    3 => "HW_BREAKPOINT_RW", 4 => "HW_BREAKPOINT_X",
]);

/// The one-bit fields of the flags word (bit 15-16 is precise_ip), in order.
const FLAG_BITS: [(u32, &str); 37] = [
    (0, "disabled"),
    (1, "inherit"),
    (2, "pinned"),
    (3, "exclusive"),
    (4, "exclude_user"),
    (5, "exclude_kernel"),
    (6, "exclude_hv"),
    (7, "exclude_idle"),
    (8, "mmap"),
    (9, "comm"),
    (10, "freq"),
    (11, "inherit_stat"),
    (12, "enable_on_exec"),
    (13, "task"),
    (14, "watermark"),
    (17, "mmap_data"),
    (18, "sample_id_all"),
    (19, "exclude_host"),
    (20, "exclude_guest"),
    (21, "exclude_callchain_kernel"),
    (22, "exclude_callchain_user"),
    (23, "mmap2"),
    (24, "comm_exec"),
    (25, "use_clockid"),
    (26, "context_switch"),
    (27, "write_backward"),
    (28, "namespaces"),
    (29, "ksymbol"),
    (30, "bpf_event"),
    (31, "aux_output"),
    (32, "cgroup"),
    (33, "text_poke"),
    (34, "build_id"),
    (35, "inherit_thread"),
    (36, "remove_on_exec"),
    (37, "sigtrap"),
    (u32::MAX, ""),
];

const PRECISE_IP: [&str; 4] = [
    "arbitrary skid",
    "constant skid",
    "requested to have 0 skid",
    "must have 0 skid",
];

/// How many bytes of the attr at `addr` strace reads (its `size`, clamped; 48 without -v),
/// or None when the struct cannot be shown (then its address is).
pub(super) fn fetch_size(c: &mut Ctx, addr: u64) -> Option<u32> {
    if !c.style.dereference {
        return None;
    }
    let size = match c.read_u32(addr.wrapping_add(4))?.min(ATTR_SIZE as u32) {
        0 => SIZE_VER0,
        s => s,
    };
    if size < SIZE_VER0 {
        return None;
    }
    let size = if c.style.verbose { size } else { ABBREV_SIZE };
    let mut b = [0u8; ATTR_SIZE];
    c.read_exact(addr, &mut b[..size as usize]).then_some(size)
}

/// The attr at `addr`, `size` bytes of it (from [`fetch_size`]); `size_field` is the size
/// the caller had set (the kernel rewrites it on E2BIG, shown after ` => `).
pub(super) fn print_attr(c: &mut Ctx, addr: u64, size: u32, size_field: Option<u32>) {
    let mut b = [0u8; ATTR_SIZE];
    let _ = c.read_exact(addr, &mut b[..size as usize]);
    let attr_size = size_field.unwrap_or_else(|| u32_at(&b, 4));
    let kind = u32_at(&b, 0);
    let config = u64_at(&b, 8);
    c.s("{type=");
    c.xval(u64::from(kind), &TYPES);
    c.s(", size=");
    c.xval(u64::from(attr_size), &ATTR_SIZES);
    if !c.entering() && c.rval() == E2BIG {
        c.s(" => ");
        match c.read_u32(addr.wrapping_add(4)) {
            Some(new) => c.xval(u64::from(new), &ATTR_SIZES),
            None => c.s("???"),
        }
    }
    c.s(", config=");
    config_field(c, kind, config);
    let flags = u64_at(&b, 40);
    let bit = |n: u32| (flags >> n) & 1;
    let _ = write!(
        c.out,
        ", {}={}",
        if bit(10) != 0 {
            "sample_freq"
        } else {
            "sample_period"
        },
        u64_at(&b, 16)
    );
    c.s(", sample_type=");
    let sample_type = u64_at(&b, 24);
    c.flags(sample_type, &SAMPLE_FORMAT);
    c.s(", read_format=");
    c.flags(u64_at(&b, 32), &READ_FORMAT);
    let verbose = c.style.verbose;
    for &(n, name) in &FLAG_BITS[..FLAG_BITS.len() - 1] {
        if verbose || bit(n) != 0 {
            let _ = write!(c.out, ", {name}={}", bit(n));
        }
        if n == 14 {
            let precise = ((flags >> 15) & 3) as usize;
            let _ = write!(
                c.out,
                ", precise_ip={precise} /* {} */",
                PRECISE_IP[precise]
            );
        }
    }
    let reserved = flags >> 38;
    if reserved != 0 {
        c.s(", __reserved_1=");
        c.hex(reserved);
        c.s(" /* Bits 63..38 */");
    }
    if verbose {
        rest(c, &b, size, kind, sample_type, bit(14) != 0, bit(25) != 0);
    }
    if (attr_size != 0 && attr_size > size) || (attr_size == 0 && size < SIZE_VER0) {
        c.s(", ...");
    }
    c.s("}");
}

/// `config`, decoded by event type.
fn config_field(c: &mut Ctx, kind: u32, config: u64) {
    let high = |c: &mut Ctx, v: u64, shift: u32| {
        c.hex(v);
        let _ = write!(c.out, "<<{shift}|");
    };
    match kind {
        0 => {
            if config >> 32 != 0 {
                high(c, config >> 32, 32);
            }
            c.xval(config & 0xffff_ffff, &HW_IDS);
        }
        1 => c.xval(config, &SW_IDS),
        2 => c.udec(config),
        3 => {
            if config >> 32 != 0 {
                high(c, config >> 32, 32);
            }
            if (config & 0xffff_ffff) >> 24 != 0 {
                high(c, (config & 0xffff_ffff) >> 24, 24);
            }
            c.xval((config >> 16) & 0xff, &CACHE_RESULTS);
            c.s("<<16|");
            c.xval((config >> 8) & 0xff, &CACHE_OPS);
            c.s("<<8|");
            c.xval(config & 0xff, &CACHE_IDS);
        }
        _ => c.hex(config),
    }
}

/// The fields after the flags (with -v), each only when `size` covers it.
fn rest(
    c: &mut Ctx,
    b: &[u8],
    size: u32,
    kind: u32,
    sample_type: u64,
    watermark: bool,
    use_clockid: bool,
) {
    const BREAKPOINT: u32 = 5;
    const SAMPLE_BRANCH_STACK: u64 = 1 << 11;
    const SAMPLE_STACK_USER: u64 = 1 << 13;
    let has = |offset: u32| offset < size;
    let name = if watermark {
        "wakeup_watermark"
    } else {
        "wakeup_events"
    };
    let _ = write!(c.out, ", {name}={}", u32_at(b, 48));
    if kind == BREAKPOINT {
        let bp_type = u64::from(u32_at(b, 52));
        c.s(", bp_type=");
        // strace calls unknown values up to X|RW invalid, the others unknown.
        let table = if bp_type <= 7 {
            &BREAKPOINT_TYPES_OR_INVALID
        } else {
            &BREAKPOINT_TYPES
        };
        c.xval(bp_type, table);
        c.s(", bp_addr=");
    } else {
        c.s(", config1=");
    }
    c.hex(u64_at(b, 56));
    if !has(64) {
        return;
    }
    if kind == BREAKPOINT {
        let _ = write!(c.out, ", bp_len={}", u64_at(b, 64));
    } else {
        c.s(", config2=");
        c.hex(u64_at(b, 64));
    }
    if !has(72) {
        return;
    }
    if sample_type & SAMPLE_BRANCH_STACK != 0 {
        c.s(", branch_sample_type=");
        c.flags(u64_at(b, 72), &BRANCH_SAMPLE_TYPES);
    }
    if !has(80) {
        return;
    }
    c.s(", sample_regs_user=");
    c.hex(u64_at(b, 80));
    if !has(88) {
        return;
    }
    if sample_type & SAMPLE_STACK_USER != 0 {
        c.s(", sample_stack_user=");
        c.hex(u64::from(u32_at(b, 88)));
    }
    if use_clockid {
        if !has(92) {
            return;
        }
        c.s(", clockid=");
        c.xval(u64::from(u32_at(b, 92)), &xlat::CLOCKS);
    }
    if !has(96) {
        return;
    }
    c.s(", sample_regs_intr=");
    c.hex(u64_at(b, 96));
    if !has(104) {
        return;
    }
    let _ = write!(c.out, ", aux_watermark={}", u32_at(b, 104));
    if !has(108) {
        return;
    }
    let _ = write!(c.out, ", sample_max_stack={}", u16_at(b, 108));
    if !has(110) {
        return;
    }
    let reserved_2 = u16_at(b, 110);
    if reserved_2 != 0 {
        let _ = write!(c.out, " /* bytes 110..111: {reserved_2:#x} */");
    }
    if !has(112) {
        return;
    }
    let _ = write!(c.out, ", aux_sample_size={}", u32_at(b, 112));
    if !has(116) {
        return;
    }
    let reserved_3 = u32_at(b, 116);
    if reserved_3 != 0 {
        let _ = write!(c.out, " /* bytes 116..119: {reserved_3:#x} */");
    }
    if !has(120) {
        return;
    }
    c.s(", sig_data=");
    c.hex(u64_at(b, 120));
}
