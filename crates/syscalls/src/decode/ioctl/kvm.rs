//! KVM requests (type 0xae, linux/kvm.h) as strace 6.1's kvm.c and x86_64's arch_kvm.c
//! print them: the file descriptors KVM_CREATE_VM and KVM_CREATE_VCPU return, memory
//! regions, registers, CPUID tables, capabilities, and with `-e kvm=vcpu` why KVM_RUN
//! returned (the exit reason the vCPU's shared `struct kvm_run` holds).

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::{read_struct, u16_at, u32_at, u64_at};
use super::{Phase, io, ior, iow, iowr};
use crate::xlat;

const KVM_CREATE_VM: u32 = io(0xae, 1);
const KVM_CHECK_EXTENSION: u32 = io(0xae, 3);
const KVM_GET_SUPPORTED_CPUID: u32 = iowr(0xae, 5, 8);
const KVM_GET_EMULATED_CPUID: u32 = iowr(0xae, 9, 8);
const KVM_CREATE_VCPU: u32 = io(0xae, 0x41);
const KVM_SET_USER_MEMORY_REGION: u32 = iow(0xae, 0x46, 32);
const KVM_RUN: u32 = io(0xae, 0x80);
const KVM_GET_REGS: u32 = ior(0xae, 0x81, REGS_SIZE as u32);
const KVM_SET_REGS: u32 = iow(0xae, 0x82, REGS_SIZE as u32);
const KVM_GET_SREGS: u32 = ior(0xae, 0x83, SREGS_SIZE as u32);
const KVM_SET_SREGS: u32 = iow(0xae, 0x84, SREGS_SIZE as u32);
const KVM_SET_CPUID2: u32 = iow(0xae, 0x90, 8);

/// struct kvm_regs: eighteen 64-bit registers.
const REGS_SIZE: usize = 144;
/// struct kvm_sregs: eight segments, two descriptor tables, seven control registers and
/// the interrupt bitmap.
const SREGS_SIZE: usize = 312;
/// struct kvm_cpuid_entry2.
const CPUID_ENTRY_SIZE: usize = 40;
/// What KVM_RUN's shared structure must hold for its exit reason (at offset 8) to be read:
/// sizeof(struct kvm_run).
const KVM_RUN_SIZE: u64 = 2352;

/// linux/kvm.h's requests, for the ioctl name table (strace 6.1's x86_64 list).
pub(super) static NAMES: &[(u32, &str)] = &[
    (0xae00, "KVM_GET_API_VERSION"),
    (0xae01, "KVM_CREATE_VM"),
    (0xae03, "KVM_CHECK_EXTENSION"),
    (0xae04, "KVM_GET_VCPU_MMAP_SIZE"),
    (0xae41, "KVM_CREATE_VCPU"),
    (0xae44, "KVM_SET_NR_MMU_PAGES"),
    (0xae45, "KVM_GET_NR_MMU_PAGES"),
    (0xae47, "KVM_SET_TSS_ADDR"),
    (0xae60, "KVM_CREATE_IRQCHIP"),
    (0xae64, "KVM_CREATE_PIT"),
    (0xae71, "KVM_REINJECT_CONTROL"),
    (0xae78, "KVM_SET_BOOT_CPU_ID"),
    (0xae80, "KVM_RUN"),
    (0xae9a, "KVM_NMI"),
    (0xaea2, "KVM_SET_TSC_KHZ"),
    (0xaea3, "KVM_GET_TSC_KHZ"),
    (0xaead, "KVM_KVMCLOCK_CTRL"),
    (0xaeb7, "KVM_SMI"),
    (0xaec7, "KVM_RESET_DIRTY_RINGS"),
    (0xaece, "KVM_GET_STATS_FD"),
    (0x4004ae86, "KVM_INTERRUPT"),
    (0x4004ae8b, "KVM_SET_SIGNAL_MASK"),
    (0x4004ae99, "KVM_SET_MP_STATE"),
    (0x4008ae48, "KVM_SET_IDENTITY_MAP_ADDR"),
    (0x4008ae61, "KVM_IRQ_LINE"),
    (0x4008ae6a, "KVM_SET_GSI_ROUTING"),
    (0x4008ae73, "KVM_ASSIGN_SET_MSIX_NR"),
    (0x4008ae89, "KVM_SET_MSRS"),
    (0x4008ae8a, "KVM_SET_CPUID"),
    (0x4008ae90, "KVM_SET_CPUID2"),
    (0x4008ae93, "KVM_SET_VAPIC_ADDR"),
    (0x4008ae9c, "KVM_X86_SETUP_MCE"),
    (0x400caed0, "KVM_XEN_HVM_EVTCHN_SEND"),
    (0x4010ae42, "KVM_GET_DIRTY_LOG"),
    (0x4010ae67, "KVM_REGISTER_COALESCED_MMIO"),
    (0x4010ae68, "KVM_UNREGISTER_COALESCED_MMIO"),
    (0x4010ae74, "KVM_ASSIGN_SET_MSIX_ENTRY"),
    (0x4010aeaa, "KVM_DIRTY_TLB"),
    (0x4010aeab, "KVM_GET_ONE_REG"),
    (0x4010aeac, "KVM_SET_ONE_REG"),
    (0x4018ae40, "KVM_SET_MEMORY_REGION"),
    (0x4018aebd, "KVM_HYPERV_EVENTFD"),
    (0x4018aee1, "KVM_SET_DEVICE_ATTR"),
    (0x4018aee2, "KVM_GET_DEVICE_ATTR"),
    (0x4018aee3, "KVM_HAS_DEVICE_ATTR"),
    (0x4020ae43, "KVM_SET_MEMORY_ALIAS"),
    (0x4020ae46, "KVM_SET_USER_MEMORY_REGION"),
    (0x4020ae76, "KVM_IRQFD"),
    (0x4020aea5, "KVM_SIGNAL_MSI"),
    (0x4020aeb2, "KVM_SET_PMU_EVENT_FILTER"),
    (0x4030ae7b, "KVM_SET_CLOCK"),
    (0x4038ae7a, "KVM_XEN_HVM_CONFIG"),
    (0x4040ae70, "KVM_ASSIGN_DEV_IRQ"),
    (0x4040ae72, "KVM_DEASSIGN_PCI_DEVICE"),
    (0x4040ae75, "KVM_DEASSIGN_DEV_IRQ"),
    (0x4040ae77, "KVM_CREATE_PIT2"),
    (0x4040ae79, "KVM_IOEVENTFD"),
    (0x4040ae9e, "KVM_X86_SET_MCE"),
    (0x4040aea0, "KVM_SET_VCPU_EVENTS"),
    (0x4040aea4, "KVM_ASSIGN_SET_INTX_MASK"),
    (0x4048ae9b, "KVM_SET_GUEST_DEBUG"),
    (0x4048aec9, "KVM_XEN_HVM_SET_ATTR"),
    (0x4048aecb, "KVM_XEN_VCPU_SET_ATTR"),
    (0x4068aea3, "KVM_ENABLE_CAP"),
    (0x4070aea0, "KVM_SET_PIT2"),
    (0x4080aea2, "KVM_SET_DEBUGREGS"),
    (0x4080aebf, "KVM_SET_NESTED_STATE"),
    (0x4090ae82, "KVM_SET_REGS"),
    (0x4138ae84, "KVM_SET_SREGS"),
    (0x4140aecd, "KVM_SET_SREGS2"),
    (0x4188aea7, "KVM_SET_XCRS"),
    (0x4188aec6, "KVM_X86_SET_MSR_FILTER"),
    (0x41a0ae8d, "KVM_SET_FPU"),
    (0x4400ae8f, "KVM_SET_LAPIC"),
    (0x5000aea5, "KVM_SET_XSAVE"),
    (0x8004ae98, "KVM_GET_MP_STATE"),
    (0x8008ae9d, "KVM_X86_GET_MCE_CAP_SUPPORTED"),
    (0x8010aebb, "KVM_MEMORY_ENCRYPT_REG_REGION"),
    (0x8010aebc, "KVM_MEMORY_ENCRYPT_UNREG_REGION"),
    (0x8030ae7c, "KVM_GET_CLOCK"),
    (0x8040ae69, "KVM_ASSIGN_PCI_DEVICE"),
    (0x8040ae9f, "KVM_GET_VCPU_EVENTS"),
    (0x8048ae66, "KVM_SET_PIT"),
    (0x8070ae9f, "KVM_GET_PIT2"),
    (0x8080aea1, "KVM_GET_DEBUGREGS"),
    (0x8090ae81, "KVM_GET_REGS"),
    (0x8138ae83, "KVM_GET_SREGS"),
    (0x8140aecc, "KVM_GET_SREGS2"),
    (0x8188aea6, "KVM_GET_XCRS"),
    (0x81a0ae8c, "KVM_GET_FPU"),
    (0x8208ae63, "KVM_SET_IRQCHIP"),
    (0x8400ae8e, "KVM_GET_LAPIC"),
    (0x9000aea4, "KVM_GET_XSAVE"),
    (0x9000aecf, "KVM_GET_XSAVE2"),
    (0xc004ae02, "KVM_GET_MSR_INDEX_LIST"),
    (0xc004ae0a, "KVM_GET_MSR_FEATURE_INDEX_LIST"),
    (0xc008ae05, "KVM_GET_SUPPORTED_CPUID"),
    (0xc008ae09, "KVM_GET_EMULATED_CPUID"),
    (0xc008ae67, "KVM_IRQ_LINE_STATUS"),
    (0xc008ae88, "KVM_GET_MSRS"),
    (0xc008ae91, "KVM_GET_CPUID2"),
    (0xc008aeb0, "KVM_GET_REG_LIST"),
    (0xc008aeba, "KVM_MEMORY_ENCRYPT_OP"),
    (0xc008aec1, "KVM_GET_SUPPORTED_HV_CPUID"),
    (0xc00caee0, "KVM_CREATE_DEVICE"),
    (0xc018ae85, "KVM_TRANSLATE"),
    (0xc018aec0, "KVM_CLEAR_DIRTY_LOG"),
    (0xc028ae92, "KVM_TPR_ACCESS_REPORTING"),
    (0xc048ae65, "KVM_GET_PIT"),
    (0xc048aec8, "KVM_XEN_HVM_GET_ATTR"),
    (0xc048aeca, "KVM_XEN_VCPU_GET_ATTR"),
    (0xc080aebe, "KVM_GET_NESTED_STATE"),
    (0xc208ae62, "KVM_GET_IRQCHIP"),
];

/// strace's kvm_ioctl.
pub(super) fn kvm(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    match code {
        KVM_CREATE_VM => {
            c.next();
            c.hex(arg);
            Phase::DoneFd
        }
        KVM_CREATE_VCPU => {
            if entering {
                c.next();
                c.uint(arg);
                // With -e kvm=vcpu the exit registers the vCPU behind the new fd.
                return if c.style.kvm_vcpu {
                    Phase::Later
                } else {
                    Phase::DoneFd
                };
            }
            Phase::DoneFd
        }
        KVM_SET_USER_MEMORY_REGION => {
            c.next();
            if let Some(b) = read_struct::<32>(c, arg, false) {
                let _ = write!(c.out, "{{slot={}, flags=", u32_at(&b, 0));
                c.flags(u64::from(u32_at(&b, 4)), &MEM_FLAGS);
                c.s(", guest_phys_addr=");
                c.hex(u64_at(&b, 8));
                let _ = write!(c.out, ", memory_size={}, userspace_addr=", u64_at(&b, 16));
                c.hex(u64_at(&b, 24));
                c.s("}");
            }
            Phase::Done
        }
        KVM_GET_REGS | KVM_GET_SREGS | KVM_GET_SUPPORTED_CPUID | KVM_GET_EMULATED_CPUID
            if entering =>
        {
            Phase::Later
        }
        KVM_GET_REGS | KVM_SET_REGS => {
            c.next();
            if let Some(b) = read_struct::<REGS_SIZE>(c, arg, !entering) {
                regs(c, &b);
            }
            Phase::Done
        }
        KVM_GET_SREGS | KVM_SET_SREGS => {
            c.next();
            if let Some(b) = read_struct::<SREGS_SIZE>(c, arg, !entering) {
                sregs(c, &b);
            }
            Phase::Done
        }
        KVM_SET_CPUID2 | KVM_GET_SUPPORTED_CPUID | KVM_GET_EMULATED_CPUID => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, !entering) {
                cpuid2(c, arg, u32_at(&b, 0));
            }
            Phase::Done
        }
        KVM_CHECK_EXTENSION => {
            c.next();
            c.xval(arg, &CAPS);
            Phase::Done
        }
        KVM_RUN if entering => Phase::Later,
        KVM_RUN => {
            if c.ok() && c.style.kvm_vcpu {
                run_exit_reason(c);
            }
            Phase::Generic
        }
        _ => Phase::Generic,
    }
}

/// With -e kvm=vcpu: `(KVM_EXIT_IO)` after KVM_RUN's return value, from the exit reason
/// in the vCPU's `struct kvm_run`, which the tracee has mapped from the vCPU's fd.
fn run_exit_reason(c: &mut Ctx) {
    let fd = c.args[0] as i32;
    let Some(path) = c.fds.path(fd) else {
        return;
    };
    if !path.starts_with("anon_inode:kvm-vcpu:") {
        return;
    }
    let Some((start, len)) = c.fds.anon_mapping(&path) else {
        return;
    };
    if len < KVM_RUN_SIZE {
        return;
    }
    if let Some(reason) = c.read_u32(start.wrapping_add(8)) {
        let name = EXIT_REASONS
            .entries
            .iter()
            .find(|e| e.0 == u64::from(reason))
            .map_or("KVM_EXIT_???", |e| e.1);
        c.aux = format!("({name})");
    }
}

/// struct kvm_regs (x86_64): without -v the general registers but rax, rsp and rbp are
/// left out.
fn regs(c: &mut Ctx, b: &[u8]) {
    const NAMES: [&str; 18] = [
        "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12",
        "r13", "r14", "r15", "rip", "rflags",
    ];
    let verbose = c.style.verbose;
    c.s("{");
    for (i, name) in NAMES.into_iter().enumerate() {
        // rbx..rdi and r8..r15 are `...` when abbreviated.
        let hidden = matches!(i, 1..=5 | 8..=15) && !verbose;
        if hidden {
            if i == 1 || i == 8 {
                c.s(", ...");
            }
            continue;
        }
        if i > 0 {
            c.s(", ");
        }
        let _ = write!(c.out, "{name}=");
        c.hex(u64_at(b, i * 8));
    }
    c.s("}");
}

/// struct kvm_sregs (x86_64): only cs without -v.
fn sregs(c: &mut Ctx, b: &[u8]) {
    const SEGMENTS: [&str; 8] = ["cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"];
    c.s("{");
    for (i, name) in SEGMENTS.into_iter().enumerate() {
        if i > 0 {
            c.s(", ");
        }
        let _ = write!(c.out, "{name}=");
        segment(c, &b[i * 24..i * 24 + 24]);
        if !c.style.verbose {
            c.s(", ...}");
            return;
        }
    }
    for (name, at) in [("gdt", 192), ("idt", 208)] {
        let _ = write!(c.out, ", {name}={{base=");
        c.hex(u64_at(b, at));
        let _ = write!(c.out, ", limit={}}}", u16_at(b, at + 8));
    }
    for (i, name) in ["cr0", "cr2", "cr3", "cr4", "cr8", "efer"]
        .into_iter()
        .enumerate()
    {
        let _ = write!(c.out, ", {name}={}", u64_at(b, 224 + i * 8));
    }
    c.s(", apic_base=");
    c.hex(u64_at(b, 272));
    c.s(", interrupt_bitmap=[");
    for i in 0..4 {
        if i > 0 {
            c.s(", ");
        }
        c.hex(u64_at(b, 280 + i * 8));
    }
    c.s("]}");
}

/// struct kvm_segment.
fn segment(c: &mut Ctx, b: &[u8]) {
    c.s("{base=");
    c.hex(u64_at(b, 0));
    let _ = write!(
        c.out,
        ", limit={}, selector={}, type={}, present={}, dpl={}, db={}, s={}, l={}, g={}, avl={}}}",
        u32_at(b, 8),
        u16_at(b, 12),
        b[14],
        b[15],
        b[16],
        b[17],
        b[18],
        b[19],
        b[20],
        b[21]
    );
}

/// struct kvm_cpuid2: the count, and the entries with -v (`[...]` without).
fn cpuid2(c: &mut Ctx, arg: u64, nent: u32) {
    let _ = write!(c.out, "{{nent={nent}, entries=");
    if !c.style.verbose {
        c.s(if nent != 0 { "[...]}" } else { "[]}" });
        return;
    }
    c.array(
        arg.wrapping_add(8),
        u64::from(nent),
        CPUID_ENTRY_SIZE,
        |c, e| {
            c.s("{function=");
            c.hex(u64::from(u32_at(e, 0)));
            c.s(", index=");
            c.hex(u64::from(u32_at(e, 4)));
            c.s(", flags=");
            c.flags(u64::from(u32_at(e, 8)), &CPUID_FLAGS);
            for (name, at) in [("eax", 12), ("ebx", 16), ("ecx", 20), ("edx", 24)] {
                let _ = write!(c.out, ", {name}=");
                c.hex(u64::from(u32_at(e, at)));
            }
            c.s("}");
            true
        },
    );
    c.s("}");
}

// strace 6.1's src/xlat/kvm_cap.in.
xlat::xlat!(CAPS, "KVM_CAP_???", [
    0 => "KVM_CAP_IRQCHIP", 0x1 => "KVM_CAP_HLT", 0x2 => "KVM_CAP_MMU_SHADOW_CACHE_CONTROL",
    0x3 => "KVM_CAP_USER_MEMORY", 0x4 => "KVM_CAP_SET_TSS_ADDR", 0x6 => "KVM_CAP_VAPIC",
    0x7 => "KVM_CAP_EXT_CPUID", 0x8 => "KVM_CAP_CLOCKSOURCE", 0x9 => "KVM_CAP_NR_VCPUS",
    0xa => "KVM_CAP_NR_MEMSLOTS", 0xb => "KVM_CAP_PIT", 0xc => "KVM_CAP_NOP_IO_DELAY",
    0xd => "KVM_CAP_PV_MMU", 0xe => "KVM_CAP_MP_STATE", 0xf => "KVM_CAP_COALESCED_MMIO",
    0x10 => "KVM_CAP_SYNC_MMU", 0x12 => "KVM_CAP_IOMMU",
    0x15 => "KVM_CAP_DESTROY_MEMORY_REGION_WORKS", 0x16 => "KVM_CAP_USER_NMI",
    0x17 => "KVM_CAP_SET_GUEST_DEBUG", 0x18 => "KVM_CAP_REINJECT_CONTROL",
    0x19 => "KVM_CAP_IRQ_ROUTING", 0x1a => "KVM_CAP_IRQ_INJECT_STATUS",
    0x1d => "KVM_CAP_ASSIGN_DEV_IRQ", 0x1e => "KVM_CAP_JOIN_MEMORY_REGIONS_WORKS",
    0x1f => "KVM_CAP_MCE", 0x20 => "KVM_CAP_IRQFD", 0x21 => "KVM_CAP_PIT2",
    0x22 => "KVM_CAP_SET_BOOT_CPU_ID", 0x23 => "KVM_CAP_PIT_STATE2", 0x24 => "KVM_CAP_IOEVENTFD",
    0x25 => "KVM_CAP_SET_IDENTITY_MAP_ADDR", 0x26 => "KVM_CAP_XEN_HVM",
    0x27 => "KVM_CAP_ADJUST_CLOCK", 0x28 => "KVM_CAP_INTERNAL_ERROR_DATA",
    0x29 => "KVM_CAP_VCPU_EVENTS", 0x2a => "KVM_CAP_S390_PSW", 0x2b => "KVM_CAP_PPC_SEGSTATE",
    0x2c => "KVM_CAP_HYPERV", 0x2d => "KVM_CAP_HYPERV_VAPIC", 0x2e => "KVM_CAP_HYPERV_SPIN",
    0x2f => "KVM_CAP_PCI_SEGMENT", 0x30 => "KVM_CAP_PPC_PAIRED_SINGLES",
    0x31 => "KVM_CAP_INTR_SHADOW", 0x32 => "KVM_CAP_DEBUGREGS",
    0x33 => "KVM_CAP_X86_ROBUST_SINGLESTEP", 0x34 => "KVM_CAP_PPC_OSI",
    0x35 => "KVM_CAP_PPC_UNSET_IRQ", 0x36 => "KVM_CAP_ENABLE_CAP", 0x37 => "KVM_CAP_XSAVE",
    0x38 => "KVM_CAP_XCRS", 0x39 => "KVM_CAP_PPC_GET_PVINFO", 0x3a => "KVM_CAP_PPC_IRQ_LEVEL",
    0x3b => "KVM_CAP_ASYNC_PF", 0x3c => "KVM_CAP_TSC_CONTROL", 0x3d => "KVM_CAP_GET_TSC_KHZ",
    0x3e => "KVM_CAP_PPC_BOOKE_SREGS", 0x3f => "KVM_CAP_SPAPR_TCE", 0x40 => "KVM_CAP_PPC_SMT",
    0x41 => "KVM_CAP_PPC_RMA", 0x42 => "KVM_CAP_MAX_VCPUS", 0x43 => "KVM_CAP_PPC_HIOR",
    0x44 => "KVM_CAP_PPC_PAPR", 0x45 => "KVM_CAP_SW_TLB", 0x46 => "KVM_CAP_ONE_REG",
    0x47 => "KVM_CAP_S390_GMAP", 0x48 => "KVM_CAP_TSC_DEADLINE_TIMER",
    0x49 => "KVM_CAP_S390_UCONTROL", 0x4a => "KVM_CAP_SYNC_REGS", 0x4b => "KVM_CAP_PCI_2_3",
    0x4c => "KVM_CAP_KVMCLOCK_CTRL", 0x4d => "KVM_CAP_SIGNAL_MSI",
    0x4e => "KVM_CAP_PPC_GET_SMMU_INFO", 0x4f => "KVM_CAP_S390_COW",
    0x50 => "KVM_CAP_PPC_ALLOC_HTAB", 0x51 => "KVM_CAP_READONLY_MEM",
    0x52 => "KVM_CAP_IRQFD_RESAMPLE", 0x53 => "KVM_CAP_PPC_BOOKE_WATCHDOG",
    0x54 => "KVM_CAP_PPC_HTAB_FD", 0x55 => "KVM_CAP_S390_CSS_SUPPORT", 0x56 => "KVM_CAP_PPC_EPR",
    0x57 => "KVM_CAP_ARM_PSCI", 0x58 => "KVM_CAP_ARM_SET_DEVICE_ADDR",
    0x59 => "KVM_CAP_DEVICE_CTRL", 0x5a => "KVM_CAP_IRQ_MPIC", 0x5b => "KVM_CAP_PPC_RTAS",
    0x5c => "KVM_CAP_IRQ_XICS", 0x5d => "KVM_CAP_ARM_EL1_32BIT", 0x5e => "KVM_CAP_SPAPR_MULTITCE",
    0x5f => "KVM_CAP_EXT_EMUL_CPUID", 0x60 => "KVM_CAP_HYPERV_TIME",
    0x61 => "KVM_CAP_IOAPIC_POLARITY_IGNORED", 0x62 => "KVM_CAP_ENABLE_CAP_VM",
    0x63 => "KVM_CAP_S390_IRQCHIP", 0x64 => "KVM_CAP_IOEVENTFD_NO_LENGTH",
    0x65 => "KVM_CAP_VM_ATTRIBUTES", 0x66 => "KVM_CAP_ARM_PSCI_0_2",
    0x67 => "KVM_CAP_PPC_FIXUP_HCALL", 0x68 => "KVM_CAP_PPC_ENABLE_HCALL",
    0x69 => "KVM_CAP_CHECK_EXTENSION_VM", 0x6a => "KVM_CAP_S390_USER_SIGP",
    0x6b => "KVM_CAP_S390_VECTOR_REGISTERS", 0x6c => "KVM_CAP_S390_MEM_OP",
    0x6d => "KVM_CAP_S390_USER_STSI", 0x6e => "KVM_CAP_S390_SKEYS", 0x6f => "KVM_CAP_MIPS_FPU",
    0x70 => "KVM_CAP_MIPS_MSA", 0x71 => "KVM_CAP_S390_INJECT_IRQ",
    0x72 => "KVM_CAP_S390_IRQ_STATE", 0x73 => "KVM_CAP_PPC_HWRNG",
    0x74 => "KVM_CAP_DISABLE_QUIRKS", 0x75 => "KVM_CAP_X86_SMM",
    0x76 => "KVM_CAP_MULTI_ADDRESS_SPACE", 0x77 => "KVM_CAP_GUEST_DEBUG_HW_BPS",
    0x78 => "KVM_CAP_GUEST_DEBUG_HW_WPS", 0x79 => "KVM_CAP_SPLIT_IRQCHIP",
    0x7a => "KVM_CAP_IOEVENTFD_ANY_LENGTH", 0x7b => "KVM_CAP_HYPERV_SYNIC",
    0x7c => "KVM_CAP_S390_RI", 0x7d => "KVM_CAP_SPAPR_TCE_64", 0x7e => "KVM_CAP_ARM_PMU_V3",
    0x7f => "KVM_CAP_VCPU_ATTRIBUTES", 0x80 => "KVM_CAP_MAX_VCPU_ID", 0x81 => "KVM_CAP_X2APIC_API",
    0x82 => "KVM_CAP_S390_USER_INSTR0", 0x83 => "KVM_CAP_MSI_DEVID", 0x84 => "KVM_CAP_PPC_HTM",
    0x85 => "KVM_CAP_SPAPR_RESIZE_HPT", 0x86 => "KVM_CAP_PPC_MMU_RADIX",
    0x87 => "KVM_CAP_PPC_MMU_HASH_V3", 0x88 => "KVM_CAP_IMMEDIATE_EXIT", 0x89 => "KVM_CAP_MIPS_VZ",
    0x8a => "KVM_CAP_MIPS_TE", 0x8b => "KVM_CAP_MIPS_64BIT", 0x8c => "KVM_CAP_S390_GS",
    0x8d => "KVM_CAP_S390_AIS", 0x8e => "KVM_CAP_SPAPR_TCE_VFIO",
    0x8f => "KVM_CAP_X86_DISABLE_EXITS", 0x90 => "KVM_CAP_ARM_USER_IRQ",
    0x91 => "KVM_CAP_S390_CMMA_MIGRATION", 0x92 => "KVM_CAP_PPC_FWNMI",
    0x93 => "KVM_CAP_PPC_SMT_POSSIBLE", 0x94 => "KVM_CAP_HYPERV_SYNIC2",
    0x95 => "KVM_CAP_HYPERV_VP_INDEX", 0x96 => "KVM_CAP_S390_AIS_MIGRATION",
    0x97 => "KVM_CAP_PPC_GET_CPU_CHAR", 0x98 => "KVM_CAP_S390_BPB",
    0x99 => "KVM_CAP_GET_MSR_FEATURES", 0x9a => "KVM_CAP_HYPERV_EVENTFD",
    0x9b => "KVM_CAP_HYPERV_TLBFLUSH", 0x9c => "KVM_CAP_S390_HPAGE_1M",
    0x9d => "KVM_CAP_NESTED_STATE", 0x9e => "KVM_CAP_ARM_INJECT_SERROR_ESR",
    0x9f => "KVM_CAP_MSR_PLATFORM_INFO", 0xa0 => "KVM_CAP_PPC_NESTED_HV",
    0xa1 => "KVM_CAP_HYPERV_SEND_IPI", 0xa2 => "KVM_CAP_COALESCED_PIO",
    0xa3 => "KVM_CAP_HYPERV_ENLIGHTENED_VMCS", 0xa4 => "KVM_CAP_EXCEPTION_PAYLOAD",
    0xa5 => "KVM_CAP_ARM_VM_IPA_SIZE", 0xa6 => "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT",
    0xa7 => "KVM_CAP_HYPERV_CPUID", 0xa8 => "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2",
    0xa9 => "KVM_CAP_PPC_IRQ_XIVE", 0xaa => "KVM_CAP_ARM_SVE",
    0xab => "KVM_CAP_ARM_PTRAUTH_ADDRESS", 0xac => "KVM_CAP_ARM_PTRAUTH_GENERIC",
    0xad => "KVM_CAP_PMU_EVENT_FILTER", 0xae => "KVM_CAP_ARM_IRQ_LINE_LAYOUT_2",
    0xaf => "KVM_CAP_HYPERV_DIRECT_TLBFLUSH", 0xb0 => "KVM_CAP_PPC_GUEST_DEBUG_SSTEP",
    0xb1 => "KVM_CAP_ARM_NISV_TO_USER", 0xb2 => "KVM_CAP_ARM_INJECT_EXT_DABT",
    0xb3 => "KVM_CAP_S390_VCPU_RESETS", 0xb4 => "KVM_CAP_S390_PROTECTED",
    0xb5 => "KVM_CAP_PPC_SECURE_GUEST", 0xb6 => "KVM_CAP_HALT_POLL",
    0xb7 => "KVM_CAP_ASYNC_PF_INT", 0xb8 => "KVM_CAP_LAST_CPU",
    0xb9 => "KVM_CAP_SMALLER_MAXPHYADDR", 0xba => "KVM_CAP_S390_DIAG318",
    0xbb => "KVM_CAP_STEAL_TIME", 0xbc => "KVM_CAP_X86_USER_SPACE_MSR",
    0xbd => "KVM_CAP_X86_MSR_FILTER", 0xbe => "KVM_CAP_ENFORCE_PV_FEATURE_CPUID",
    0xbf => "KVM_CAP_SYS_HYPERV_CPUID", 0xc0 => "KVM_CAP_DIRTY_LOG_RING",
    0xc1 => "KVM_CAP_X86_BUS_LOCK_EXIT", 0xc2 => "KVM_CAP_PPC_DAWR1",
    0xc3 => "KVM_CAP_SET_GUEST_DEBUG2", 0xc4 => "KVM_CAP_SGX_ATTRIBUTE",
    0xc5 => "KVM_CAP_VM_COPY_ENC_CONTEXT_FROM", 0xc6 => "KVM_CAP_PTP_KVM",
    0xc7 => "KVM_CAP_HYPERV_ENFORCE_CPUID", 0xc8 => "KVM_CAP_SREGS2",
    0xc9 => "KVM_CAP_EXIT_HYPERCALL", 0xca => "KVM_CAP_PPC_RPT_INVALIDATE",
    0xcb => "KVM_CAP_BINARY_STATS_FD", 0xcc => "KVM_CAP_EXIT_ON_EMULATION_FAILURE",
    0xcd => "KVM_CAP_ARM_MTE", 0xce => "KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM",
    0xcf => "KVM_CAP_VM_GPA_BITS", 0xd0 => "KVM_CAP_XSAVE2", 0xd1 => "KVM_CAP_SYS_ATTRIBUTES",
    0xd2 => "KVM_CAP_PPC_AIL_MODE_3", 0xd3 => "KVM_CAP_S390_MEM_OP_EXTENSION",
    0xd4 => "KVM_CAP_PMU_CAPABILITY", 0xd5 => "KVM_CAP_DISABLE_QUIRKS2",
    0xd6 => "KVM_CAP_VM_TSC_CONTROL", 0xd7 => "KVM_CAP_SYSTEM_EVENT_DATA",
    0xd8 => "KVM_CAP_ARM_SYSTEM_SUSPEND", 0xd9 => "KVM_CAP_S390_PROTECTED_DUMP",
    0xda => "KVM_CAP_X86_TRIPLE_FAULT_EVENT", 0xdb => "KVM_CAP_X86_NOTIFY_VMEXIT",
    0xdc => "KVM_CAP_VM_DISABLE_NX_HUGE_PAGES", 0xdd => "KVM_CAP_S390_ZPCI_OP",
    0xde => "KVM_CAP_S390_CPU_TOPOLOGY", 0xdf => "KVM_CAP_DIRTY_LOG_RING_ACQ_REL",
]);

// strace 6.1's src/xlat/kvm_cpuid_flags.in.
xlat::xlat!(CPUID_FLAGS, "KVM_CPUID_FLAG_???", [
    0x1 => "KVM_CPUID_FLAG_SIGNIFCANT_INDEX", 0x2 => "KVM_CPUID_FLAG_STATEFUL_FUNC",
    0x4 => "KVM_CPUID_FLAG_STATE_READ_NEXT",
]);

// strace 6.1's src/xlat/kvm_exit_reason.in.
xlat::xlat!(EXIT_REASONS, "KVM_EXIT_???", [
    0 => "KVM_EXIT_UNKNOWN", 0x1 => "KVM_EXIT_EXCEPTION", 0x2 => "KVM_EXIT_IO",
    0x3 => "KVM_EXIT_HYPERCALL", 0x4 => "KVM_EXIT_DEBUG", 0x5 => "KVM_EXIT_HLT",
    0x6 => "KVM_EXIT_MMIO", 0x7 => "KVM_EXIT_IRQ_WINDOW_OPEN", 0x8 => "KVM_EXIT_SHUTDOWN",
    0x9 => "KVM_EXIT_FAIL_ENTRY", 0xa => "KVM_EXIT_INTR", 0xb => "KVM_EXIT_SET_TPR",
    0xc => "KVM_EXIT_TPR_ACCESS", 0xd => "KVM_EXIT_S390_SIEIC", 0xe => "KVM_EXIT_S390_RESET",
    0xf => "KVM_EXIT_DCR", 0x10 => "KVM_EXIT_NMI", 0x11 => "KVM_EXIT_INTERNAL_ERROR",
    0x12 => "KVM_EXIT_OSI", 0x13 => "KVM_EXIT_PAPR_HCALL", 0x14 => "KVM_EXIT_S390_UCONTROL",
    0x15 => "KVM_EXIT_WATCHDOG", 0x16 => "KVM_EXIT_S390_TSCH", 0x17 => "KVM_EXIT_EPR",
    0x18 => "KVM_EXIT_SYSTEM_EVENT", 0x19 => "KVM_EXIT_S390_STSI", 0x1a => "KVM_EXIT_IOAPIC_EOI",
    0x1b => "KVM_EXIT_HYPERV", 0x1c => "KVM_EXIT_ARM_NISV", 0x1d => "KVM_EXIT_X86_RDMSR",
    0x1e => "KVM_EXIT_X86_WRMSR", 0x1f => "KVM_EXIT_DIRTY_RING_FULL",
    0x20 => "KVM_EXIT_AP_RESET_HOLD", 0x21 => "KVM_EXIT_X86_BUS_LOCK", 0x22 => "KVM_EXIT_XEN",
    0x23 => "KVM_EXIT_RISCV_SBI", 0x24 => "KVM_EXIT_RISCV_CSR", 0x25 => "KVM_EXIT_NOTIFY",
]);

// strace 6.1's src/xlat/kvm_mem_flags.in.
xlat::xlat!(MEM_FLAGS, "KVM_MEM_???", [
    0x1 => "KVM_MEM_LOG_DIRTY_PAGES", 0x2 => "KVM_MEM_READONLY",
]);
