//! `-k`: the tracee's stack at each printed call, as strace prints it after the line:
//!
//! ```text
//!  > /usr/lib/x86_64-linux-gnu/libc.so.6(__chdir+0x7) [0xe6f37]
//!  > /tmp/prog(main+0x1d) [0x113d]
//! ```
//!
//! The modules come from `/proc/PID/maps` (read again after calls that change the mappings),
//! the unwind rules from each ELF file's `.eh_frame` (framehop walks the stack with them,
//! falling back to frame pointers), the names from its symbol tables (`object`). The address in
//! brackets is the one in the file (strace's "true offset"); return addresses are shown one
//! byte back, inside the call instruction, as strace shows them.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use framehop::x86_64::{CacheX86_64, UnwindRegsX86_64, UnwinderX86_64};
use framehop::{ExplicitModuleSectionInfo, Module, Unwinder};
use object::{Object, ObjectSection, ObjectSegment, ObjectSymbol, SymbolKind};
use saker_ptrace::ProcessMemory;

/// strace's limit on printed frames.
const MAX_FRAMES: usize = 256;

/// Calls after which the process's mappings may have changed.
const MAPPING_CHANGERS: &[&str] = &[
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "brk",
    "execve",
    "execveat",
    "shmat",
    "shmdt",
    "remap_file_pages",
    "pkey_mprotect",
];

/// One ELF file, read once for every process that maps it.
struct ElfFile {
    sections: ExplicitModuleSectionInfo<Arc<[u8]>>,
    /// PT_LOAD segments: (file offset range, virtual address).
    segments: Vec<(Range<u64>, u64)>,
    /// Function symbols sorted by address: (address, name).
    symbols: Vec<(u64, String)>,
}

/// A file mapped into one process.
struct Mapped {
    path: String,
    range: Range<u64>,
    /// Added to an address in the file to get the address in the process.
    bias: u64,
    file: Arc<ElfFile>,
}

/// One process's modules and unwinder.
struct ProcessStack {
    unwinder: UnwinderX86_64<Arc<[u8]>>,
    mapped: Vec<Mapped>,
}

/// The stack walker for every traced process.
#[derive(Default)]
pub struct StackTraces {
    files: HashMap<PathBuf, Option<Arc<ElfFile>>>,
    processes: HashMap<i32, ProcessStack>,
    cache: Option<Box<CacheX86_64>>,
}

impl StackTraces {
    /// The stack of stopped process `pid`, as ` > ...` lines.
    pub fn capture(&mut self, pid: i32) -> String {
        let mut out = String::new();
        let Ok(regs) = saker_ptrace::registers(pid) else {
            return out;
        };
        if !self.processes.contains_key(&pid) {
            let process = self.load_process(pid);
            self.processes.insert(pid, process);
        }
        let process = &self.processes[&pid];
        let cache = self
            .cache
            .get_or_insert_with(|| Box::new(CacheX86_64::new()));
        let mut memory = ProcessMemory::new(pid);
        let mut read_stack = |addr: u64| {
            let mut word = [0u8; 8];
            if memory.read(addr, &mut word) == 8 {
                Ok(u64::from_ne_bytes(word))
            } else {
                Err(())
            }
        };
        let mut frames = process.unwinder.iter_frames(
            regs.rip,
            UnwindRegsX86_64::new(regs.rip, regs.rsp, regs.rbp),
            cache,
            &mut read_stack,
        );
        let mut count = 0;
        while let Ok(Some(frame)) = frames.next() {
            count += 1;
            if count > MAX_FRAMES {
                break;
            }
            let pc = frame.address_for_lookup();
            if let Some(mapped) = process.mapped.iter().find(|m| m.range.contains(&pc)) {
                write_frame(&mut out, mapped, pc);
            }
        }
        out
    }

    /// After a call: forget the maps if it may have changed them.
    pub fn after_call(&mut self, pid: i32, nr: u64, failed: bool) {
        let name = saker_syscalls::name(nr).unwrap_or("");
        if !failed && MAPPING_CHANGERS.contains(&name) {
            self.processes.remove(&pid);
        }
    }

    /// The process ended or exec'd.
    pub fn process_gone(&mut self, pid: i32) {
        self.processes.remove(&pid);
    }

    fn load_process(&mut self, pid: i32) -> ProcessStack {
        let mut unwinder = UnwinderX86_64::new();
        let mut mapped: Vec<Mapped> = Vec::new();
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
        for map in maps.lines().filter_map(parse_maps_line) {
            if !map.executable || !map.path.starts_with('/') {
                continue;
            }
            let Some(file) = self.file(&map.path) else {
                continue;
            };
            let Some(bias) = file
                .segments
                .iter()
                .find(|(offsets, _)| offsets.contains(&map.offset))
                .map(|(offsets, vaddr)| {
                    map.range
                        .start
                        .wrapping_sub(vaddr + (map.offset - offsets.start))
                })
            else {
                continue;
            };
            match mapped
                .iter_mut()
                .find(|m| m.path == map.path && m.bias == bias)
            {
                Some(known) => known.range.end = known.range.end.max(map.range.end),
                None => mapped.push(Mapped {
                    path: map.path,
                    range: map.range,
                    bias,
                    file,
                }),
            }
        }
        for m in &mapped {
            unwinder.add_module(Module::new(
                m.path.clone(),
                m.range.clone(),
                m.bias,
                m.file.sections.clone(),
            ));
        }
        ProcessStack { unwinder, mapped }
    }

    fn file(&mut self, path: &str) -> Option<Arc<ElfFile>> {
        self.files
            .entry(PathBuf::from(path))
            .or_insert_with(|| read_elf(path).map(Arc::new))
            .clone()
    }
}

fn write_frame(out: &mut String, mapped: &Mapped, pc: u64) {
    let in_file = pc.wrapping_sub(mapped.bias);
    let symbols = &mapped.file.symbols;
    let index = symbols.partition_point(|(addr, _)| *addr <= in_file);
    match index.checked_sub(1).map(|i| &symbols[i]) {
        Some((addr, name)) => {
            let _ = writeln!(
                out,
                " > {}({}+{:#x}) [{in_file:#x}]",
                mapped.path,
                name,
                in_file - addr
            );
        }
        None => {
            let _ = writeln!(out, " > {}() [{in_file:#x}]", mapped.path);
        }
    }
}

pub(crate) struct MapsLine {
    pub(crate) range: Range<u64>,
    offset: u64,
    executable: bool,
    /// The device's major number is 0: an anonymous inode (or another pseudo file).
    pub(crate) anon_device: bool,
    pub(crate) path: String,
}

/// `start-end perms offset dev inode path`.
pub(crate) fn parse_maps_line(line: &str) -> Option<MapsLine> {
    let mut fields = line.split_whitespace();
    let (start, end) = fields.next()?.split_once('-')?;
    let perms = fields.next()?;
    let offset = u64::from_str_radix(fields.next()?, 16).ok()?;
    let dev = fields.next()?;
    let _inode = fields.next()?;
    let path = fields.collect::<Vec<_>>().join(" ");
    Some(MapsLine {
        range: u64::from_str_radix(start, 16).ok()?..u64::from_str_radix(end, 16).ok()?,
        offset,
        executable: perms.as_bytes().get(2) == Some(&b'x'),
        anon_device: dev.split_once(':').is_some_and(|(major, _)| major == "00"),
        path,
    })
}

/// Reads what unwinding and naming need from an ELF file; its symbols also from the
/// separate debug file (`/usr/lib/debug/.build-id/...`) when it has none itself.
fn read_elf(path: &str) -> Option<ElfFile> {
    let data = std::fs::read(path).ok()?;
    let elf = object::File::parse(&*data).ok()?;
    let section = |name: &str| -> (Option<Range<u64>>, Option<Arc<[u8]>>) {
        match elf.section_by_name(name) {
            Some(s) => (
                Some(s.address()..s.address() + s.size()),
                s.data().ok().map(Arc::from),
            ),
            None => (None, None),
        }
    };
    let (text_svma, text) = section(".text");
    let (eh_frame_svma, eh_frame) = section(".eh_frame");
    let (eh_frame_hdr_svma, eh_frame_hdr) = section(".eh_frame_hdr");
    let (got_svma, _) = section(".got");
    let (_, debug_frame) = section(".debug_frame");
    let sections = ExplicitModuleSectionInfo {
        base_svma: 0,
        text_svma,
        text,
        got_svma,
        eh_frame_svma,
        eh_frame,
        eh_frame_hdr_svma,
        eh_frame_hdr,
        debug_frame,
        ..Default::default()
    };
    let segments = elf
        .segments()
        .filter_map(|s| {
            let (offset, size) = s.file_range();
            (size > 0).then(|| (offset..offset + size, s.address()))
        })
        .collect();
    let mut symbols = function_symbols(&elf);
    if symbols.is_empty()
        && let Ok(Some(build_id)) = elf.build_id()
        && let Some(debug) = debug_file(build_id)
        && let Ok(debug_elf) = object::File::parse(&*debug)
    {
        symbols = function_symbols(&debug_elf);
    }
    Some(ElfFile {
        sections,
        segments,
        symbols,
    })
}

fn function_symbols(elf: &object::File<'_>) -> Vec<(u64, String)> {
    let mut symbols: Vec<(u64, String)> = elf
        .symbols()
        .chain(elf.dynamic_symbols())
        .filter(|s| s.kind() == SymbolKind::Text && s.address() != 0)
        .filter_map(|s| Some((s.address(), s.name().ok()?.to_string())))
        .filter(|(_, name)| !name.is_empty())
        .collect();
    symbols.sort();
    symbols.dedup_by_key(|(addr, _)| *addr);
    symbols
}

fn debug_file(build_id: &[u8]) -> Option<Vec<u8>> {
    let (first, rest) = build_id.split_first()?;
    let rest: String = rest.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::read(format!("/usr/lib/debug/.build-id/{first:02x}/{rest}.debug")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_lines() {
        let line = "7f1c2a428000-7f1c2a5bd000 r-xp 00028000 fe:01 1054244                    /usr/lib/x86_64-linux-gnu/libc.so.6";
        let map = parse_maps_line(line).unwrap();
        assert_eq!(map.range, 0x7f1c2a428000..0x7f1c2a5bd000);
        assert_eq!(map.offset, 0x28000);
        assert!(map.executable);
        assert_eq!(map.path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
        let anon =
            parse_maps_line("7ffd1c5e4000-7ffd1c605000 rw-p 00000000 00:00 0  [stack]").unwrap();
        assert!(!anon.executable);
        assert_eq!(anon.path, "[stack]");
        assert!(!map.anon_device);
        // A KVM vCPU's struct kvm_run, mapped from its anonymous-inode fd (-e kvm=vcpu).
        let vcpu = parse_maps_line(
            "7f0b278c6000-7f0b278c9000 rw-s 00000000 00:0f 2071  anon_inode:kvm-vcpu:0",
        )
        .unwrap();
        assert!(vcpu.anon_device);
        assert_eq!(vcpu.path, "anon_inode:kvm-vcpu:0");
    }

    #[test]
    fn own_stack_names_this_test() {
        // Our own executable's symbols: this function is in them.
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let file = read_elf(exe.to_str().unwrap()).expect("an ELF file");
        assert!(file.sections.eh_frame.is_some());
        assert!(
            file.symbols
                .iter()
                .any(|(_, name)| name.contains("own_stack_names_this_test")),
            "symbols of the test binary"
        );
    }
}
