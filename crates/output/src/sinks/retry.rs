//! Retrying a batch sent to a message broker (NATS, Redis) with a doubling backoff.
//!
//! While a batch is retried the channel's worker waits, so the alerts that follow wait in
//! the channel's bounded queue: an outage shorter than the retries and the queue together
//! loses nothing, and what overflows the queue is dropped and counted there.

use std::time::Duration;

/// How often and how patiently a batch is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 10 with the defaults below is about 30 s.
    pub max_retries: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// At shutdown a dead server gets one more try, not the full retries: the exit must not
    /// wait half a minute for it.
    pub fn for_shutdown(self) -> Self {
        RetryPolicy {
            max_retries: self.max_retries.min(1),
            ..self
        }
    }
}

/// Why one attempt failed.
pub(crate) enum Attempt {
    /// The connection or the server failed: worth another try.
    Retry(String),
    /// The server refused the data itself (a wrong key type, an oversized message): the
    /// same batch would fail again.
    Fatal(String),
}

/// Runs `attempt` until it succeeds, fails fatally, or `policy.max_retries` retries failed;
/// the error is the last reason. `attempt` gets the number of the retry (0 first).
pub(crate) fn with_retries(
    policy: &RetryPolicy,
    channel: &str,
    mut attempt: impl FnMut(u32) -> Result<(), Attempt>,
) -> Result<(), String> {
    let mut backoff = policy.initial_backoff;
    let mut retry = 0;
    loop {
        match attempt(retry) {
            Ok(()) => {
                if retry > 0 {
                    tracing::info!(channel, retries = retry, "output channel recovered");
                }
                return Ok(());
            }
            Err(Attempt::Fatal(reason)) => return Err(reason),
            Err(Attempt::Retry(reason)) if retry >= policy.max_retries => return Err(reason),
            Err(Attempt::Retry(reason)) => {
                if retry == 0 {
                    tracing::warn!(channel, %reason, "output channel failing, retrying");
                } else {
                    tracing::debug!(channel, retry, %reason, "output channel retrying");
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(policy.max_backoff);
                retry += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick(max_retries: u32) -> RetryPolicy {
        RetryPolicy {
            max_retries,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        }
    }

    #[test]
    fn retries_until_success() {
        let mut calls = Vec::new();
        let result = with_retries(&quick(5), "t", |n| {
            calls.push(n);
            if n < 3 {
                Err(Attempt::Retry("down".into()))
            } else {
                Ok(())
            }
        });
        assert!(result.is_ok());
        assert_eq!(calls, [0, 1, 2, 3]);
    }

    #[test]
    fn gives_up_after_max_retries_with_the_last_reason() {
        let mut calls = 0;
        let result = with_retries(&quick(2), "t", |n| {
            calls += 1;
            Err(Attempt::Retry(format!("down {n}")))
        });
        assert_eq!(result.unwrap_err(), "down 2");
        assert_eq!(calls, 3);
    }

    #[test]
    fn a_fatal_error_is_not_retried() {
        let mut calls = 0;
        let result = with_retries(&quick(5), "t", |_| {
            calls += 1;
            Err(Attempt::Fatal("WRONGTYPE".into()))
        });
        assert_eq!(result.unwrap_err(), "WRONGTYPE");
        assert_eq!(calls, 1);
    }
}
