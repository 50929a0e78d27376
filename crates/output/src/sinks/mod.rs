//! The output channels. Each one is a transport only: alerts arrive already encoded.

mod file;
mod http;
mod lines;
mod program;
mod stdout;
mod syslog;

pub use file::{FileSink, FileSinkOptions};
pub use http::{HttpSink, HttpSinkOptions};
pub use program::{ProgramSink, ProgramSinkOptions};
pub use stdout::StdoutSink;
pub use syslog::{SEND_TIMEOUT, SyslogConnection, SyslogSink, SyslogSinkOptions, format_syslog};
