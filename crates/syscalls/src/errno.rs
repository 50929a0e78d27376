//! errno names and the messages strace prints after them.

use crate::errno_table::ERRNOS;

/// `"ENOENT"` for 2; also the kernel-internal restart codes (512...) strace shows.
pub fn errno_name(errno: i32) -> Option<&'static str> {
    if let Some(n) = internal(errno) {
        return Some(n.0);
    }
    let (name, _) = ERRNOS.get(usize::try_from(errno).ok()?)?;
    (!name.is_empty()).then_some(*name)
}

/// The message strace prints in parentheses: glibc's `strerror()` text, and strace's own
/// text for the kernel-internal codes (`ERESTARTSYS` → "To be restarted if SA_RESTART is set").
/// Unknown numbers get "Unknown error" (the decoders add the number, as strace does).
pub fn errno_message(errno: i32) -> &'static str {
    if let Some(n) = internal(errno) {
        return n.1;
    }
    match usize::try_from(errno).ok().and_then(|i| ERRNOS.get(i)) {
        Some((name, msg)) if !name.is_empty() => msg,
        _ => "Unknown error",
    }
}

/// Kernel-internal errnos (include/linux/errno.h) that reach a tracer but never user space.
fn internal(errno: i32) -> Option<(&'static str, &'static str)> {
    Some(match errno {
        512 => ("ERESTARTSYS", "To be restarted if SA_RESTART is set"),
        513 => ("ERESTARTNOINTR", "To be restarted"),
        514 => ("ERESTARTNOHAND", "To be restarted if no handler"),
        515 => ("ENOIOCTLCMD", "No ioctl command"),
        516 => ("ERESTART_RESTARTBLOCK", "Interrupted by signal"),
        517 => ("EPROBE_DEFER", "Requested probe deferral"),
        518 => ("EOPENSTALE", "Stale open"),
        519 => ("ENOPARAM", "Parameter not supported"),
        521 => ("EBADHANDLE", "Illegal NFS file handle"),
        522 => ("ENOTSYNC", "Update synchronization mismatch"),
        523 => ("EBADCOOKIE", "Cookie is stale"),
        524 => ("ENOTSUPP", "Operation is not supported"),
        525 => ("ETOOSMALL", "Buffer or request is too small"),
        526 => ("ESERVERFAULT", "An untranslatable error occurred"),
        527 => ("EBADTYPE", "Type not supported by server"),
        528 => (
            "EJUKEBOX",
            "Request initiated, but will not complete before timeout",
        ),
        529 => ("EIOCBQUEUED", "iocb queued, will get completion event"),
        530 => ("ERECALLCONFLICT", "Conflict with recalled state"),
        _ => return None,
    })
}

/// Whether strace prints `?` instead of `-1` for this errno (the call will be restarted).
pub(crate) fn is_restart(errno: i32) -> bool {
    matches!(errno, 512..=514 | 516)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_messages() {
        let check = |e: i32, name: Option<&str>, msg: &str| {
            assert_eq!(errno_name(e), name, "{e}");
            assert_eq!(errno_message(e), msg, "{e}");
        };
        check(2, Some("ENOENT"), "No such file or directory");
        check(11, Some("EAGAIN"), "Resource temporarily unavailable");
        check(95, Some("EOPNOTSUPP"), "Operation not supported");
        check(
            512,
            Some("ERESTARTSYS"),
            "To be restarted if SA_RESTART is set",
        );
        check(516, Some("ERESTART_RESTARTBLOCK"), "Interrupted by signal");
        check(41, None, "Unknown error");
        check(-3, None, "Unknown error");
    }
}
