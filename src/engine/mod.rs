//! The engine: the maths of early exits and of the AEBNAS search, in pure Rust.
//!
//! No burn, no web imports: everything here is tested natively and runs unchanged in wasm.

pub mod arch;
pub mod assign;
pub mod cache_codec;
pub mod compare;
pub mod cost;
pub mod exits;
pub mod genome;
pub mod hypervolume;
pub mod nsga2;
pub mod objectives;
pub mod results;
pub mod rng;
pub mod search;
pub mod space;
pub mod surrogate;
pub mod ticks;
pub mod tuning;
pub mod units;
