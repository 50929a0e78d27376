//! `/proc/PID/environ` and `/proc/PID/cmdline`: NUL-separated strings.

/// Splits NUL-separated text, dropping the empty piece after a trailing NUL.
pub fn split_nul(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let data = data.strip_suffix(b"\0").unwrap_or(data);
    let empty = data.is_empty();
    data.split(|&b| b == 0).filter(move |_| !empty)
}

/// The arguments of a command line. A process that rewrote its argv (e.g. `sshd: user@pts/0`)
/// may put spaces in one argument instead of NULs; that is returned as it is.
pub fn parse_cmdline(data: &[u8]) -> Vec<String> {
    split_nul(data)
        .map(|arg| String::from_utf8_lossy(arg).into_owned())
        .collect()
}

/// One `NAME=value` entry of an environment, borrowed from the file's bytes. An entry without
/// `=` (possible: a process may write anything there) has an empty value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvVar<'a> {
    pub name: &'a [u8],
    pub value: &'a [u8],
}

/// Iterates over the entries of an environ file without allocating.
pub fn parse_environ(data: &[u8]) -> impl Iterator<Item = EnvVar<'_>> {
    split_nul(data).map(|entry| match memchr::memchr(b'=', entry) {
        Some(eq) => EnvVar {
            name: &entry[..eq],
            value: &entry[eq + 1..],
        },
        None => EnvVar {
            name: entry,
            value: b"",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_environ() {
        let data = include_bytes!("../tests/fixtures/environ-python.txt");
        let vars: Vec<_> = parse_environ(data).collect();
        assert_eq!(vars.len(), 16);
        let token = vars.iter().find(|v| v.name == b"MY_API_TOKEN").unwrap();
        assert_eq!(token.value, b"ghp_abcdEFGH1234ijklMNOP5678qrstUVWX9012");
        assert!(
            vars.iter()
                .any(|v| v.name == b"LS_COLORS" && v.value.contains(&b';'))
        );
    }

    #[test]
    fn captured_cmdline() {
        let args = parse_cmdline(include_bytes!("../tests/fixtures/cmdline-podman-sleep.txt"));
        assert_eq!(args, ["sleep", "60"]);
    }

    #[test]
    fn edge_cases() {
        assert!(parse_cmdline(b"").is_empty());
        assert_eq!(parse_cmdline(b"sshd: root@pts/0"), ["sshd: root@pts/0"]);
        assert_eq!(parse_cmdline(b"a\0\0b\0"), ["a", "", "b"]);
        let vars: Vec<_> = parse_environ(b"A=1=2\0NOEQ\0=x\0").collect();
        assert_eq!(
            vars[0],
            EnvVar {
                name: b"A",
                value: b"1=2"
            }
        );
        assert_eq!(
            vars[1],
            EnvVar {
                name: b"NOEQ",
                value: b""
            }
        );
        assert_eq!(
            vars[2],
            EnvVar {
                name: b"",
                value: b"x"
            }
        );
    }
}
