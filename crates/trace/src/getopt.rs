//! glibc's `getopt_long` as strace calls it (`"+..."`: options stop at the first argument that
//! is not one), so that every command line strace takes splits the same way here: clusters
//! (`-fvq`), values attached or separate (`-a36`, `-a 36`, `-eprctl`), long options with `=`
//! or a separate value, unambiguous abbreviations (`--summ`), `--` and `-` as the end.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
    /// Long options only: a value is taken only after `=`.
    Optional,
}

/// One long option: its name, whether it takes a value, and what it stands for.
#[derive(Debug, Clone, Copy)]
pub struct LongOption<T> {
    pub name: &'static str,
    pub has_arg: HasArg,
    pub id: T,
}

/// An option found on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<T> {
    Short(u8, Option<OsString>),
    /// The long option's id, its full name, and its value.
    Long(T, &'static str, Option<OsString>),
}

/// The parsed command line: options in order, then the operands (the command to run).
#[derive(Debug)]
pub struct Parsed<T> {
    pub options: Vec<Found<T>>,
    pub operands: Vec<OsString>,
}

/// getopt's complaint, in glibc's words (without the program name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GetoptError {
    #[error("invalid option -- '{}'", char::from(*.0))]
    InvalidShort(u8),
    #[error("option requires an argument -- '{}'", char::from(*.0))]
    ShortNeedsValue(u8),
    #[error("unrecognized option '--{0}'")]
    Unrecognized(String),
    #[error(
        "option '--{name}' is ambiguous; possibilities:{}",
        possibilities(candidates)
    )]
    Ambiguous {
        name: String,
        candidates: Vec<&'static str>,
    },
    #[error("option '--{0}' doesn't allow an argument")]
    NoValueAllowed(&'static str),
    #[error("option '--{0}' requires an argument")]
    LongNeedsValue(&'static str),
}

fn possibilities(candidates: &[&str]) -> String {
    candidates.iter().map(|c| format!(" '--{c}'")).collect()
}

/// Splits `args` (without the program name). `short` is getopt's option string without the
/// leading `+`: a letter followed by `:` takes a value.
pub fn getopt<T: Copy + PartialEq>(
    args: &[OsString],
    short: &str,
    long: &[LongOption<T>],
) -> Result<Parsed<T>, GetoptError> {
    let mut options = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = args[index].as_bytes();
        if arg == b"--" {
            index += 1;
            break;
        }
        if let Some(rest) = arg.strip_prefix(b"--") {
            index += 1;
            let (found, used_next) = long_option(rest, args.get(index), long)?;
            index += usize::from(used_next);
            options.push(found);
            continue;
        }
        if arg.len() < 2 || arg[0] != b'-' {
            break;
        }
        index += 1;
        let mut at = 1;
        while at < arg.len() {
            let letter = arg[at];
            at += 1;
            match short_spec(short, letter) {
                None => return Err(GetoptError::InvalidShort(letter)),
                Some(false) => options.push(Found::Short(letter, None)),
                Some(true) => {
                    let value = if at < arg.len() {
                        OsStr::from_bytes(&arg[at..]).to_os_string()
                    } else if index < args.len() {
                        index += 1;
                        args[index - 1].clone()
                    } else {
                        return Err(GetoptError::ShortNeedsValue(letter));
                    };
                    options.push(Found::Short(letter, Some(value)));
                    break;
                }
            }
        }
    }
    Ok(Parsed {
        options,
        operands: args[index..].to_vec(),
    })
}

/// `Some(takes_value)` when `letter` is an option.
fn short_spec(spec: &str, letter: u8) -> Option<bool> {
    if letter == b':' {
        return None;
    }
    let bytes = spec.as_bytes();
    let at = bytes.iter().position(|b| *b == letter)?;
    Some(bytes.get(at + 1) == Some(&b':'))
}

/// One `--name[=value]`; returns whether the next argument was taken as the value.
fn long_option<T: Copy + PartialEq>(
    text: &[u8],
    next: Option<&OsString>,
    long: &[LongOption<T>],
) -> Result<(Found<T>, bool), GetoptError> {
    let (name, value) = match text.iter().position(|b| *b == b'=') {
        Some(eq) => (&text[..eq], Some(&text[eq + 1..])),
        None => (text, None),
    };
    let option = match long.iter().find(|o| o.name.as_bytes() == name) {
        Some(exact) => exact,
        None => {
            let candidates: Vec<&LongOption<T>> = long
                .iter()
                .filter(|o| o.name.as_bytes().starts_with(name))
                .collect();
            let Some(&first) = candidates.first() else {
                return Err(GetoptError::Unrecognized(
                    String::from_utf8_lossy(text).into_owned(),
                ));
            };
            // glibc accepts an abbreviation of several names that mean the same thing.
            if candidates
                .iter()
                .any(|o| o.id != first.id || o.has_arg != first.has_arg)
            {
                return Err(GetoptError::Ambiguous {
                    name: String::from_utf8_lossy(name).into_owned(),
                    candidates: candidates.iter().map(|o| o.name).collect(),
                });
            }
            first
        }
    };
    let value = value.map(|v| OsStr::from_bytes(v).to_os_string());
    match (option.has_arg, value) {
        (HasArg::No, Some(_)) => Err(GetoptError::NoValueAllowed(option.name)),
        (HasArg::No, None) | (HasArg::Optional, None) => {
            Ok((Found::Long(option.id, option.name, None), false))
        }
        (_, Some(value)) => Ok((Found::Long(option.id, option.name, Some(value)), false)),
        (HasArg::Required, None) => match next {
            Some(next) => Ok((
                Found::Long(option.id, option.name, Some(next.clone())),
                true,
            )),
            None => Err(GetoptError::LongNeedsValue(option.name)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &[LongOption<u8>] = &[
        LongOption {
            name: "columns",
            has_arg: HasArg::Required,
            id: b'a',
        },
        LongOption {
            name: "summary",
            has_arg: HasArg::No,
            id: b'C',
        },
        LongOption {
            name: "summary-only",
            has_arg: HasArg::No,
            id: b'c',
        },
        LongOption {
            name: "quiet",
            has_arg: HasArg::Optional,
            id: b'q',
        },
        LongOption {
            name: "silent",
            has_arg: HasArg::Optional,
            id: b'q',
        },
        LongOption {
            name: "silence",
            has_arg: HasArg::Optional,
            id: b'q',
        },
    ];

    fn split(args: &[&str]) -> Result<Parsed<u8>, GetoptError> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        getopt(&args, "a:cCe:fqs:", LONG)
    }

    fn short(letter: u8, value: Option<&str>) -> Found<u8> {
        Found::Short(letter, value.map(OsString::from))
    }

    #[test]
    fn clusters_and_attached_values() {
        let parsed = split(&["-fqa36", "-e", "trace=open", "-eprctl", "ls", "-l"]).unwrap();
        assert_eq!(
            parsed.options,
            vec![
                short(b'f', None),
                short(b'q', None),
                short(b'a', Some("36")),
                short(b'e', Some("trace=open")),
                short(b'e', Some("prctl")),
            ]
        );
        assert_eq!(parsed.operands, vec![OsString::from("ls"), "-l".into()]);
    }

    #[test]
    fn values_may_start_with_a_dash() {
        let parsed = split(&["-s", "-1", "-e", "-f", "x"]).unwrap();
        assert_eq!(
            parsed.options,
            vec![short(b's', Some("-1")), short(b'e', Some("-f"))]
        );
    }

    #[test]
    fn options_stop_at_the_first_operand_and_after_double_dash() {
        let parsed = split(&["ls", "-f"]).unwrap();
        assert!(parsed.options.is_empty());
        assert_eq!(parsed.operands.len(), 2);
        let parsed = split(&["-f", "--", "-c"]).unwrap();
        assert_eq!(parsed.options, vec![short(b'f', None)]);
        assert_eq!(parsed.operands, vec![OsString::from("-c")]);
        let parsed = split(&["-", "x"]).unwrap();
        assert_eq!(parsed.operands, vec![OsString::from("-"), "x".into()]);
    }

    #[test]
    fn long_options() {
        let parsed = split(&["--columns=7", "--columns", "8", "--quiet", "--quiet=exit"]).unwrap();
        assert_eq!(
            parsed.options,
            vec![
                Found::Long(b'a', "columns", Some("7".into())),
                Found::Long(b'a', "columns", Some("8".into())),
                Found::Long(b'q', "quiet", None),
                Found::Long(b'q', "quiet", Some("exit".into())),
            ]
        );
        // An exact name wins over a longer one it abbreviates.
        let parsed = split(&["--summary", "--summary-o", "--col=1", "--sil"]).unwrap();
        assert_eq!(
            parsed.options,
            vec![
                Found::Long(b'C', "summary", None),
                Found::Long(b'c', "summary-only", None),
                Found::Long(b'a', "columns", Some("1".into())),
                Found::Long(b'q', "silent", None),
            ]
        );
    }

    #[test]
    fn glibc_messages() {
        let message = |args: &[&str]| split(args).unwrap_err().to_string();
        assert_eq!(message(&["-k"]), "invalid option -- 'k'");
        assert_eq!(message(&["-a"]), "option requires an argument -- 'a'");
        assert_eq!(message(&["--foo=1"]), "unrecognized option '--foo=1'");
        assert_eq!(
            message(&["--summ"]),
            "option '--summ' is ambiguous; possibilities: '--summary' '--summary-only'"
        );
        assert_eq!(
            message(&["--summary=1"]),
            "option '--summary' doesn't allow an argument"
        );
        assert_eq!(
            message(&["--columns"]),
            "option '--columns' requires an argument"
        );
    }
}
