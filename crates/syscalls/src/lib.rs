//! saker-syscalls: placeholder, filled in by its issue.
