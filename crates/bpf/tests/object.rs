//! The committed objects have the programs and maps the loaders expect (no root needed).

use std::collections::BTreeMap;

use aya_obj::{Object, ProgramSection};

fn kind(section: &ProgramSection) -> &'static str {
    match section {
        ProgramSection::TracePoint => "tracepoint",
        ProgramSection::RawTracePoint => "raw_tp",
        ProgramSection::BtfTracePoint => "tp_btf",
        _ => "other",
    }
}

fn programs(object: &Object) -> BTreeMap<&str, &'static str> {
    object
        .programs
        .iter()
        .map(|(name, p)| (name.as_str(), kind(&p.section)))
        .collect()
}

/// Map names without the `.rodata`/`.bss` sections, sorted.
fn maps(object: &Object) -> Vec<&str> {
    let mut maps: Vec<&str> = object
        .maps
        .keys()
        .map(String::as_str)
        .filter(|m| !m.starts_with('.'))
        .collect();
    maps.sort();
    maps
}

#[test]
fn committed_object_has_the_expected_programs_and_maps() {
    let object = Object::parse(saker_bpf::capture_object()).expect("the committed object parses");
    let programs = programs(&object);
    let expected = BTreeMap::from([
        ("bench_empty_enter", "tp_btf"),
        ("bench_empty_exit", "tp_btf"),
        ("dispatch_enter_btf", "tp_btf"),
        ("dispatch_enter_raw", "raw_tp"),
        ("dispatch_enter_tp", "tracepoint"),
        ("dispatch_exit_btf", "tp_btf"),
        ("dispatch_exit_raw", "raw_tp"),
        ("dispatch_exit_tp", "tracepoint"),
        ("dispatch_switch", "tp_btf"),
        ("tracer_enter", "tp_btf"),
        ("on_exec", "tp_btf"),
        ("on_exit", "tp_btf"),
        ("on_fork", "tp_btf"),
        ("on_signal_deliver", "tp_btf"),
        ("on_signal_generate", "tp_btf"),
        ("syscall_exit", "tracepoint"),
    ]);
    assert_eq!(programs, expected);

    assert_eq!(
        maps(&object),
        [
            "dropped_fds",
            "drops",
            "entry_mem",
            "events",
            "exec_envp",
            "keep_paths",
            "kill_comm",
            "kill_path",
            "kill_protected_ids",
            "kill_rates",
            "kill_reports",
            "kill_scratch_map",
            "kill_settings",
            "open_filter",
            "open_path_scratch",
            "pid_filter",
            "scratch_map",
            "syscall_specs",
            "task_enter_ts"
        ]
    );
    // The loader's settings are .rodata globals.
    assert!(
        object.maps.contains_key(".rodata"),
        "maps: {:?}",
        object.maps.keys()
    );
}

#[test]
fn counter_object_holds_only_the_counting_programs_and_maps() {
    let object = Object::parse(saker_bpf::counter_object()).expect("the counter object parses");
    let expected = BTreeMap::from([
        ("count_enter", "raw_tp"),
        ("count_enter_sys", "raw_tp"),
        ("count_exit", "raw_tp"),
        ("count_exit_sys", "raw_tp"),
        ("count_exit_untimed", "raw_tp"),
        ("count_fork", "raw_tp"),
        ("count_leader_exit", "raw_tp"),
        ("count_switch", "raw_tp"),
        ("count_task_exit", "raw_tp"),
    ]);
    assert_eq!(programs(&object), expected);
    assert_eq!(
        maps(&object),
        [
            "count_enter_ns",
            "count_new_tasks",
            "count_state",
            "count_switched_out",
            "count_tgid_bits",
            "syscall_counts"
        ]
    );
}

/// The counter is loaded without the kernel's BTF (src/loader.rs): raw tracepoints only (no
/// tp_btf, whose attach needs a kernel BTF type id), no CO-RE relocation, no .rodata/.bss.
#[test]
fn counter_object_needs_no_kernel_btf() {
    let object = Object::parse(saker_bpf::counter_object()).expect("the counter object parses");
    assert!(
        !object.has_btf_relocations(),
        "count.bpf.c must not use CO-RE (vmlinux.h types, BPF_CORE_READ)"
    );
    assert!(
        programs(&object).values().all(|kind| *kind == "raw_tp"),
        "{:?}",
        programs(&object)
    );
    assert!(
        object.maps.keys().all(|m| !m.starts_with('.')),
        "no global data: {:?}",
        object.maps.keys()
    );
}

#[test]
fn committed_objects_are_stripped() {
    for obj in [saker_bpf::capture_object(), saker_bpf::counter_object()] {
        let has = |needle: &[u8]| obj.windows(needle.len()).any(|w| w == needle);
        assert!(
            !has(b".debug_info"),
            "debug info should be stripped (scripts/build-bpf.sh)"
        );
    }
    let capture = saker_bpf::capture_object();
    assert!(
        capture.windows(8).any(|w| w == b".BTF.ext"),
        "the capture's CO-RE relocations are in .BTF.ext"
    );
}
