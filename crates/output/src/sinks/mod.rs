//! The output channels. Each one is a transport only: alerts arrive already encoded.

mod file;
mod http;
mod lines;
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
pub use syslog::{SEND_TIMEOUT, SyslogConnection, SyslogSink, SyslogSinkOptions, format_syslog};
pub use template::AlertTemplate;

/// A comma-separated list of server URLs (NATS) without their passwords, for messages.
pub(crate) fn redacted_urls(urls: &str) -> String {
    urls.split(',').map(redacted).collect::<Vec<_>>().join(",")
}

/// A server URL fit for messages: `redis://user:secret@host/0` -> `redis://user:***@host/0`.
pub(crate) fn redacted(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &rest[..colon],
                &rest[at..]
            ),
            None => format!("{}***{}", &url[..scheme_end], &rest[at..]),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{redacted, redacted_urls};

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redacted("redis://user:s3cret@host:6379/0"),
            "redis://user:***@host:6379/0"
        );
        assert_eq!(redacted("redis://:s3cret@host/0"), "redis://:***@host/0");
        assert_eq!(redacted("redis://host:6379"), "redis://host:6379");
        assert_eq!(redacted("rediss://tok@host"), "rediss://***@host");
        assert_eq!(
            redacted_urls("nats://a:pw@n1:4222,nats://tok@n2:4222"),
            "nats://a:***@n1:4222,nats://***@n2:4222"
        );
    }
}
