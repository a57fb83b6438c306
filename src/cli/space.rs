//! `aebnas space` (placeholder until its owner fills it in).

/// Arguments of `aebnas space`.
#[derive(clap::Args, Debug)]
pub struct SpaceArgs {}

pub fn run(_args: SpaceArgs) -> Result<(), String> {
    Err("not implemented yet".into())
}
