//! The search worker with burn's WebGPU backend (the default features; see `Cargo.toml`):
//! the same program as `aebnas-worker`, which is built without WebGPU. The page loads this
//! build only when it may train on WebGPU (`aebnas::playground::worker_build`).

#[cfg(target_arch = "wasm32")]
#[path = "shared/ctors.rs"]
mod ctors;

#[cfg(target_arch = "wasm32")]
fn main() {
    ctors::run_static_constructors();
    aebnas::app::worker::run_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("aebnas-worker-webgpu is the browser app's search worker with WebGPU: build it with `trunk build` (see README.md)");
}
