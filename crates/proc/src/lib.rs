//! saker-proc: placeholder, filled in by its issue.
