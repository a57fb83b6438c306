//! Shared by the wasm binaries (`aebnas-web`, `aebnas-worker`, `aebnas-reader`) and the wasm tests
//! (`tests/wasm.rs`, which call it once, first thing in every test).

/// Runs this binary's static constructors (the `inventory` registrations burn's GPU
/// kernels rely on) once, before anything else.
///
/// Naming `__wasm_call_ctors` here also switches off `wasm-ld`'s "command" heuristic,
/// which otherwise wraps every export of a binary in a call to it: all constructors re-ran
/// on each call from JavaScript (every event handler, every worker message), hundreds of
/// milliseconds of main-thread work each time. It lives beside the binaries, not in the
/// library: a binary that links it must call it before anything else.
pub fn run_static_constructors() {
    unsafe extern "C" {
        fn __wasm_call_ctors();
    }
    // SAFETY: the linker-synthesised constructor runner, called once, first thing.
    unsafe { __wasm_call_ctors() }
}
