//! Reading the user's own files off the page's main thread: the `aebnas-reader` binary
//! (built by trunk from `index.html`, without burn) is a dedicated web worker that reads
//! the picked `File`s, detects and decodes the format (`crate::data::load_any`), converts
//! to the stored form and picks the preview images. [`protocol`] defines the messages,
//! [`client`] is the page's handle (one worker per read, terminated when it answers, so
//! the memory a large file took goes with it; cancelling terminates it early), and
//! `run` is the worker's side.

pub mod client;
// The messages (yew-free, tested natively).
pub use crate::playground::reader::protocol;
mod run;

pub use run::run_reader;
