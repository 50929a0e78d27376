//! saker-bpf: placeholder, filled in by its issue.
