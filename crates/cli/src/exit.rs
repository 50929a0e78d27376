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
                eprintln!("saker: {}", chain_message(&err));
                ExitCode::from(2)
            }
        },
    }
}

/// The error and its causes as one `a: b: c` line, leaving out a cause whose text is
/// already there: many errors put their source in their own message, and `{:#}` would then
/// say it twice ("cannot listen: Address in use: Address in use").
fn chain_message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|io_err| io_err.kind() == io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that says its source in its own message, and also chains it.
    #[derive(Debug)]
    struct Listen {
        source: io::Error,
    }

    impl fmt::Display for Listen {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "cannot listen on 127.0.0.1:8765: {}", self.source)
        }
    }

    impl std::error::Error for Listen {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.source)
        }
    }

    /// Issue 16: "webserver: webserver: cannot listen ...: Address in use: Address in use".
    #[test]
    fn each_cause_is_said_once() {
        let listen = Listen {
            source: io::Error::from(io::ErrorKind::AddrInUse),
        };
        let err = anyhow::Error::new(listen).context("webserver");
        assert_eq!(
            chain_message(&err),
            "webserver: cannot listen on 127.0.0.1:8765: address in use"
        );
        let err = anyhow::anyhow!("reading rules").context("saker run");
        assert_eq!(chain_message(&err), "saker run: reading rules");
    }
}
