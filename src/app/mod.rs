//! The browser playground (wasm only): a yew app in the style of yew's
//! `function_todomvc` example — one [`state::AppState`] changed through
//! [`state::Action`]s, one component per panel under [`components`], the asynchronous
//! work (backend selection, fetching, training) in [`hooks`], and the user's
//! [`settings::Settings`]. The search runs off the main thread in a web worker
//! ([`worker`]); its state is the plain reducer [`run_state`], saved by [`storage`].
//! The maths lives in `engine`, `data` and `model`.

pub mod browser;
pub mod components;
pub mod files;
pub mod hooks;
pub mod loader;
pub mod pool_page;
pub mod reader;
pub mod root;
pub mod state;
pub mod storage;
pub mod user_store;
pub mod worker;

// The yew-free state of the page (tested natively), under its usual names here.
pub use crate::playground::{
    backend, backend_measure, catalog, compare_state, compare_view, controls, data_state,
    import_check, lesson, lesson_apply, link, page, plot, pool_size, run_state, setting_fields,
    settings, shared, smoke_state, storage_plan, transfer, user_data, worker_build,
};

/// Mounts the app on `<body>`. Panics are reported to the console with their message.
///
/// The first render runs in a task of its own: the task that ends the wasm's streaming
/// compile and instantiates it (and runs `main`) is already long on a slow machine, and
/// yew's first render would otherwise run in that task's microtasks.
pub fn start() {
    console_error_panic_hook::set_once();
    gloo::timers::callback::Timeout::new(0, || {
        yew::Renderer::<root::App>::new().render();
    })
    .forget();
}
