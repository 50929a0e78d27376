//! Exit codes and error reporting, the same for every subcommand.
//!
//! 0 fine, 1 findings or invalid input, 2 error (see ARCHITECTURE.md). A command that needs a
//! specific status or message format returns [`Failure`]; any other error is printed as
//! `saker: <message with context chain>` and exits 2. A broken pipe on stdout (`saker ps | head`)
//! ends quietly with 0, like ripgrep.

use std::fmt;
use std::io;
use std::process::ExitCode;

/// What a subcommand returns: the exit status to use when it did not fail.
pub type Outcome = anyhow::Result<u8>;

/// An error whose message is already in its final form and that carries its own exit status.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Turns a subcommand's result into the process exit code, printing the error if there is one.
pub fn code_for(result: Outcome) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => match err.downcast_ref::<Failure>() {
            Some(failure) => {
                if !failure.message.is_empty() {
                    eprintln!("{}", failure.message);
                }
                ExitCode::from(failure.code)
            }
            None => {
                eprintln!("saker: {err:#}");
                ExitCode::from(2)
            }
        },
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|io_err| io_err.kind() == io::ErrorKind::BrokenPipe)
}
