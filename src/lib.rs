//! AEBNAS playground: hardware-aware neural architecture search for early-exit CNNs.
//!
//! Layers, from the bottom up:
//! - [`engine`]: the maths — search space and genome, MAC cost model, exit rules,
//!   threshold tuning, NSGA-II, surrogates. Pure Rust, no burn, no web.
//! - [`data`]: dataset readers (IDX, …) and splits, shared by the app and the CLI.
//! - [`model`]: burn modules built from an engine `Architecture`, training and evaluation;
//!   backend-agnostic (CPU `flex` or `wgpu`/WebGPU picked at run time). Behind the `train`
//!   feature (default), so that the page's WebAssembly, built without it, holds no burn.
//! - `app` (wasm only): the yew playground.
//! - `cli` (native only): the `aebnas` command-line tool.

pub mod data;
pub mod engine;
pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod app;

/// The app's pure modules (settings, the search reducer, the worker messages, chart
/// scales), compiled natively too so that their unit tests
/// run with a plain `cargo test`.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(dead_code)]
mod app {
    pub mod backend;
    pub mod backend_measure;
    pub mod compare_state;
    pub mod compare_view;
    pub mod controls;
    pub mod import_check;
    pub mod lesson;
    pub mod lesson_apply;
    pub mod link;
    pub mod page;
    pub mod plot;
    pub mod pool_size;
    pub mod reader {
        pub mod protocol;
    }
    pub mod run_state;
    pub mod settings;
    pub mod shared;
    pub mod smoke_state;
    pub mod storage_plan;
    pub mod transfer;
    pub mod user_data;
    pub mod worker {
        pub mod job;
        pub mod pool_batch;
        pub mod protocol;
    }
}

#[cfg(all(not(target_arch = "wasm32"), feature = "train"))]
pub mod cli;
