//! `aebnas data` (placeholder until its owner fills it in).

/// Arguments of `aebnas data`.
#[derive(clap::Args, Debug)]
pub struct DataArgs {}

pub fn run(_args: DataArgs) -> Result<(), String> {
    Err("not implemented yet".into())
}
