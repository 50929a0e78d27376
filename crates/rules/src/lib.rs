//! saker-rules: placeholder, filled in by its issue.
