//! `saker run` (not built yet: see its issue).

use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Outcome {
    Err(Failure::new(2, "saker run: not implemented yet").into())
}
