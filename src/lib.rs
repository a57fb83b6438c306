//! AEBNAS playground: hardware-aware neural architecture search for early-exit CNNs.
//!
//! Layers, from the bottom up:
//! - [`engine`]: the maths — search space and genome, MAC cost model, exit rules,
//!   threshold tuning, NSGA-II, surrogates. Pure Rust, no burn, no web.
//! - [`data`]: dataset readers (IDX, …) and splits, shared by the app and the CLI.
//! - [`model`]: burn modules built from an engine `Architecture`, training and evaluation;
//!   backend-agnostic (CPU `flex` or `wgpu`/WebGPU picked at run time). Behind the `train`
//!   feature (default), so that the page's WebAssembly, built without it, holds no burn.
//! - [`playground`]: the page's state without yew or the browser — settings, link codec,
//!   lessons, the run's and the comparison's reducers, transfer, user-data naming, worker
//!   messages — compiled and tested natively.
//! - `app` (wasm only): the yew playground: views, hooks, the workers and browser I/O.
//! - `cli` (native only): the `aebnas` command-line tool.

pub mod data;
pub mod engine;
pub mod model;
pub mod playground;

#[cfg(target_arch = "wasm32")]
pub mod app;

/// The app's pure modules (settings, the search reducer, the worker messages, chart
/// scales), compiled natively too so that their unit tests
/// run with a plain `cargo test`.
#[cfg(all(not(target_arch = "wasm32"), feature = "train"))]
pub mod cli;
