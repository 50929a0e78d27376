//! The contract between the queue and one output channel's transport.

use crate::{EncodedAlert, Ledger};

/// One output channel's transport (stdout, syslog, file, program, http; a new channel is a
/// new `Sink`, and gets the queue, the counting and the logging for free).
///
/// Each sink runs on its own worker thread, so a sink may block for a while (an HTTP retry,
/// a slow pipe) without holding up capture or the other channels; every method is called
/// from that thread only. Every wait must be bounded (a timeout, or [`Ledger::wait`]), and
/// must end early once [`Ledger::closing`] says shutdown has started and the receiver is
/// known to be stalled.
///
/// Accounting: the sink settles each alert given to [`Sink::write`] exactly once through
/// the ledger — [`Ledger::delivered`] or [`Ledger::failed`] — either in that call or later
/// (a sink that buffers settles in [`Sink::flush`], a pipe once the program read the line).
/// Whatever is still unsettled after [`Sink::close`] is counted as dropped at shutdown.
pub trait Sink: Send {
    /// The channel's name in logs and metrics: `stdout`, `syslog`, `file`, `program`, `http`.
    fn name(&self) -> &str;

    /// Called once on the worker thread before the first alert: connect, and report a
    /// receiver that is missing (`ledger.failed(0, &error)`) so that it is logged once, at
    /// start-up.
    fn start(&mut self, _ledger: &Ledger) {}

    /// Takes one alert; `alert.bytes` is the text line or JSON object, without a newline.
    fn write(&mut self, alert: &EncodedAlert, ledger: &Ledger);

    /// Pushes out whatever the sink buffers. Called after each alert when outputs are
    /// unbuffered, and when the channel's queue runs empty otherwise.
    fn flush(&mut self, _ledger: &Ledger) {}

    /// Called about every 100 ms while no alert arrives (restart a program after its
    /// backoff, settle what a receiver confirmed since).
    fn tick(&mut self, _ledger: &Ledger) {}

    /// Closes and reopens files, restarts programs (SIGUSR1, logrotate).
    fn reopen(&mut self, _ledger: &Ledger) {}

    /// Called once when the outputs shut down, after the last alert: flush, settle what
    /// can be settled and release the receiver.
    fn close(&mut self, ledger: &Ledger) {
        self.flush(ledger);
    }
}
