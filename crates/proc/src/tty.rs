//! Terminal names from the `tty_nr` device number of stat, as `ps` prints them.

/// `pts/3`, `tty1`, `ttyS0`, or `?` when the process has no controlling terminal. Majors from
/// Documentation/admin-guide/devices.txt.
pub fn tty_name(tty_nr: u32) -> String {
    if tty_nr == 0 {
        return "?".to_string();
    }
    // Linux encodes dev_t as major in bits 8..20, minor in bits 0..8 and 20..32.
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    match major {
        136..=143 => format!("pts/{}", (major - 136) * 256 + minor),
        4 if minor < 64 => format!("tty{minor}"),
        4 => format!("ttyS{}", minor - 64),
        5 if minor == 0 => "tty".to_string(),
        5 if minor == 1 => "console".to_string(),
        _ => format!("{major}:{minor}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (nr, name) in [
            (0, "?"),
            (34816, "pts/0"),
            (34819, "pts/3"),
            (1025, "tty1"),
            (1088, "ttyS0"),
            (1281, "console"),
            ((137 << 8) | 2, "pts/258"),
            ((8 << 8) | 1, "8:1"),
        ] {
            assert_eq!(tty_name(nr), name, "{nr}");
        }
    }
}
