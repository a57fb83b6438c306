//! The search worker's messages ([`protocol`]), a pool worker's job ([`job`]) and the
//! pool's scheduling and merge in slot order ([`pool_batch`]). The worker itself runs in
//! `app::worker`.

pub mod job;
pub mod pool_batch;
pub mod protocol;
