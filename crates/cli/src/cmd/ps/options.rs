//! The option words of `ps` as users type them: BSD (`aux`, `axf`), System V (`-ef`, `-p 1`,
//! `-o pid,cmd`), GNU (`--sort=-%mem`, `--forest`), read the way procps-ng reads them: a word
//! without a dash is BSD, one dash is System V (`-aux` is BSD `aux`, as procps takes it), two
//! dashes GNU; an option's argument is the rest of its word or the next word.

use saker_event::escape::escape;

/// What was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PsOptions {
    pub selection: Selection,
    pub format: FormatChoice,
    /// `--sort` keys, first the primary one.
    pub sort: Vec<SortKey>,
    pub forest: Option<Forest>,
    pub headers: bool,
    /// BSD `c`: the command column shows the process name, not the arguments.
    pub command_name_only: bool,
    /// Saker's own options, also accepted among the ps words.
    pub json: bool,
    pub containers_only: bool,
    pub host_only: bool,
}

/// Which processes: everything by default (Saker is for looking at the whole host), procps's
/// rules as soon as a selection option is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `-e`, `-A`: every process.
    pub every: bool,
    /// BSD `a` (any user's) and `x` (also without a terminal).
    pub bsd_a: bool,
    pub bsd_x: bool,
    /// `-a`: with a terminal, session leaders excepted; `-d`: all but session leaders.
    pub sysv_a: bool,
    pub sysv_d: bool,
    /// BSD `r`: only running processes.
    pub running: bool,
    pub pids: Vec<u32>,
    pub ppids: Vec<u32>,
    /// Effective (`-u`, `U`, `--user`) and real (`-U`, `--User`) users, by name or id.
    pub effective_users: Vec<String>,
    pub real_users: Vec<String>,
    /// `-C`: by process name.
    pub commands: Vec<String>,
    /// `-N`, `--deselect`: everything the rest does not select.
    pub negate: bool,
}

impl Selection {
    fn any_list(&self) -> bool {
        !(self.pids.is_empty()
            && self.ppids.is_empty()
            && self.effective_users.is_empty()
            && self.real_users.is_empty()
            && self.commands.is_empty())
    }

    /// True when some option narrowed or widened procps's default selection.
    pub fn given(&self) -> bool {
        self.every || self.bsd_a || self.bsd_x || self.sysv_a || self.sysv_d || self.any_list()
    }
}

/// Which columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FormatChoice {
    /// No ps option about processes or columns: Saker's table (`ps aux` + PPID, CONTAINER).
    #[default]
    Saker,
    /// procps's BSD default once BSD options are used (`ps ax`).
    BsdDefault,
    /// A BSD format letter: `u`, `j`, `l`.
    Bsd(char),
    /// System V formats, assembled as procps does from `-f`, `-F`, `-l` and `-j`.
    Sysv(SysvFormat),
    /// `-o`, `o`, `--format`: these key lists, each parsed on its own (a header given with
    /// `=` runs to the end of its own list only).
    Custom(Vec<String>),
}

/// The System V format letters given (none: `ps -e`'s PID TTY TIME CMD).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SysvFormat {
    /// `-f` (also implied by `-F`).
    pub full: bool,
    /// `-F`: SZ, RSS and PSR added.
    pub extra: bool,
    /// `-l`.
    pub long: bool,
    /// `-j`: PGID and SID added.
    pub jobs: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forest {
    /// BSD `f`, `--forest`: ` \_ ` art, init's children not indented.
    Art,
    /// `-H`: two spaces per level.
    Indent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub key: String,
    pub descending: bool,
}

/// System V letters Saker knows (the rest are refused by name).
const SYSV_LETTERS: &str = "eAadfFljHwNcpuUCo";
const BSD_LETTERS: &str = "axujlfwhrcgpUo";

pub fn parse(words: &[String]) -> Result<PsOptions, String> {
    let mut p = Parser {
        opts: PsOptions {
            headers: true,
            ..PsOptions::default()
        },
        flags: Flags::default(),
        words: words.iter(),
    };
    while let Some(word) = p.words.next() {
        p.word(word)?;
    }
    let mut opts = p.opts;
    opts.format = p.flags.format(opts.format, opts.selection.given());
    Ok(opts)
}

/// Format letters seen, resolved once all words are read.
#[derive(Default)]
struct Flags {
    bsd_used: bool,
    sysv_used: bool,
    /// The last BSD format letter (`u`, `j`, `l`).
    bsd_format: Option<char>,
    sysv: SysvFormat,
    custom: Vec<String>,
}

impl Flags {
    fn format(self, current: FormatChoice, selected: bool) -> FormatChoice {
        if !self.custom.is_empty() {
            return FormatChoice::Custom(self.custom);
        }
        if let Some(letter) = self.bsd_format {
            return FormatChoice::Bsd(letter);
        }
        let sysv = self.sysv;
        if sysv.full || sysv.long || sysv.jobs || (selected && self.sysv_used && !self.bsd_used) {
            return FormatChoice::Sysv(sysv);
        }
        if selected && self.bsd_used {
            return FormatChoice::BsdDefault;
        }
        current
    }
}

struct Parser<'a> {
    opts: PsOptions,
    flags: Flags,
    words: std::slice::Iter<'a, String>,
}

impl Parser<'_> {
    fn word(&mut self, word: &str) -> Result<(), String> {
        match word {
            "--json" => self.opts.json = true,
            "-c" | "--containers-only" => self.opts.containers_only = true,
            "--host-only" => self.opts.host_only = true,
            w if w.starts_with("--") => self.long(&w[2..])?,
            // `-aux`: x is no System V option, so procps reads the word as BSD `aux`.
            w if w.len() > 1 && w.starts_with('-') && w.contains('x') => self.bsd(&w[1..])?,
            w if w.len() > 1 && w.starts_with('-') => self.sysv(&w[1..])?,
            w if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit() || b == b',') => {
                self.flags.bsd_used = true;
                self.opts.selection.pids.extend(pid_list(w)?);
            }
            w => self.bsd(w)?,
        }
        Ok(())
    }

    /// The argument of an option: the rest of its word, else the next word.
    fn argument(&mut self, rest: &str, option: &str) -> Result<String, String> {
        if !rest.is_empty() {
            return Ok(rest.to_string());
        }
        self.words
            .next()
            .cloned()
            .ok_or_else(|| format!("option {option} needs an argument"))
    }

    fn long(&mut self, body: &str) -> Result<(), String> {
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let value = |p: &mut Self| match &inline {
            Some(v) => Ok(v.clone()),
            None => p.argument("", &format!("--{name}")),
        };
        match name {
            "pid" => {
                let v = value(self)?;
                self.opts.selection.pids.extend(pid_list(&v)?);
            }
            "ppid" => {
                let v = value(self)?;
                self.opts.selection.ppids.extend(pid_list(&v)?);
            }
            "user" => {
                let v = value(self)?;
                self.opts.selection.effective_users.extend(list(&v));
            }
            "User" => {
                let v = value(self)?;
                self.opts.selection.real_users.extend(list(&v));
            }
            "format" => {
                let v = value(self)?;
                self.flags.custom.push(v);
            }
            "sort" => {
                let v = value(self)?;
                self.opts.sort.extend(sort_keys(&v)?);
            }
            "forest" => self.opts.forest = Some(Forest::Art),
            "deselect" => self.opts.selection.negate = true,
            "no-headers" | "no-heading" => self.opts.headers = false,
            "headers" => self.opts.headers = true,
            // Output width: Saker never cuts lines, so these change nothing.
            "cols" | "columns" | "width" | "lines" | "rows" => {
                value(self)?;
            }
            _ => return Err(format!("unsupported option --{}", escape(name))),
        }
        Ok(())
    }

    fn sysv(&mut self, body: &str) -> Result<(), String> {
        self.flags.sysv_used = true;
        for (at, letter) in body.char_indices() {
            let rest = &body[at + letter.len_utf8()..];
            let option = format!("-{letter}");
            let sel = &mut self.opts.selection;
            match letter {
                'e' | 'A' => sel.every = true,
                'a' => sel.sysv_a = true,
                'd' => sel.sysv_d = true,
                'N' => sel.negate = true,
                'f' => self.flags.sysv.full = true,
                'F' => {
                    self.flags.sysv.full = true;
                    self.flags.sysv.extra = true;
                }
                'l' => self.flags.sysv.long = true,
                'j' => self.flags.sysv.jobs = true,
                'H' => self.opts.forest = Some(Forest::Indent),
                'w' => {}
                'c' => self.opts.containers_only = true,
                'p' | 'u' | 'U' | 'C' | 'o' => {
                    let value = self.argument(rest, &option)?;
                    let sel = &mut self.opts.selection;
                    match letter {
                        'p' => sel.pids.extend(pid_list(&value)?),
                        'u' => sel.effective_users.extend(list(&value)),
                        'U' => sel.real_users.extend(list(&value)),
                        'C' => sel.commands.extend(list(&value)),
                        _ => self.flags.custom.push(value),
                    }
                    return Ok(());
                }
                other => return Err(unsupported(other, '-', SYSV_LETTERS)),
            }
        }
        Ok(())
    }

    fn bsd(&mut self, body: &str) -> Result<(), String> {
        self.flags.bsd_used = true;
        for (at, letter) in body.char_indices() {
            let rest = &body[at + letter.len_utf8()..];
            let sel = &mut self.opts.selection;
            match letter {
                'a' => sel.bsd_a = true,
                'x' => sel.bsd_x = true,
                'r' => sel.running = true,
                'u' | 'j' | 'l' => self.flags.bsd_format = Some(letter),
                'f' => self.opts.forest = Some(Forest::Art),
                'h' => self.opts.headers = false,
                'c' => self.opts.command_name_only = true,
                // `w` widens the output (Saker never cuts it); `g` is a no-op on Linux.
                'w' | 'g' => {}
                'p' | 'U' | 'o' => {
                    let value = self.argument(rest, &letter.to_string())?;
                    let sel = &mut self.opts.selection;
                    match letter {
                        'p' => sel.pids.extend(pid_list(&value)?),
                        'U' => sel.effective_users.extend(list(&value)),
                        _ => self.flags.custom.push(value),
                    }
                    return Ok(());
                }
                other => return Err(unsupported(other, ' ', BSD_LETTERS)),
            }
        }
        Ok(())
    }
}

fn unsupported(letter: char, dash: char, known: &str) -> String {
    let shown = escape(&letter.to_string()).into_owned();
    let style = if dash == '-' { "System V" } else { "BSD" };
    let dash = if dash == '-' { "-" } else { "" };
    format!(
        "{style} option {dash}{shown} is not supported (supported: {})",
        known
            .chars()
            .map(|c| format!("{dash}{c}"))
            .collect::<Vec<_>>()
            .join(" ")
    )
}

fn list(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn pid_list(value: &str) -> Result<Vec<u32>, String> {
    list(value)
        .map(|p| {
            p.parse::<u32>()
                .map_err(|_| format!("process ID list syntax error: {:?}", escape(&p)))
        })
        .collect()
}

fn sort_keys(value: &str) -> Result<Vec<SortKey>, String> {
    list(value)
        .map(|k| {
            let (descending, key) = match k.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, k.strip_prefix('+').unwrap_or(&k)),
            };
            if super::columns::column(&key.to_ascii_lowercase(), None, 5).is_none() {
                return Err(format!("unknown sort key {:?}", escape(key)));
            }
            Ok(SortKey {
                key: key.to_ascii_lowercase(),
                descending,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(words: &str) -> PsOptions {
        let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
        parse(&words).unwrap_or_else(|e| panic!("{words:?}: {e}"))
    }

    fn err(words: &str) -> String {
        let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
        parse(&words).unwrap_err()
    }

    #[test]
    fn habits() {
        let aux = p("aux");
        assert!(aux.selection.bsd_a && aux.selection.bsd_x);
        assert_eq!(aux.format, FormatChoice::Bsd('u'));
        assert_eq!(p("-aux"), aux);
        assert_eq!(p("axu"), aux);
        let ef = p("-ef");
        assert!(ef.selection.every);
        let full = SysvFormat {
            full: true,
            ..SysvFormat::default()
        };
        assert_eq!(ef.format, FormatChoice::Sysv(full));
        assert_eq!(p("-e -f"), ef);
        let sysv = |f: bool, extra: bool, long: bool, jobs: bool| {
            FormatChoice::Sysv(SysvFormat {
                full: f,
                extra,
                long,
                jobs,
            })
        };
        assert_eq!(p("-eF").format, sysv(true, true, false, false));
        assert_eq!(p("-el").format, sysv(false, false, true, false));
        assert_eq!(p("-efl").format, sysv(true, false, true, false));
        assert_eq!(p("-ejH").format, sysv(false, false, false, true));
        assert_eq!(p("ax").format, FormatChoice::BsdDefault);
        assert_eq!(p("axjf").format, FormatChoice::Bsd('j'));
        assert_eq!(p("-e").format, sysv(false, false, false, false));
        assert_eq!(p("").format, FormatChoice::Saker);
        assert_eq!(p("--sort=-%mem").format, FormatChoice::Saker);
        assert_eq!(p("auxf").forest, Some(Forest::Art));
        assert_eq!(p("-eH").forest, Some(Forest::Indent));
        assert_eq!(p("-ef --forest").forest, Some(Forest::Art));
    }

    #[test]
    fn arguments_in_the_word_or_the_next() {
        assert_eq!(p("-p 1,2").selection.pids, [1, 2]);
        assert_eq!(p("-p1").selection.pids, [1]);
        assert_eq!(p("-fp 42").selection.pids, [42]);
        assert_eq!(p("p 7").selection.pids, [7]);
        assert_eq!(p("42").selection.pids, [42]);
        assert_eq!(p("--pid 3 --ppid=1").selection.ppids, [1]);
        assert_eq!(
            p("-u root,daemon").selection.effective_users,
            ["root", "daemon"]
        );
        assert_eq!(p("-C nginx").selection.commands, ["nginx"]);
        assert_eq!(
            p("-eo pid,ppid,cmd").format,
            FormatChoice::Custom(vec!["pid,ppid,cmd".into()])
        );
        assert_eq!(
            p("-o pid= -o comm").format,
            FormatChoice::Custom(vec!["pid=".into(), "comm".into()])
        );
        assert_eq!(
            p("--sort=-%cpu,pid").sort,
            [
                SortKey {
                    key: "%cpu".into(),
                    descending: true
                },
                SortKey {
                    key: "pid".into(),
                    descending: false
                }
            ]
        );
    }

    #[test]
    fn saker_options_mix_in() {
        let o = p("aux --json -c");
        assert!(o.json && o.containers_only);
        assert!(p("--host-only").host_only);
    }

    #[test]
    fn refusals_name_the_option() {
        assert!(err("-p").contains("-p needs an argument"));
        assert!(err("-p abc").contains("\"abc\""));
        assert!(err("-eLf").starts_with("System V option -L is not supported"));
        assert!(err("auxe").starts_with("BSD option e is not supported"));
        assert!(err("--frobnicate").contains("--frobnicate"));
        assert!(err("--sort=bogus").contains("bogus"));
    }
}
