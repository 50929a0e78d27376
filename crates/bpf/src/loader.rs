//! Loads an object that needs nothing from the kernel's BTF (raw tracepoint programs, no CO-RE
//! relocation), without aya's `EbpfLoader`: aya 0.14's `EbpfLoader::new()` always parses
//! /sys/kernel/btf/vmlinux (about 5 MB, 30 ms and more here), which was most of
//! `trace -c --ebpf`'s start-up (docs/capture-bpf.md, "Counting").
//!
//! The steps are aya's own (aya-0.14.0 `src/bpf.rs` `EbpfLoader::load`, `src/sys/bpf.rs`):
//! `aya_obj::Object::parse`, `MapData::create` for each map, `Object::relocate_maps` and
//! `relocate_calls`, then `BPF_PROG_LOAD` and `BPF_RAW_TRACEPOINT_OPEN` here. Left out: the
//! object's BTF is not loaded into the kernel (maps are created without key/value type ids and
//! programs without func/line info, which only tools like bpftool show), and aya's kernel
//! feature probes are not run (they would load a dozen test programs).
//!
//! Every kernel object is an `OwnedFd` (or a `MapData`, which holds one): dropping them
//! detaches the programs and frees the maps.

use std::collections::{HashMap, HashSet};
use std::ffi::{CStr, CString};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use aya::maps::{Map, MapData, MapError};
use aya_obj::generated::{bpf_attr, bpf_cmd, bpf_insn, bpf_prog_type};
use aya_obj::{Object, ProgramSection};

use crate::error::BpfError;

/// A parsed object whose maps exist in the kernel and whose programs point at them.
pub(crate) struct LoadedObject {
    what: &'static str,
    object: Object,
    maps: HashMap<&'static str, MapData>,
}

impl LoadedObject {
    /// Parses `data` (the `what` object, for messages), creates the maps listed in `maps`, each
    /// with its `max_entries` when one is given, and relocates the programs' map references.
    /// The object must hold exactly these maps.
    pub(crate) fn create(
        what: &'static str,
        data: &[u8],
        maps: &[(&'static str, Option<u32>)],
    ) -> Result<LoadedObject, BpfError> {
        let problem = |problem: String| BpfError::Object { what, problem };
        let mut object =
            Object::parse(data).map_err(|e| problem(format!("does not parse: {}", chain(&e))))?;
        if object.has_btf_relocations() {
            return Err(problem(
                "has CO-RE relocations, which need the kernel's BTF".into(),
            ));
        }
        if let Some(extra) = object
            .maps
            .keys()
            .find(|name| !maps.iter().any(|(m, _)| m == name))
        {
            return Err(problem(format!(
                "has map `{extra}`, which the loader does not know"
            )));
        }
        let mut created = HashMap::new();
        // The definitions as parsed: relocation finds a map by its section and symbol.
        let mut definitions = Vec::new();
        for &(name, max_entries) in maps {
            let definition = object
                .maps
                .remove(name)
                .ok_or(BpfError::Missing { what: "map", name })?;
            let mut map = definition.clone();
            if let Some(max_entries) = max_entries {
                map.set_max_entries(max_entries);
            }
            // No BTF for the kernel to check the key and value types against: without type
            // ids, BPF_MAP_CREATE does not look at btf_fd.
            if let aya_obj::Map::Btf(btf_map) = &mut map {
                btf_map.def.btf_key_type_id = 0;
                btf_map.def.btf_value_type_id = 0;
            }
            let data = MapData::create(map, name, None).map_err(|e| match e {
                MapError::CreateError { io_error, .. } => BpfError::MapCreate {
                    map: name,
                    source: io_error,
                },
                source => BpfError::Map { map: name, source },
            })?;
            definitions.push((name, data.fd().as_fd().as_raw_fd(), definition));
            created.insert(name, data);
        }
        let text_sections: HashSet<usize> = object.functions.keys().map(|&(s, _)| s).collect();
        object
            .relocate_maps(
                definitions.iter().map(|(name, fd, map)| (*name, *fd, map)),
                &text_sections,
            )
            .map_err(|e| problem(format!("relocating maps: {}", chain(&e))))?;
        object
            .relocate_calls(&text_sections)
            .map_err(|e| problem(format!("relocating calls: {}", chain(&e))))?;
        Ok(LoadedObject {
            what,
            object,
            maps: created,
        })
    }

    /// Takes map `name` out, as aya's map type for it (`Array::try_from` and the like take it
    /// from there). The loaded programs keep the kernel's map alive either way.
    pub(crate) fn take_map(&mut self, name: &'static str) -> Result<Map, BpfError> {
        let data = self
            .maps
            .remove(name)
            .ok_or(BpfError::Missing { what: "map", name })?;
        Map::from_map_data(data).map_err(BpfError::map(name))
    }

    /// Loads raw tracepoint program `name` into the kernel.
    pub(crate) fn load_raw_tracepoint(&self, name: &'static str) -> Result<OwnedFd, BpfError> {
        let program = self.object.programs.get(name).ok_or(BpfError::Missing {
            what: "program",
            name,
        })?;
        if !matches!(program.section, ProgramSection::RawTracePoint) {
            return Err(BpfError::Object {
                what: self.what,
                problem: format!("program `{name}` is not a raw tracepoint"),
            });
        }
        let function =
            self.object
                .functions
                .get(&program.function_key())
                .ok_or(BpfError::Missing {
                    what: "program",
                    name,
                })?;
        load_program(
            name,
            bpf_prog_type::BPF_PROG_TYPE_RAW_TRACEPOINT,
            &function.instructions,
            &program.license,
        )
    }
}

/// An error and its sources, one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Room for the verifier's log when a load failed. Since Linux 6.4 a log too long for it keeps
/// its end, where the reason is.
const VERIFIER_LOG_BYTES: usize = 256 << 10;

/// `BPF_PROG_LOAD`. On failure the load is tried again with a log buffer, and the error carries
/// the verifier's log (asking for the log up front would make every load slower).
pub(crate) fn load_program(
    name: &'static str,
    ty: bpf_prog_type,
    insns: &[bpf_insn],
    license: &CStr,
) -> Result<OwnedFd, BpfError> {
    let first = match prog_load(name, ty, insns, license, &mut []) {
        Ok(fd) => return Ok(fd),
        Err(e) => e,
    };
    let mut log = vec![0u8; VERIFIER_LOG_BYTES];
    // A retry that succeeds (a transient failure, ENOMEM say) is as good as a first success.
    if let Ok(fd) = prog_load(name, ty, insns, license, &mut log) {
        return Ok(fd);
    }
    let end = log.iter().position(|&b| b == 0).unwrap_or(log.len());
    Err(BpfError::Verifier {
        program: name,
        source: first,
        log: String::from_utf8_lossy(&log[..end]).trim_end().to_string(),
    })
}

fn prog_load(
    name: &str,
    ty: bpf_prog_type,
    insns: &[bpf_insn],
    license: &CStr,
    log: &mut [u8],
) -> io::Result<OwnedFd> {
    let mut attr = zeroed_attr();
    // SAFETY: every member of the bpf_attr union is plain integers, for which all-zero bytes
    // (zeroed_attr) are valid; this only writes the BPF_PROG_LOAD member.
    let u = unsafe { &mut attr.__bindgen_anon_3 };
    u.prog_type = ty as u32;
    u.insns = insns.as_ptr() as u64;
    u.insn_cnt =
        u32::try_from(insns.len()).map_err(|_| io::Error::from_raw_os_error(libc::E2BIG))?;
    u.license = license.as_ptr() as u64;
    // The kernel names the program (bpftool, /proc/PID/fdinfo) with at most 15 bytes.
    for (dst, &src) in u.prog_name.iter_mut().zip(name.as_bytes().iter().take(15)) {
        *dst = src as libc::c_char;
    }
    if !log.is_empty() {
        u.log_level = 1;
        u.log_buf = log.as_mut_ptr() as u64;
        u.log_size = u32::try_from(log.len()).unwrap_or(u32::MAX);
    }
    // The instructions, license and log buffer are borrowed for the whole call.
    bpf_fd(bpf_cmd::BPF_PROG_LOAD, &mut attr)
}

/// Attaches a loaded raw tracepoint program to `tracepoint`; dropping the returned fd detaches
/// it (without the RCU grace period a perf-event tracepoint's close waits for).
pub(crate) fn attach_raw_tracepoint(
    program: &'static str,
    prog: BorrowedFd<'_>,
    tracepoint: &'static str,
) -> Result<OwnedFd, BpfError> {
    let error = |source| BpfError::RawTracepoint {
        program,
        tracepoint,
        source,
    };
    let name =
        CString::new(tracepoint).map_err(|_| error(io::Error::from_raw_os_error(libc::EINVAL)))?;
    let mut attr = zeroed_attr();
    attr.raw_tracepoint.name = name.as_ptr() as u64;
    attr.raw_tracepoint.prog_fd = prog.as_raw_fd() as u32;
    // `name` is borrowed for the whole call.
    bpf_fd(bpf_cmd::BPF_RAW_TRACEPOINT_OPEN, &mut attr).map_err(error)
}

/// One instruction with no source register and no offset.
fn insn(code: u8, dst: u8, imm: i32) -> bpf_insn {
    bpf_insn {
        code,
        _bitfield_align_1: [],
        _bitfield_1: bpf_insn::new_bitfield_1(dst, 0),
        off: 0,
        imm,
    }
}
const EXIT: u8 = 0x95; // BPF_JMP | BPF_EXIT
const MOV64_IMM: u8 = 0xb7; // BPF_ALU64 | BPF_MOV | BPF_K

/// An empty program (`return 0`) attached to raw tracepoint `tracepoint`: what any program
/// there costs, and what attaching one costs (bench/bpf-dispatch.sh, bench/trace-startup.sh).
pub(crate) fn empty_raw_tracepoint(tracepoint: &'static str) -> Result<OwnedFd, BpfError> {
    let prog = load_program(
        "saker_empty",
        bpf_prog_type::BPF_PROG_TYPE_RAW_TRACEPOINT,
        &[insn(MOV64_IMM, 0, 0), insn(EXIT, 0, 0)],
        c"GPL",
    )?;
    attach_raw_tracepoint("saker_empty", prog.as_fd(), tracepoint)
}

fn zeroed_attr() -> bpf_attr {
    // SAFETY: bpf_attr is a C union of structs of integers and integer arrays: all-zero bytes
    // are a valid value, and the kernel requires the unused bytes to be zero.
    unsafe { std::mem::zeroed() }
}

/// bpf(2) with a command that returns a new file descriptor.
fn bpf_fd(cmd: bpf_cmd, attr: &mut bpf_attr) -> io::Result<OwnedFd> {
    // SAFETY: `attr` is a valid, initialised bpf_attr of the size passed; the pointers it
    // holds are the caller's borrows, alive until this returns.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd as libc::c_int,
            attr as *mut bpf_attr,
            std::mem::size_of::<bpf_attr>() as libc::c_uint,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    let fd = i32::try_from(ret).map_err(|_| io::Error::from_raw_os_error(libc::EBADF))?;
    // SAFETY: on success these commands return a new file descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privileged() -> bool {
        match crate::capture::preflight_without_btf() {
            Ok(()) => true,
            Err(e) => {
                eprintln!("SKIPPED: {e}");
                false
            }
        }
    }

    /// A program the verifier refuses: the error says which program, the kernel's errno and
    /// the verifier's reason.
    #[test]
    fn a_refused_program_reports_the_verifier_log() {
        if !privileged() {
            return;
        }
        // `exit` with r0 never written.
        let err = load_program(
            "saker_bad",
            bpf_prog_type::BPF_PROG_TYPE_RAW_TRACEPOINT,
            &[insn(EXIT, 0, 0)],
            c"GPL",
        )
        .expect_err("the verifier refuses it");
        let BpfError::Verifier { program, log, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*program, "saker_bad");
        assert!(log.contains("R0 !read_ok"), "{log}");
        let message = err.to_string();
        assert!(
            message.contains("saker_bad") && message.contains("R0 !read_ok"),
            "{message}"
        );
        // A valid one loads and attaches; a tracepoint that does not exist is named.
        empty_raw_tracepoint("sched_process_fork").expect("attaches");
        let err = empty_raw_tracepoint("saker_no_such_tracepoint").expect_err("no such tracepoint");
        assert!(
            err.to_string().contains("raw_tp/saker_no_such_tracepoint"),
            "{err}"
        );
    }
}
