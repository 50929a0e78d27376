//! saker-ptrace: placeholder, filled in by its issue.
