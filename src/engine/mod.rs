//! The engine: the maths of early exits and of the AEBNAS search, in pure Rust.
//!
//! No burn, no web imports: everything here is tested natively and runs unchanged in wasm.

pub mod rng;
pub mod exits;
pub mod assign;
pub mod tuning;
pub mod space;
pub mod genome;
pub mod arch;
pub mod objectives;
pub mod hypervolume;
pub mod nsga2;
pub mod surrogate;
pub mod results;
pub mod search;
pub mod cost;
