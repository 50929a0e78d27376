//! `-e inject=SET:...` and `-e fault=SET:...`: syscall tampering, as strace's
//! filter_qualify.c parses it and syscall.c applies it. A rule names the calls, what to do
//! (fail with an errno, return a value, deliver a signal, wait, write into the arguments) and
//! on which of a process's calls (`when=FIRST..LAST+STEP`, counted per process).

use std::collections::HashMap;
use std::time::Duration;

use saker_syscalls::{Class, parse_trace_set};

use crate::qualify::string_to_uint;

/// `-e fault=` (only `error=` and `when=`, ENOSYS by default) or `-e inject=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectKind {
    Fault,
    Inject,
}

/// What a tampered call returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// `error=`: the call fails with this errno.
    Error(i32),
    /// `retval=`: the call succeeds with this value.
    Value(u64),
}

/// `poke_enter=@argN=HEX`: bytes written where argument N points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poke {
    /// 1-based argument number.
    pub arg: usize,
    pub data: Vec<u8>,
}

/// strace's `when=` end marker: no last call.
const INFINITE: u16 = u16::MAX;

/// One rule as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub result: Option<Injected>,
    pub signal: Option<i32>,
    /// `syscall=`: a call without side effects run instead of the real one.
    pub replacement: Option<u64>,
    pub delay_enter: Option<Duration>,
    pub delay_exit: Option<Duration>,
    pub poke_enter: Vec<Poke>,
    pub poke_exit: Vec<Poke>,
    first: u16,
    last: u16,
    step: u16,
}

/// The rules by syscall number (a later rule for the same call replaces the earlier one).
#[derive(Debug, Clone, Default)]
pub struct Injections {
    rules: HashMap<u64, Rule>,
}

/// Where one process stands in a rule's `when=` sequence.
#[derive(Debug, Clone, Copy)]
struct Countdown {
    first: u16,
    last: u16,
}

/// What to do to one call, decided at its entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tampering {
    /// The syscall number to run instead (-1: none, the call is skipped).
    pub set_nr: Option<i64>,
    /// The return value to set at the exit.
    pub result: Option<Injected>,
    pub signal: Option<i32>,
    pub delay_enter: Option<Duration>,
    pub delay_exit: Option<Duration>,
    pub poke_enter: Vec<Poke>,
    pub poke_exit: Vec<Poke>,
}

impl Tampering {
    /// strace's ` (INJECTED...)` and ` (DELAYED)` notes after the result; `poked` says
    /// whether poke data was written.
    pub fn note(&self, poked: bool) -> String {
        let mut note = match (self.result.is_some(), poked) {
            (true, true) => " (INJECTED: args, retval)",
            (false, true) => " (INJECTED: args)",
            (true, false) => " (INJECTED)",
            (false, false) => "",
        }
        .to_string();
        if self.delay_enter.is_some() || self.delay_exit.is_some() {
            note.push_str(" (DELAYED)");
        }
        note
    }
}

impl Injections {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// strace's qualify_inject_common(): `SET[:TOKEN]...`.
    pub fn add(&mut self, expr: &str, kind: InjectKind) -> Result<(), String> {
        let what = match kind {
            InjectKind::Fault => "fault argument",
            InjectKind::Inject => "inject argument",
        };
        let invalid = || format!("invalid {what} '{expr}'");
        if expr.is_empty() || expr.starts_with(':') {
            return Err(invalid());
        }
        let mut tokens = expr.split(':').filter(|t| !t.is_empty());
        let set = tokens.next().ok_or_else(invalid)?;
        let mut rule = Rule {
            result: None,
            signal: None,
            replacement: None,
            delay_enter: None,
            delay_exit: None,
            poke_enter: Vec::new(),
            poke_exit: Vec::new(),
            first: 1,
            last: INFINITE,
            step: 1,
        };
        for token in tokens {
            parse_token(&mut rule, token, kind).ok_or_else(invalid)?;
        }
        let syscalls = parse_trace_set(set).map_err(|e| e.to_string())?;
        let has_action = rule.result.is_some()
            || rule.signal.is_some()
            || rule.delay_enter.is_some()
            || rule.delay_exit.is_some()
            || !rule.poke_enter.is_empty()
            || !rule.poke_exit.is_empty();
        if !has_action {
            match kind {
                InjectKind::Fault => rule.result = Some(Injected::Error(libc::ENOSYS)),
                InjectKind::Inject => return Err(invalid()),
            }
        }
        for nr in syscalls.iter() {
            self.rules.insert(nr, rule.clone());
        }
        Ok(())
    }

    /// The tampering for a call of `nr` by a process whose countdowns are `state`, or none.
    pub fn decide(&self, state: &mut InjectState, nr: u64) -> Option<Tampering> {
        let rule = self.rules.get(&nr)?;
        let countdown = state.countdowns.entry(nr).or_insert(Countdown {
            first: rule.first,
            last: rule.last,
        });
        if countdown.first == 0 || countdown.last == 0 {
            return None;
        }
        if countdown.last != INFINITE {
            countdown.last -= 1;
        }
        countdown.first -= 1;
        if countdown.first != 0 {
            return None;
        }
        countdown.first = rule.step;
        Some(Tampering {
            set_nr: rule
                .result
                .map(|_| rule.replacement.map(|nr| nr as i64).unwrap_or(-1)),
            result: rule.result,
            signal: rule.signal,
            delay_enter: rule.delay_enter,
            delay_exit: rule.delay_exit,
            poke_enter: rule.poke_enter.clone(),
            poke_exit: rule.poke_exit.clone(),
        })
    }
}

/// One process's progress through the `when=` sequences (strace keeps a copy per tcb).
#[derive(Debug, Clone, Default)]
pub struct InjectState {
    countdowns: HashMap<u64, Countdown>,
}

fn parse_token(rule: &mut Rule, token: &str, kind: InjectKind) -> Option<()> {
    let fault_only = kind == InjectKind::Fault;
    if let Some(when) = token.strip_prefix("when=") {
        parse_when(rule, when)?;
    } else if let Some(name) = token.strip_prefix("syscall=") {
        if rule.replacement.is_some() {
            return None;
        }
        let nr = saker_syscalls::number(name)?;
        // Only calls without side effects may run in place of another.
        if !saker_syscalls::classes(nr).contains(&Class::Pure) {
            return None;
        }
        rule.replacement = Some(nr);
    } else if let Some(errno) = token.strip_prefix("error=") {
        if rule.result.is_some() {
            return None;
        }
        let number = match string_to_uint(errno, 4095) {
            Some(n) => n as i32,
            None => errno_by_name(errno)?,
        };
        if number < 1 {
            return None;
        }
        rule.result = Some(Injected::Error(number));
    } else if let (false, Some(value)) = (fault_only, token.strip_prefix("retval=")) {
        if rule.result.is_some() {
            return None;
        }
        let value = parse_c_unsigned(value)?;
        if (value as i64) < 0 && (value as i64) >= -4095 {
            eprintln!(
                "saker trace: Inadvertent injection of error {} is possible for retval={value}",
                -(value as i64)
            );
        }
        rule.result = Some(Injected::Value(value));
    } else if let (false, Some(signal)) = (fault_only, token.strip_prefix("signal=")) {
        if rule.signal.is_some() {
            return None;
        }
        let sig = signal_number(signal)?;
        if !(1..=64).contains(&sig) {
            return None;
        }
        rule.signal = Some(sig);
    } else if let (false, Some(pokes)) = (fault_only, token.strip_prefix("poke_enter=")) {
        if !rule.poke_enter.is_empty() {
            return None;
        }
        rule.poke_enter = parse_pokes(pokes)?;
    } else if let (false, Some(pokes)) = (fault_only, token.strip_prefix("poke_exit=")) {
        if !rule.poke_exit.is_empty() {
            return None;
        }
        rule.poke_exit = parse_pokes(pokes)?;
    } else if let (false, Some(delay)) = (fault_only, token.strip_prefix("delay_enter=")) {
        if rule.delay_enter.is_some() {
            return None;
        }
        rule.delay_enter = Some(parse_delay(delay)?);
    } else if let (false, Some(delay)) = (fault_only, token.strip_prefix("delay_exit=")) {
        if rule.delay_exit.is_some() {
            return None;
        }
        rule.delay_exit = Some(parse_delay(delay)?);
    } else {
        return None;
    }
    Some(())
}

/// `when=FIRST[..LAST][+[STEP]]`.
fn parse_when(rule: &mut Rule, text: &str) -> Option<()> {
    let (head, step) = match text.find('+') {
        Some(plus) => (&text[..plus], Some(&text[plus + 1..])),
        None => (text, None),
    };
    let (first, last) = match head.split_once("..") {
        Some((first, last)) => (first, Some(last)),
        None => (head, None),
    };
    let first = string_to_uint(first, 0xffff)? as u16;
    if first < 1 {
        return None;
    }
    rule.first = first;
    rule.last = match last {
        Some(last) => {
            let last = string_to_uint(last, 0xffff)? as u16;
            if last < first || last == INFINITE {
                return None;
            }
            last
        }
        None => INFINITE,
    };
    rule.step = match step {
        Some("") => 1,
        Some(step) => {
            let step = string_to_uint(step, 0xffff)? as u16;
            if step < 1 {
                return None;
            }
            step
        }
        // `F` alone means the Fth call only; `F..L` every call from F to L.
        None if rule.last == INFINITE => 0,
        None => 1,
    };
    Some(())
}

/// `@argN=HEX,...`.
fn parse_pokes(text: &str) -> Option<Vec<Poke>> {
    let mut pokes = Vec::new();
    for token in text.split(',').filter(|t| !t.is_empty()) {
        let rest = token.strip_prefix("@arg")?;
        let arg = rest.chars().next().filter(|c| ('1'..='7').contains(c))?;
        let hex = rest[1..].strip_prefix('=')?;
        if hex.is_empty()
            || hex.len() % 2 != 0
            || hex.len() > 2048
            || !hex.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return None;
        }
        let data = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let arg = arg as usize - '0' as usize;
        // strace's poke_add(): one poke per argument and stop.
        if pokes.iter().any(|p: &Poke| p.arg == arg) {
            return None;
        }
        pokes.push(Poke { arg, data });
    }
    (!pokes.is_empty()).then_some(pokes)
}

/// strace's parse_ts(): a number (integer or decimal), then `s`, `ms`, `us` (default) or `ns`.
pub fn parse_delay(text: &str) -> Option<Duration> {
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_end);
    let nanos_per_unit: f64 = match unit {
        "" | "us" => 1e3,
        "s" => 1e9,
        "ms" => 1e6,
        "ns" => 1.0,
        _ => return None,
    };
    if number.chars().all(|c| c.is_ascii_digit()) {
        let value: u64 = number.parse().ok()?;
        return Some(Duration::from_nanos(
            value.checked_mul(nanos_per_unit as u64)?,
        ));
    }
    let value: f64 = number.parse().ok()?;
    if value.is_nan() || value < 0.0 || !value.is_finite() {
        return None;
    }
    Some(Duration::from_nanos((value * nanos_per_unit) as u64))
}

/// strtoull(value, 0): decimal, `0x` hex or `0` octal, nothing after.
fn parse_c_unsigned(text: &str) -> Option<u64> {
    let text = text.trim_start();
    let text = text.strip_prefix('+').unwrap_or(text);
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        u64::from_str_radix(&text[1..], 8).ok()
    } else if let Some(negative) = text.strip_prefix('-') {
        // strtoull negates: -1 is 0xffffffffffffffff.
        negative.parse::<u64>().ok().map(u64::wrapping_neg)
    } else {
        text.parse().ok()
    }
}

fn errno_by_name(name: &str) -> Option<i32> {
    (1..4096).find(|&n| saker_syscalls::errno_name(n).is_some_and(|e| e.eq_ignore_ascii_case(name)))
}

/// strace's sigstr_to_uint(): a number up to 255, or a name with or without `SIG`, any case.
pub fn signal_number(text: &str) -> Option<i32> {
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return string_to_uint(text, 255).map(|n| n as i32);
    }
    let bare = match text.get(..3) {
        Some(head) if head.eq_ignore_ascii_case("SIG") => &text[3..],
        _ => text,
    };
    (1..=64).find(|&sig| {
        saker_syscalls::signal_name(sig)
            .and_then(|name| name.strip_prefix("SIG"))
            .is_some_and(|name| name.eq_ignore_ascii_case(bare))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(expr: &str, kind: InjectKind) -> Result<Rule, String> {
        let mut injections = Injections::default();
        injections.add(expr, kind)?;
        let nr = saker_syscalls::number(expr.split(':').next().unwrap()).unwrap();
        Ok(injections.rules[&nr].clone())
    }

    fn fired(expr: &str, calls: usize) -> Vec<bool> {
        let mut injections = Injections::default();
        injections.add(expr, InjectKind::Inject).unwrap();
        let mut state = InjectState::default();
        (0..calls)
            .map(|_| injections.decide(&mut state, 39).is_some())
            .collect()
    }

    #[test]
    fn when_sequences() {
        let t = true;
        let f = false;
        assert_eq!(fired("getpid:error=EPERM", 3), [t, t, t]);
        assert_eq!(fired("getpid:error=EPERM:when=2", 4), [f, t, f, f]);
        assert_eq!(fired("getpid:error=EPERM:when=2+", 4), [f, t, t, t]);
        assert_eq!(fired("getpid:error=EPERM:when=2+2", 6), [f, t, f, t, f, t]);
        assert_eq!(fired("getpid:error=EPERM:when=2..3", 5), [f, t, t, f, f]);
        assert_eq!(
            fired("getpid:error=EPERM:when=1..5+2", 7),
            [t, f, t, f, t, f, f]
        );
    }

    #[test]
    fn tokens() {
        let r = rule("chdir:error=ENOENT:signal=usr1", InjectKind::Inject).unwrap();
        assert_eq!(r.result, Some(Injected::Error(libc::ENOENT)));
        assert_eq!(r.signal, Some(libc::SIGUSR1));
        let r = rule("chdir:retval=0x2a", InjectKind::Inject).unwrap();
        assert_eq!(r.result, Some(Injected::Value(42)));
        let r = rule("chdir", InjectKind::Fault).unwrap();
        assert_eq!(r.result, Some(Injected::Error(libc::ENOSYS)));
        let r = rule("chdir:delay_enter=1.5ms:delay_exit=7", InjectKind::Inject).unwrap();
        assert_eq!(r.delay_enter, Some(Duration::from_micros(1500)));
        assert_eq!(r.delay_exit, Some(Duration::from_micros(7)));
        let r = rule("chdir:poke_enter=@arg1=2f00", InjectKind::Inject).unwrap();
        assert_eq!(
            r.poke_enter,
            [Poke {
                arg: 1,
                data: vec![0x2f, 0]
            }]
        );
        let r = rule("chdir:error=1:syscall=getpid", InjectKind::Inject).unwrap();
        assert_eq!(r.replacement, saker_syscalls::number("getpid"));
    }

    #[test]
    fn refusals_like_strace() {
        let err = |expr: &str, kind| rule(expr, kind).unwrap_err();
        assert_eq!(
            err("chdir", InjectKind::Inject),
            "invalid inject argument 'chdir'"
        );
        assert_eq!(
            err("chdir:retval=0", InjectKind::Fault),
            "invalid fault argument 'chdir:retval=0'"
        );
        assert_eq!(
            err("chdir:error=EPERM:error=ENOENT", InjectKind::Inject),
            "invalid inject argument 'chdir:error=EPERM:error=ENOENT'"
        );
        // strace's qual_inject-syntax.test: an argument poked twice at one stop.
        assert_eq!(
            err("chdir:poke_enter=@arg1=00,@arg1=00", InjectKind::Inject),
            "invalid inject argument 'chdir:poke_enter=@arg1=00,@arg1=00'"
        );
        assert!(
            rule(
                "chdir:poke_enter=@arg1=00:poke_exit=@arg1=00",
                InjectKind::Inject
            )
            .is_ok()
        );
        assert_eq!(
            err("chdir:error=1:syscall=chdir", InjectKind::Inject),
            "invalid inject argument 'chdir:error=1:syscall=chdir'"
        );
        assert_eq!(
            err("chdir:when=0", InjectKind::Fault),
            "invalid fault argument 'chdir:when=0'"
        );
        assert_eq!(
            err("chdir:when=3..2", InjectKind::Fault),
            "invalid fault argument 'chdir:when=3..2'"
        );
        assert_eq!(
            err(":error=1", InjectKind::Fault),
            "invalid fault argument ':error=1'"
        );
    }

    #[test]
    fn notes() {
        let tampering = Tampering {
            result: Some(Injected::Error(1)),
            delay_exit: Some(Duration::from_micros(1)),
            ..Tampering::default()
        };
        assert_eq!(tampering.note(false), " (INJECTED) (DELAYED)");
        assert_eq!(tampering.note(true), " (INJECTED: args, retval) (DELAYED)");
    }
}
