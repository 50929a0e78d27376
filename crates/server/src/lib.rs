//! saker-server: placeholder, filled in by its issue.
