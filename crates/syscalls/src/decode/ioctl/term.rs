//! struct termios, termios2 and termio as strace 6.1's term.c prints them: every flag word
//! by name, c_oflag's delay fields and c_cflag's speeds and character size first, c_line
//! and c_cc only with -v.

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::{read_struct, u16_at, u32_at};
use super::{Phase, at_exit, ior, iow};
use crate::xlat;

const TCGETS: u32 = 0x5401;
const TCSETS: u32 = 0x5402;
const TCSETSW: u32 = 0x5403;
const TCSETSF: u32 = 0x5404;
const TCGETA: u32 = 0x5405;
const TCSETA: u32 = 0x5406;
const TCSETAW: u32 = 0x5407;
const TCSETAF: u32 = 0x5408;
const TIOCGLCKTRMIOS: u32 = 0x5456;
const TIOCSLCKTRMIOS: u32 = 0x5457;
const TCGETS2: u32 = ior(b'T', 0x2a, TERMIOS2_SIZE as u32);
const TCSETS2: u32 = iow(b'T', 0x2b, TERMIOS2_SIZE as u32);
const TCSETSW2: u32 = iow(b'T', 0x2c, TERMIOS2_SIZE as u32);
const TCSETSF2: u32 = iow(b'T', 0x2d, TERMIOS2_SIZE as u32);

/// The kernel's struct termios: four u32 flag words, c_line, c_cc[19].
const TERMIOS_SIZE: usize = 36;
/// struct termios2: termios and c_ispeed, c_ospeed.
const TERMIOS2_SIZE: usize = 44;
/// struct termio: four u16 flag words, c_line, c_cc[8].
const TERMIO_SIZE: usize = 18;

pub(super) static NAMES: &[(u32, &str)] = &[
    (TCGETA, "TCGETA"),
    (TCSETA, "TCSETA"),
    (TCSETAW, "TCSETAW"),
    (TCSETAF, "TCSETAF"),
    (TIOCGLCKTRMIOS, "TIOCGLCKTRMIOS"),
    (TIOCSLCKTRMIOS, "TIOCSLCKTRMIOS"),
    (TCGETS2, "TCGETS2"),
    (TCSETS2, "TCSETS2"),
    (TCSETSW2, "TCSETSW2"),
    (TCSETSF2, "TCSETSF2"),
];

#[derive(Clone, Copy)]
enum Layout {
    Termios,
    Termios2,
    Termio,
}

/// The terminal attribute requests; None for the others.
pub(super) fn term(c: &mut Ctx, code: u32, arg: u64) -> Option<Phase> {
    let (layout, get) = match code {
        TCGETS | TIOCGLCKTRMIOS => (Layout::Termios, true),
        TCSETS | TCSETSW | TCSETSF | TIOCSLCKTRMIOS => (Layout::Termios, false),
        TCGETS2 => (Layout::Termios2, true),
        TCSETS2 | TCSETSW2 | TCSETSF2 => (Layout::Termios2, false),
        TCGETA => (Layout::Termio, true),
        TCSETA | TCSETAW | TCSETAF => (Layout::Termio, false),
        _ => return None,
    };
    let print = move |c: &mut Ctx| {
        c.next();
        attrs(c, arg, layout, get);
        Phase::Done
    };
    Some(if get { at_exit(c, print) } else { print(c) })
}

fn attrs(c: &mut Ctx, arg: u64, layout: Layout, output: bool) {
    let mut b = [0u8; TERMIOS2_SIZE];
    let (flags, line_at, cc): ([u32; 4], usize, &[u8]) = match layout {
        Layout::Termio => {
            let Some(raw) = read_struct::<TERMIO_SIZE>(c, arg, output) else {
                return;
            };
            b[..TERMIO_SIZE].copy_from_slice(&raw);
            let words = [0, 2, 4, 6].map(|at| u32::from(u16_at(&b, at)));
            (words, 8, &b[9..17])
        }
        Layout::Termios | Layout::Termios2 => {
            let read = if matches!(layout, Layout::Termios2) {
                read_struct::<TERMIOS2_SIZE>(c, arg, output)
            } else {
                read_struct::<TERMIOS_SIZE>(c, arg, output).map(|raw| {
                    let mut all = [0u8; TERMIOS2_SIZE];
                    all[..TERMIOS_SIZE].copy_from_slice(&raw);
                    all
                })
            };
            let Some(raw) = read else {
                return;
            };
            b = raw;
            let words = [0, 4, 8, 12].map(|at| u32_at(&b, at));
            (words, 16, &b[17..36])
        }
    };
    c.s("{c_iflag=");
    term_flags(c, u64::from(flags[0]), &IFLAGS);
    c.s(", c_oflag=");
    oflag(c, flags[1]);
    c.s(", c_cflag=");
    cflag(c, flags[2]);
    c.s(", c_lflag=");
    term_flags(c, u64::from(flags[3]), &LFLAGS);
    if !c.style.verbose {
        c.s(", ...}");
        return;
    }
    c.s(", c_line=");
    c.xval(u64::from(b[line_at]), &LINE_DISCIPLINES);
    c.s(", c_cc=[");
    for (i, &ch) in cc.iter().enumerate() {
        if i > 0 {
            c.s(", ");
        }
        match CC_NAMES.get(i) {
            Some(name) => {
                let _ = write!(c.out, "[{name}]=");
            }
            None => {
                let _ = write!(c.out, "[{i}]=");
            }
        }
        c.hex(u64::from(ch));
    }
    c.s("]");
    if matches!(layout, Layout::Termios2) {
        let _ = write!(
            c.out,
            ", c_ispeed={}, c_ospeed={}",
            u32_at(&b, 36),
            u32_at(&b, 40)
        );
    }
    c.s("}");
}

/// The delay fields by name, then the other output flags.
fn oflag(c: &mut Ctx, v: u32) {
    let mut rest = u64::from(v);
    for (mask, x) in [
        (0o400, &NLDLY),
        (0o3000, &CRDLY),
        (0o14000, &TABDLY),
        (0o20000, &BSDLY),
        (0o40000, &VTDLY),
        (0o100000, &FFDLY),
    ] {
        c.xval(rest & mask, x);
        c.s("|");
        rest &= !mask;
    }
    term_flags(c, rest, &OFLAGS);
}

/// strace's printflags with no default text: an empty flag word prints as nothing at all
/// (`c_iflag=`).
fn term_flags(c: &mut Ctx, v: u64, x: &xlat::Xlat) {
    if v != 0 {
        c.flags(v, x);
    }
}

/// The output speed, the input speed `<<IBSHIFT` when set, the character size, then the
/// other control flags.
fn cflag(c: &mut Ctx, v: u32) {
    const CBAUD: u64 = 0o10017;
    const CIBAUD: u64 = CBAUD << 16;
    const CSIZE: u64 = 0o60;
    let v = u64::from(v);
    c.xval(v & CBAUD, &BAUDS);
    c.s("|");
    if v & CIBAUD != 0 {
        c.xval((v & CIBAUD) >> 16, &BAUDS);
        c.s("<<");
        c.xval(16, &IBSHIFT);
        c.s("|");
    }
    c.xval(v & CSIZE, &CSIZES);
    c.s("|");
    term_flags(c, v & !(CBAUD | CIBAUD | CSIZE), &CFLAGS);
}

const CC_NAMES: [&str; 17] = [
    "VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART", "VSTOP",
    "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2",
];

xlat::xlat!(IFLAGS, "", [
    0o1 => "IGNBRK", 0o2 => "BRKINT", 0o4 => "IGNPAR", 0o10 => "PARMRK", 0o20 => "INPCK",
    0o40 => "ISTRIP", 0o100 => "INLCR", 0o200 => "IGNCR", 0o400 => "ICRNL", 0o1000 => "IUCLC",
    0o2000 => "IXON", 0o4000 => "IXANY", 0o10000 => "IXOFF", 0o20000 => "IMAXBEL",
    0o40000 => "IUTF8",
]);
xlat::xlat!(OFLAGS, "", [
    0o14000 => "XTABS", 0o1 => "OPOST", 0o2 => "OLCUC", 0o4 => "ONLCR", 0o10 => "OCRNL",
    0o20 => "ONOCR", 0o40 => "ONLRET", 0o100 => "OFILL", 0o200 => "OFDEL",
]);
xlat::xlat!(CFLAGS, "", [
    0o100 => "CSTOPB", 0o200 => "CREAD", 0o400 => "PARENB", 0o1000 => "PARODD",
    0o2000 => "HUPCL", 0o4000 => "CLOCAL", 0o10000000000 => "CMSPAR",
    0o20000000000 => "CRTSCTS",
]);
xlat::xlat!(LFLAGS, "", [
    0o1 => "ISIG", 0o2 => "ICANON", 0o4 => "XCASE", 0o10 => "ECHO", 0o20 => "ECHOE",
    0o40 => "ECHOK", 0o100 => "ECHONL", 0o200 => "NOFLSH", 0o100000 => "IEXTEN",
    0o1000 => "ECHOCTL", 0o2000 => "ECHOPRT", 0o4000 => "ECHOKE", 0o10000 => "FLUSHO",
    0o40000 => "PENDIN", 0o400 => "TOSTOP", 0o200000 => "EXTPROC",
]);
xlat::xlat!(NLDLY, "NL?", [0 => "NL0", 0o400 => "NL1"]);
xlat::xlat!(CRDLY, "CR?", [0 => "CR0", 0o1000 => "CR1", 0o2000 => "CR2", 0o3000 => "CR3"]);
xlat::xlat!(TABDLY, "TAB?", [
    0o14000 => "XTABS", 0 => "TAB0", 0o4000 => "TAB1", 0o10000 => "TAB2",
]);
xlat::xlat!(BSDLY, "BS?", [0o20000 => "BS1", 0 => "BS0"]);
xlat::xlat!(VTDLY, "VT?", [0 => "VT0", 0o40000 => "VT1"]);
xlat::xlat!(FFDLY, "FF?", [0 => "FF0", 0o100000 => "FF1"]);
xlat::xlat!(CSIZES, "CS?", [0 => "CS5", 0o20 => "CS6", 0o40 => "CS7", 0o60 => "CS8"]);
xlat::xlat!(IBSHIFT, "", [16 => "IBSHIFT"]);
xlat::xlat!(BAUDS, "B???", [
    0 => "B0", 0o1 => "B50", 0o2 => "B75", 0o3 => "B110", 0o4 => "B134", 0o5 => "B150",
    0o6 => "B200", 0o7 => "B300", 0o10 => "B600", 0o11 => "B1200", 0o12 => "B1800",
    0o13 => "B2400", 0o14 => "B4800", 0o15 => "B9600", 0o16 => "B19200", 0o17 => "B38400",
    0o10001 => "B57600", 0o10002 => "B115200", 0o10003 => "B230400", 0o10004 => "B460800",
    0o10005 => "B500000", 0o10006 => "B576000", 0o10007 => "B921600", 0o10010 => "B1000000",
    0o10011 => "B1152000", 0o10012 => "B1500000", 0o10013 => "B2000000",
    0o10014 => "B2500000", 0o10015 => "B3000000", 0o10016 => "B3500000",
    0o10017 => "B4000000", 0o10000 => "BOTHER",
]);
xlat::xlat!(LINE_DISCIPLINES, "N_???", [
    0 => "N_TTY", 1 => "N_SLIP", 2 => "N_MOUSE", 3 => "N_PPP", 4 => "N_STRIP", 5 => "N_AX25",
    6 => "N_X25", 7 => "N_6PACK", 8 => "N_MASC", 9 => "N_R3964", 10 => "N_PROFIBUS_FDL",
    11 => "N_IRDA", 12 => "N_SMSBLOCK", 13 => "N_HDLC", 14 => "N_SYNC_PPP", 15 => "N_HCI",
    16 => "N_GIGASET_M101", 17 => "N_SLCAN", 18 => "N_PPS", 19 => "N_V253",
]);
