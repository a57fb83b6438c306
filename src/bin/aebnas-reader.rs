//! The file reader worker, built by trunk as a `data-type="worker"` target (see
//! `index.html`) without the `train` feature, like the page: reads and decodes the user's
//! own files off the page's main thread (`aebnas::app::reader`).

#[cfg(target_arch = "wasm32")]
#[path = "shared/ctors.rs"]
mod ctors;

#[cfg(target_arch = "wasm32")]
fn main() {
    ctors::run_static_constructors();
    aebnas::app::reader::run_reader();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("aebnas-reader is the browser app's file reader: build it with `trunk build` (see README.md)");
}
