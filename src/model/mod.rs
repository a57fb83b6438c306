//! burn modules built from an engine [`Architecture`](crate::engine::arch::Architecture),
//! the weight-sharing supernet, the training loop and evaluation. Backend-agnostic: the
//! device (CPU `flex`, or `wgpu` / WebGPU) is picked at run time.
//!
//! Everything that touches burn needs the `train` feature (on by default); [`meta`] (what
//! a weights file says about its network) and [`clock`] do not, so the page, built
//! without burn, reads dropped weights files itself.

pub mod clock;
pub mod meta;
pub mod supernet_meta;

#[cfg(feature = "train")]
pub mod batch;
#[cfg(feature = "train")]
pub mod batch_norm;
#[cfg(feature = "train")]
pub mod candidate;
#[cfg(feature = "train")]
pub mod depthwise;
#[cfg(feature = "train")]
pub mod dynamic;
#[cfg(feature = "train")]
pub mod early_exit;
#[cfg(feature = "train")]
pub mod error;
#[cfg(feature = "train")]
pub mod evaluate;
#[cfg(feature = "train")]
pub mod extract;
#[cfg(feature = "train")]
pub mod hard_swish;
#[cfg(feature = "train")]
pub mod head_training;
#[cfg(feature = "train")]
pub mod heads;
#[cfg(feature = "train")]
pub mod init;
#[cfg(feature = "train")]
pub mod layers;
#[cfg(feature = "train")]
pub mod network;
#[cfg(feature = "train")]
pub mod parallel;
#[cfg(feature = "train")]
pub mod recalibrate;
#[cfg(all(test, feature = "train"))]
pub mod reference;
#[cfg(feature = "train")]
pub mod resize;
#[cfg(feature = "train")]
pub mod sandwich;
#[cfg(feature = "train")]
pub mod smoke;
#[cfg(feature = "train")]
pub mod step_timing;
#[cfg(feature = "train")]
pub mod subnet_eval;
#[cfg(feature = "train")]
pub mod supernet;
#[cfg(feature = "train")]
pub mod supernet_file;
#[cfg(feature = "train")]
pub mod train;
#[cfg(feature = "train")]
pub mod weights;
