//! Capability sets (`CapEff`, `CapPrm`, `CapBnd`, ... in status) decoded to names.

/// Names by bit number, from include/uapi/linux/capability.h (Linux 6.x: 0..=40).
pub const CAPABILITY_NAMES: [&str; 41] = [
    "cap_chown",
    "cap_dac_override",
    "cap_dac_read_search",
    "cap_fowner",
    "cap_fsetid",
    "cap_kill",
    "cap_setgid",
    "cap_setuid",
    "cap_setpcap",
    "cap_linux_immutable",
    "cap_net_bind_service",
    "cap_net_broadcast",
    "cap_net_admin",
    "cap_net_raw",
    "cap_ipc_lock",
    "cap_ipc_owner",
    "cap_sys_module",
    "cap_sys_rawio",
    "cap_sys_chroot",
    "cap_sys_ptrace",
    "cap_sys_pacct",
    "cap_sys_admin",
    "cap_sys_boot",
    "cap_sys_nice",
    "cap_sys_resource",
    "cap_sys_time",
    "cap_sys_tty_config",
    "cap_mknod",
    "cap_lease",
    "cap_audit_write",
    "cap_audit_control",
    "cap_setfcap",
    "cap_mac_override",
    "cap_mac_admin",
    "cap_syslog",
    "cap_wake_alarm",
    "cap_block_suspend",
    "cap_audit_read",
    "cap_perfmon",
    "cap_bpf",
    "cap_checkpoint_restore",
];

/// All capabilities this kernel generation knows.
pub const ALL_CAPABILITIES: u64 = (1 << CAPABILITY_NAMES.len()) - 1;

/// The names of the bits set in `set`; unknown high bits come out as `cap_N`.
pub fn capability_names(set: u64) -> Vec<String> {
    (0..64)
        .filter(|bit| set & (1u64 << bit) != 0)
        .map(|bit| match CAPABILITY_NAMES.get(bit) {
            Some(name) => (*name).to_string(),
            None => format!("cap_{bit}"),
        })
        .collect()
}

/// A short human summary: `none`, `all (full set)`, or the comma-separated names.
pub fn describe_capabilities(set: u64) -> String {
    if set == 0 {
        "none".to_string()
    } else if set & ALL_CAPABILITIES == ALL_CAPABILITIES {
        "all (full set)".to_string()
    } else {
        capability_names(set).join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman_default_set() {
        // CapEff of the busybox container captured from podman on this machine.
        assert_eq!(
            capability_names(0x8004_05fb),
            [
                "cap_chown",
                "cap_dac_override",
                "cap_fowner",
                "cap_fsetid",
                "cap_kill",
                "cap_setgid",
                "cap_setuid",
                "cap_setpcap",
                "cap_net_bind_service",
                "cap_sys_chroot",
                "cap_setfcap"
            ]
        );
    }

    #[test]
    fn summaries() {
        assert_eq!(describe_capabilities(0), "none");
        assert_eq!(describe_capabilities(0x1ff_ffff_ffff), "all (full set)");
        assert_eq!(describe_capabilities(1 << 21), "cap_sys_admin");
        assert_eq!(capability_names(1 << 45), ["cap_45"]);
    }
}
