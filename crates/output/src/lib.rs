//! saker-output: alert encoders (Falco's text line and JSON object) and output channels
//! (stdout, syslog, file, program, HTTP), each behind its own bounded, never-blocking queue,
//! with one accounting for all of them ([`channel`]): every alert raised is delivered or
//! dropped with a reason, per channel.
//!
//! Encoding is kept apart from transport: the dispatcher encodes each alert once with an
//! [`AlertEncoder`]; every [`Sink`] only moves bytes.
//!
//! ```
//! use std::collections::BTreeMap;
//! use saker_event::{Alert, Priority};
//! use saker_output::{AlertEncoder, EncoderOptions};
//!
//! let alert = Alert {
//!     time_ns: 1_685_022_245_478_445_995,
//!     rule: "Demo".into(),
//!     priority: Priority::Notice,
//!     source: "syscall".into(),
//!     output: "something happened".into(),
//!     output_fields: BTreeMap::new(),
//!     tags: vec![],
//!     hostname: "node-1".into(),
//! };
//! let encoder = AlertEncoder::new(EncoderOptions { json: true, ..EncoderOptions::default() });
//! let mut line = Vec::new();
//! encoder.encode(&alert, &mut line);
//! assert!(line.ends_with(br#""time":"2023-05-25T13:44:05.478445995Z"}"#));
//! ```
//!
//! A daemon builds the sinks it wants, starts an [`OutputQueue`], hands
//! [`AlertSender`]s to the threads that raise alerts, calls [`OutputQueue::reopen`] on SIGUSR1
//! and [`OutputQueue::shutdown`] on SIGTERM.

pub mod channel;
mod encode;
mod error;
pub mod files;
pub mod internal;
mod queue;
mod sink;
pub mod sinks;

pub use channel::{ChannelSnapshot, ChannelStats, DetachedChannel, Drops, Ledger};
pub use encode::{AlertEncoder, EncodedAlert, EncoderOptions, write_iso8601_utc};
pub use error::OutputError;
pub use queue::{
    AlertSender, DEFAULT_CAPACITY, OutputQueue, OutputSnapshot, OutputStats, QueueOptions,
    ShutdownReport,
};
pub use sink::Sink;
