//! Retrying a batch sent to a message broker (NATS, Redis) with a doubling backoff.
//!
//! While a batch is retried the channel's worker waits, so the alerts that follow wait in
//! the channel's bounded queue: an outage shorter than the retries and the queue together
//! loses nothing, and what overflows the queue is dropped and counted there.

use std::time::Duration;

use crate::Ledger;

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

/// Why [`with_retries`] gave up.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum GaveUp {
    /// The last attempt's reason: the batch is lost (the caller counts it as failed).
    Failed(String),
    /// The shutdown deadline passed during a backoff: what is left is the shutdown's to count.
    Abandoned,
}

/// Runs `attempt` until it succeeds, fails fatally, or the policy's retries failed (one retry
/// once shutdown has begun). Each retry is counted on the ledger and waits its backoff through
/// [`Ledger::wait`], so a shutdown deadline cuts it short. Only the first retry of a healthy
/// channel is logged: an outage is the ledger's to report, once.
pub(crate) fn with_retries(
    policy: &RetryPolicy,
    ledger: &Ledger,
    mut attempt: impl FnMut() -> Result<(), Attempt>,
) -> Result<(), GaveUp> {
    let mut backoff = policy.initial_backoff;
    let mut retry = 0;
    loop {
        let max_retries = if ledger.closing() {
            policy.for_shutdown().max_retries
        } else {
            policy.max_retries
        };
        match attempt() {
            Ok(()) => return Ok(()),
            Err(Attempt::Fatal(reason)) => return Err(GaveUp::Failed(reason)),
            Err(Attempt::Retry(reason)) if retry >= max_retries => {
                return Err(GaveUp::Failed(reason));
            }
            Err(Attempt::Retry(reason)) => {
                if retry == 0 && !ledger.is_failing() {
                    tracing::warn!("{} output: {reason}; retrying", ledger.channel());
                }
                ledger.retried(1);
                if !ledger.wait(backoff) {
                    return Err(GaveUp::Abandoned);
                }
                backoff = (backoff * 2).min(policy.max_backoff);
                retry += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetachedChannel;

    fn quick(max_retries: u32) -> RetryPolicy {
        RetryPolicy {
            max_retries,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        }
    }

    #[test]
    fn retries_until_success_each_retry_counted() {
        let channel = DetachedChannel::new("t");
        let mut calls = 0;
        let result = with_retries(&quick(5), &channel.ledger(), || {
            calls += 1;
            if calls < 4 {
                Err(Attempt::Retry("down".into()))
            } else {
                Ok(())
            }
        });
        assert_eq!(result, Ok(()));
        assert_eq!(calls, 4);
        assert_eq!(channel.snapshot().retried, 3);
    }

    #[test]
    fn gives_up_after_max_retries_with_the_last_reason() {
        let channel = DetachedChannel::new("t");
        let mut calls = 0;
        let result = with_retries(&quick(2), &channel.ledger(), || {
            calls += 1;
            Err(Attempt::Retry(format!("down {calls}")))
        });
        assert_eq!(result, Err(GaveUp::Failed("down 3".into())));
        assert_eq!(calls, 3);
    }

    #[test]
    fn a_fatal_error_is_not_retried() {
        let channel = DetachedChannel::new("t");
        let mut calls = 0;
        let result = with_retries(&quick(5), &channel.ledger(), || {
            calls += 1;
            Err(Attempt::Fatal("WRONGTYPE".into()))
        });
        assert_eq!(result, Err(GaveUp::Failed("WRONGTYPE".into())));
        assert_eq!(calls, 1);
    }

    #[test]
    fn a_shutdown_gets_one_retry_and_the_deadline_ends_the_backoff() {
        let channel = DetachedChannel::new("t");
        channel.begin_shutdown();
        let mut calls = 0;
        let result = with_retries(&quick(10), &channel.ledger(), || {
            calls += 1;
            Err(Attempt::Retry("down".into()))
        });
        assert_eq!(result, Err(GaveUp::Failed("down".into())));
        assert_eq!(calls, 2, "one retry at shutdown, not ten");

        channel.abandon();
        let slow = RetryPolicy {
            initial_backoff: Duration::from_secs(600),
            ..quick(10)
        };
        let start = std::time::Instant::now();
        let result = with_retries(&slow, &channel.ledger(), || {
            Err(Attempt::Retry("down".into()))
        });
        assert_eq!(result, Err(GaveUp::Abandoned));
        assert!(start.elapsed() < Duration::from_secs(60));
    }
}
