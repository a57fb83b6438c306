//! The web app entry point, built by trunk (see `index.html`).

#[cfg(target_arch = "wasm32")]
#[path = "shared/ctors.rs"]
mod ctors;

#[cfg(target_arch = "wasm32")]
fn main() {
    ctors::run_static_constructors();
    aebnas::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("aebnas-web is the browser app: build it with `trunk build` (see README.md)");
}
