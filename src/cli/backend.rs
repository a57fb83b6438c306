//! `--backend cpu|wgpu` and `--genome` / `--mac-target` argument helpers shared by the
//! training and search subcommands.

use super::error::CliError;
use burn::tensor::Device;

/// Compute backend of a native run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendArg {
    /// burn's pure-Rust CPU backend (`flex`, multi-threaded, SIMD). Deterministic.
    Cpu,
    /// wgpu (Vulkan/Metal/DX12; a software Vulkan driver works).
    Wgpu,
}

impl BackendArg {
    /// The device, or a one-line reason it is unavailable.
    pub fn device(self) -> Result<Device, CliError> {
        match self {
            BackendArg::Cpu => Ok(Device::flex()),
            BackendArg::Wgpu => wgpu_device(),
        }
    }

    /// Name recorded in results.
    pub fn name(self) -> &'static str {
        match self {
            BackendArg::Cpu => "cpu",
            BackendArg::Wgpu => "wgpu",
        }
    }
}

#[cfg(feature = "wgpu")]
fn wgpu_device() -> Result<Device, CliError> {
    Device::wgpu_options()
        .init()
        .map_err(|e| CliError::Failed(format!("wgpu backend unavailable: {e:?}")))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Result<Device, CliError> {
    Err(
        "wgpu backend unavailable: this aebnas was built without the `wgpu` feature \
         (rebuild with `cargo build --release --features wgpu`)"
            .into(),
    )
}

/// A progress bar on stderr for one training run.
pub fn train_bar(label: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix:>10} [{bar:30}] {pos}/{len} steps  {msg}  ({elapsed}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

/// Updates `bar` from a training progress event.
pub fn update_bar(bar: &indicatif::ProgressBar, p: &crate::model::train::Progress) {
    bar.set_length(p.total_steps as u64);
    bar.set_position(p.step as u64);
    bar.set_message(format!(
        "loss {:.3}  {:.0} samples/s",
        p.loss, p.samples_per_sec
    ));
}
