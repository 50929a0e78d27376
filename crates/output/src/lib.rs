//! saker-output: placeholder, filled in by its issue.
