use saker_rules::SourceFile;

use super::*;

/// The coverage of one rule written as `condition`, after Saker's default macros and lists.
fn coverage(condition: &str) -> Coverage {
    plan_of(condition, false).coverage["R"].clone()
}

fn plan_of(condition: &str, tree: bool) -> KernelPlan {
    let text = format!(
        "{}\n- rule: R\n  desc: d\n  condition: {condition}\n  output: o\n  priority: ERROR\n",
        saker_engine::default_rules()
    );
    let (ruleset, diagnostics) = saker_rules::load(&[SourceFile::new("r.yaml", text)]);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let rule = ruleset.rule("R").unwrap();
    compile(&[(rule, tree)], &KernelSafety::default())
}

fn in_kernel(condition: &str) -> String {
    match coverage(condition) {
        Coverage::Kernel { description, .. } => description,
        Coverage::UserSpace(why) => panic!("{condition}: user space: {why}"),
    }
}

fn user_space(condition: &str) -> String {
    match coverage(condition) {
        Coverage::UserSpace(why) => why,
        Coverage::Kernel { description, .. } => panic!("{condition}: in the kernel: {description}"),
    }
}

#[test]
fn execs_by_name_or_path_in_containers_are_decided_in_the_kernel() {
    for (condition, expect) in [
        (
            "spawned_process and container and proc.name in (package_mgmt_binaries)",
            "at execve/execveat: in a container, proc.name in (apk, apt, apt-get, aptitude, dnf, dpkg, ... 14 names)",
        ),
        (
            "evt.type = execve and proc.exepath startswith /tmp/ and container.id != host",
            "at execve: in a container, proc.exepath in (/tmp/*)",
        ),
        (
            "spawned_process and proc.name = nc and not proc.exepath in (/usr/bin/nc)",
            "at execve/execveat: proc.name in (nc), proc.exepath not in (/usr/bin/nc)",
        ),
        // Falco's empty lists: `not x in ()` is always true.
        (
            "spawned_process and container and proc.name in (package_mgmt_binaries) and not container.image.repository in (known_package_manager_images)",
            "at execve/execveat: in a container, proc.name in (apk, apt, apt-get, aptitude, dnf, dpkg, ... 14 names)",
        ),
        (
            "spawned_process and (proc.name = a or proc.name = b) and evt.dir = <",
            "at execve/execveat: proc.name in (a); at execve/execveat: proc.name in (b)",
        ),
    ] {
        assert_eq!(in_kernel(condition), expect, "{condition}");
    }
}

#[test]
fn opens_under_a_prefix_are_decided_at_the_exit_of_the_call() {
    for (condition, expect) in [
        (
            "open_read and container and fd.name startswith /etc/ssh/",
            "at open/openat/openat2/creat: in a container, fd.name in (/etc/ssh/*), opened for reading, a regular file",
        ),
        (
            "evt.type = openat and fd.name pmatch (/root/.ssh) and fd.num >= 0",
            "at openat: fd.name in (/root/.ssh/*, /root/.ssh)",
        ),
        (
            "evt.type in (open, openat) and fd.name = /etc/shadow and evt.is_open_write = true",
            "at open/openat: fd.name in (/etc/shadow), opened for writing",
        ),
    ] {
        assert_eq!(in_kernel(condition), expect, "{condition}");
    }
}

#[test]
fn what_the_kernel_cannot_see_stays_in_user_space() {
    for (condition, why) in [
        (
            "spawned_process and container and proc.name in (shell_binaries) and proc.tty != 0",
            "`proc.tty != 0` is not a test the kernel makes at an exec",
        ),
        (
            "spawned_process and container.image.repository = nginx",
            "`container.image.repository = nginx` is not a test the kernel makes at an exec",
        ),
        (
            "open_read and fd.directory = /etc",
            "`fd.directory = /etc` is not a test the kernel makes at an open",
        ),
        (
            "evt.type = connect and fd.sport = 22",
            "it never matches an exec or an open",
        ),
        (
            "open_read and fd.name = etc/shadow",
            "`fd.name = etc/shadow` is not a test the kernel makes at an open",
        ),
        (
            "spawned_process and container.id = host",
            "`container.id = host` is not a test the kernel makes at an exec",
        ),
        (
            "spawned_process and proc.name contains apt",
            "`proc.name contains apt` is not a test the kernel makes at an exec",
        ),
    ] {
        assert_eq!(user_space(condition), why, "{condition}");
    }
}

#[test]
fn a_kind_the_kernel_cannot_decide_is_noted_beside_the_one_it_can() {
    // No evt.type: the exec part is decided in the kernel, the opens by user space.
    assert_eq!(
        in_kernel("proc.exepath = /usr/bin/curl and container"),
        "at execve/execveat: in a container, proc.exepath in (/usr/bin/curl) \
         (user space otherwise: `proc.exepath = /usr/bin/curl` is not a test the kernel makes at an open)"
    );
}

#[test]
fn the_table_holds_the_names_paths_and_masks_of_each_slot() {
    let plan = plan_of(
        "(spawned_process and container and proc.name in (apt, apt-get)) or \
         (open_read and fd.name startswith /etc/ and not fd.name = /etc/hosts)",
        true,
    );
    let s = &plan.table.settings;
    assert_eq!(plan.slots.len(), 2);
    assert_eq!(s.type_slots[raw::KILL_EXECVE], 0b01);
    assert_eq!(s.type_slots[raw::KILL_OPENAT], 0b10);
    assert_eq!(s.container_slots, 0b01);
    assert_eq!(s.comm_slots, 0b01);
    assert_eq!((s.path_slots, s.path_allow_slots), (0b10, 0b10));
    assert_eq!(
        (s.read_slots, s.file_slots, s.success_slots),
        (0b10, 0b10, 0b10)
    );
    assert_eq!(s.stop_slots, 0b11, "tree kills stop first");
    let apt = KillTable::comm_key("apt-get").unwrap();
    assert_eq!(plan.table.comms[&apt].allow, 0b01);
    assert_eq!(plan.table.paths[&b"/etc/".to_vec()].allow, 0b10);
    assert_eq!(plan.table.paths[&b"/etc/hosts\0".to_vec()].deny, 0b10);
}

#[test]
fn safety_settings_reach_the_table() {
    let rule_text = format!(
        "{}\n- rule: R\n  desc: d\n  condition: spawned_process and proc.name = x\n  output: o\n  priority: ERROR\n",
        saker_engine::default_rules()
    );
    let (ruleset, _) = saker_rules::load(&[SourceFile::new("r.yaml", rule_text)]);
    let rule = ruleset.rule("R").unwrap();
    let programs = vec!["sshd".to_string(), "a-very-long-program-name".to_string()];
    let plan = compile(
        &[(rule, false)],
        &KernelSafety {
            allow_host: true,
            dry_run: true,
            protected_programs: &programs,
            protected_ids: vec!["0123456789abcdef".to_string()],
            disabled: None,
        },
    );
    assert_eq!(plan.table.settings.allow_host, 1);
    assert_eq!(plan.table.settings.dry_run, 1);
    let sshd = KillTable::comm_key("sshd").unwrap();
    assert_eq!(plan.table.comms[&sshd].flags, KILL_COMM_PROTECTED);
    let cut = KillTable::comm_key("a-very-long-pro").unwrap();
    assert_eq!(plan.table.comms[&cut].flags, KILL_COMM_PROTECTED);
    assert!(plan.table.protected_ids.contains(b"0123456789ab"));

    let disabled = compile(
        &[(rule, false)],
        &KernelSafety {
            disabled: Some("containers are protected by name".into()),
            ..KernelSafety::default()
        },
    );
    assert_eq!(
        disabled.coverage["R"],
        Coverage::UserSpace("containers are protected by name".into())
    );
    assert!(disabled.table.is_empty());
}

#[test]
fn the_table_has_room_for_sixty_four_slots() {
    let mut text = saker_engine::default_rules().to_string();
    for i in 0..70 {
        text.push_str(&format!(
            "\n- rule: R{i}\n  desc: d\n  condition: spawned_process and proc.name = p{i}\n  output: o\n  priority: ERROR\n"
        ));
    }
    let (ruleset, _) = saker_rules::load(&[SourceFile::new("r.yaml", text)]);
    let rules: Vec<(&Rule, bool)> = (0..70)
        .map(|i| (ruleset.rule(&format!("R{i}")).unwrap(), false))
        .collect();
    let plan = compile(&rules, &KernelSafety::default());
    assert_eq!(plan.slots.len(), 64);
    assert!(matches!(plan.coverage["R63"], Coverage::Kernel { .. }));
    assert!(
        matches!(&plan.coverage["R64"], Coverage::UserSpace(why) if why.contains("table is full")),
        "{:?}",
        plan.coverage["R64"]
    );
}

#[test]
fn execs_that_user_space_decides_wake_it_at_once() {
    let plan = plan_of(
        "spawned_process and container and proc.name in (shell_binaries) and proc.tty != 0",
        false,
    );
    assert!(matches!(plan.coverage["R"], Coverage::UserSpace(_)));
    assert_eq!(plan.table.settings.wake, 1);
    let bash = KillTable::comm_key("bash").unwrap();
    assert_eq!(plan.table.comms[&bash].flags, raw::KILL_COMM_WAKE);
    assert!(plan.table.is_empty(), "no slot: only the wake hint");
    // Execs of any name: nothing to wake for.
    let plan = plan_of("spawned_process and proc.tty != 0", false);
    assert_eq!(plan.table.settings.wake, 0);
    assert!(plan.table.comms.is_empty());
    // Decided in the kernel: no wake needed.
    let plan = plan_of("spawned_process and proc.name = nc", false);
    assert_eq!(plan.table.settings.wake, 0);
}
