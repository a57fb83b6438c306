//! The browser playground (wasm only): a yew app in the style of yew's
//! `function_todomvc` example — one [`state::AppState`] changed through
//! [`state::Action`]s, one component per panel under [`components`], the asynchronous
//! work (backend selection, fetching, training) in [`hooks`], and the user's
//! [`settings::Settings`]. The search runs off the main thread in a web worker
//! ([`worker`]); its state is the plain reducer [`run_state`], saved by [`storage`].
//! The maths lives in `engine`, `data` and `model`.

pub mod backend;
pub mod backend_measure;
pub mod browser;
pub mod catalog;
pub mod compare_state;
pub mod compare_view;
pub mod components;
pub mod controls;
pub mod data_state;
pub mod files;
pub mod hooks;
pub mod import_check;
pub mod lesson;
pub mod lesson_apply;
pub mod link;
pub mod loader;
pub mod page;
pub mod plot;
pub mod pool_page;
pub mod pool_size;
pub mod reader;
pub mod root;
pub mod run_state;
pub mod settings;
pub mod shared;
pub mod smoke_state;
pub mod state;
pub mod storage;
pub mod storage_plan;
pub mod transfer;
pub mod user_data;
pub mod user_store;
pub mod worker;

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
