//! The browser playground (wasm only): a yew app in the style of yew's
//! `function_todomvc` example — one [`state::AppState`] changed through
//! [`state::Action`]s, one component per panel under [`components`], the asynchronous
//! work (backend selection, fetching, training) in [`hooks`], and the user's
//! [`settings::Settings`]. The maths lives in `engine`, `data` and `model`.

pub mod backend;
pub mod browser;
pub mod catalog;
pub mod components;
pub mod hooks;
pub mod loader;
pub mod root;
pub mod settings;
pub mod state;

/// Mounts the app on `<body>`. Panics are reported to the console with their message.
pub fn start() {
    console_error_panic_hook::set_once();
    yew::Renderer::<root::App>::new().render();
}
