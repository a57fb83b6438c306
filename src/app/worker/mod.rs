//! The search runs in a dedicated web worker (the `aebnas-worker` binary, built by trunk
//! from `index.html`), so training never blocks the page: [`protocol`] defines the
//! messages (exit caches in the compact form of `engine::cache_codec`), [`client`] is the page's handle on it. The worker's side (the `train` feature):
//! `runner` is its loop, `compute` picks its device (the page holds no burn), `measure`
//! times the backends to pick the faster, `single` trains a shared link's network,
//! `weights` keeps and exports trained weights, `supernet` trains the weight-sharing
//! supernet once; `pool` spreads a search over pool workers (`member`, [`job`]) in
//! slot order ([`pool_batch`]).

pub mod client;
// The messages and the pool's pure pieces (yew-free, tested natively).
pub use crate::playground::worker::{job, pool_batch, protocol};

// The worker's side: burn (the `train` feature; the page is built without it).
#[cfg(feature = "train")]
mod compute;
#[cfg(feature = "train")]
mod context;
#[cfg(feature = "train")]
mod data;
#[cfg(feature = "train")]
mod evaluator;
#[cfg(feature = "train")]
mod gpu;
#[cfg(feature = "train")]
mod measure;
#[cfg(feature = "train")]
mod member;
#[cfg(feature = "train")]
mod pool;
#[cfg(feature = "train")]
mod pool_members;
#[cfg(feature = "train")]
mod runner;
#[cfg(feature = "train")]
mod single;
#[cfg(feature = "train")]
mod supernet;
#[cfg(feature = "train")]
mod weights;

#[cfg(feature = "train")]
pub use runner::run_worker;
