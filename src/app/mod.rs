//! The browser playground (wasm only): a yew app in the style of yew's
//! `function_todomvc` example — one [`state::AppState`] changed through
//! [`state::Action`]s, one component per panel under [`components`], the asynchronous
//! work (backend selection, fetching, training) in [`hooks`], and the user's
//! [`settings::Settings`]. The search runs off the main thread in a web worker
//! ([`worker`]); its state is the plain reducer [`run_state`], saved by [`storage`].
//! The maths lives in `engine`, `data` and `model`.

pub mod backend;
pub mod browser;
pub mod catalog;
pub mod components;
pub mod controls;
pub mod files;
pub mod hooks;
pub mod lesson;
pub mod link;
pub mod loader;
pub mod page;
pub mod plot;
pub mod root;
pub mod run_state;
pub mod settings;
pub mod shared;
pub mod state;
pub mod storage;
pub mod transfer;
pub mod worker;

/// Runs the binary's static constructors (the `inventory` registrations burn's GPU
/// kernels rely on) exactly once; the first line of both wasm binaries' `main`.
///
/// Naming `__wasm_call_ctors` here also switches off `wasm-ld`'s "command" heuristic,
/// which otherwise wraps every export of a binary in a call to it: all constructors re-ran
/// on each call from JavaScript (every event handler, every worker message), hundreds of
/// milliseconds of main-thread work each time.
pub fn run_static_constructors() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DONE: AtomicBool = AtomicBool::new(false);
    unsafe extern "C" {
        fn __wasm_call_ctors();
    }
    if !DONE.swap(true, Ordering::SeqCst) {
        // SAFETY: the linker-synthesised constructor runner, called once before any other
        // code of the binary runs.
        unsafe { __wasm_call_ctors() }
    }
}

/// Mounts the app on `<body>`. Panics are reported to the console with their message.
pub fn start() {
    console_error_panic_hook::set_once();
    yew::Renderer::<root::App>::new().render();
}
