//! `aebnas macs` (placeholder until its owner fills it in).

/// Arguments of `aebnas macs`.
#[derive(clap::Args, Debug)]
pub struct MacsArgs {}

pub fn run(_args: MacsArgs) -> Result<(), String> {
    Err("not implemented yet".into())
}
