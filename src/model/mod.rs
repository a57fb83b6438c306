//! burn modules built from an engine [`Architecture`](crate::engine::arch::Architecture),
//! the weight-sharing supernet, the training loop and evaluation. Backend-agnostic: the
//! device (CPU `flex`, or `wgpu` / WebGPU) is picked at run time.

pub mod batch;
pub mod candidate;
pub mod clock;
pub mod dynamic;
pub mod early_exit;
pub mod evaluate;
pub mod heads;
pub mod init;
pub mod layers;
pub mod network;
pub mod resize;
pub mod sandwich;
pub mod smoke;
pub mod supernet;
pub mod train;
pub mod weights;
