//! `saker pstree` (not built yet: see its issue).

use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Outcome {
    Err(Failure::new(2, "saker pstree: not implemented yet").into())
}
