//! The output channels. Each one is a transport only: alerts arrive already encoded.

mod file;
mod http;
mod nats;
mod program;
mod redis;
mod retry;
mod stdout;
mod syslog;
mod template;

pub use file::{FileSink, FileSinkOptions};
pub use http::{HttpSink, HttpSinkOptions};
pub use nats::{NatsSink, NatsSinkOptions};
pub use program::{ProgramSink, ProgramSinkOptions};
pub use redis::{RedisSink, RedisSinkOptions, RedisTarget};
pub use retry::RetryPolicy;
pub use stdout::StdoutSink;
pub use syslog::{SyslogConnection, SyslogSink, SyslogSinkOptions};
pub use template::AlertTemplate;
