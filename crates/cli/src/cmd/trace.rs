//! `saker trace`: strace's command line, parsed by `saker_trace::cmdline` with strace's own
//! getopt rules (clap cannot express them: options stop at the first operand, values attach to
//! letters, long options abbreviate), then handed to `saker_trace::run`.

use std::ffi::OsString;

use saker_trace::cmdline::{self, Request};
use saker_trace::{Ended, Error};

use crate::exit::{Failure, Outcome};

/// Trace system calls and signals, with strace's options and output format.
///
/// clap only names the subcommand (for `saker help trace` and completions); the arguments are
/// strace's and are parsed by [`cmdline::parse`].
#[derive(clap::Args, Debug)]
#[command(disable_help_flag = true, override_help = saker_trace::HELP)]
pub struct Args {
    /// strace's options, then the command to run.
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 0..
    )]
    pub args: Vec<OsString>,
}

pub fn run(args: Args) -> Outcome {
    run_raw(&args.args)
}

/// Runs `saker trace` on its arguments exactly as given (main.rs hands them over before clap
/// sees them, so that `--` and everything after it reach strace's parser untouched).
pub fn run_raw(args: &[OsString]) -> Outcome {
    let request = cmdline::parse(args).map_err(failure)?;
    let options = match request {
        Request::Help => {
            print!("{}", saker_trace::HELP);
            return Ok(0);
        }
        Request::Version => {
            println!("saker trace -- version {}", env!("CARGO_PKG_VERSION"));
            return Ok(0);
        }
        Request::Trace(options) => options,
    };
    let ended = saker_trace::run(&options).map_err(failure)?;
    Ok(match ended {
        Ended::Exited(code) => (code & 0xff) as u8,
        Ended::Killed(sig) | Ended::Interrupted(sig) => die_like(sig),
        Ended::Done => 0,
    })
}

/// strace's messages: `saker trace: ...`, with a pointer to `--help` for usage errors; exit 1.
fn failure(err: Error) -> Failure {
    match err {
        Error::Usage(message) => Failure::new(
            1,
            format!("saker trace: {message}\nTry 'saker trace --help' for more information."),
        ),
        Error::AttachFailed => Failure::new(1, ""),
        err => Failure::new(1, format!("saker trace: {err}")),
    }
}

/// strace's terminate(): die from the same signal as the traced command (with core dumps off so
/// no core file of the tracer clobbers the command's), or exit 128+signal if it is not fatal.
fn die_like(sig: i32) -> u8 {
    // SAFETY: plain libc calls on our own process; all output was flushed before.
    unsafe {
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::raise(sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
    (128 + sig) as u8
}
