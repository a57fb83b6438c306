//! The search worker, built by trunk as a `data-type="worker"` target (see `index.html`):
//! runs the NAS search off the page's main thread and talks to the page by messages
//! (`aebnas::app::worker::protocol`). Built without WebGPU (`--no-default-features
//! --features train,simd`), so burn's CPU backend only; `aebnas-worker-webgpu` is the same
//! program with it.

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
    eprintln!("aebnas-worker is the browser app's search worker: build it with `trunk build` (see README.md)");
}
