//! The search runs in a dedicated web worker (the `aebnas-worker` binary, built by trunk
//! from `index.html`), so training never blocks the page: [`protocol`] defines the
//! messages, [`codec`] the compact exit-cache form they carry (and browser storage
//! keeps), [`runner`] is the worker's loop, [`single`] trains a shared link's network, [`client`] is the page's handle on it.

pub mod client;
pub mod codec;
mod data;
mod evaluator;
pub mod protocol;
mod runner;
mod single;
mod weights;

pub use runner::run_worker;
