//! Shared by the two wasm binaries (`aebnas-web`, `aebnas-worker`).

/// Runs this binary's static constructors (the `inventory` registrations burn's GPU
/// kernels rely on) once, before anything else.
///
/// Naming `__wasm_call_ctors` here also switches off `wasm-ld`'s "command" heuristic,
/// which otherwise wraps every export of a binary in a call to it: all constructors re-ran
/// on each call from JavaScript (every event handler, every worker message), hundreds of
/// milliseconds of main-thread work each time. It lives in the binaries, not the library,
/// so that other wasm binaries (the wasm tests) keep the linker's default.
pub fn run_static_constructors() {
    unsafe extern "C" {
        fn __wasm_call_ctors();
    }
    // SAFETY: the linker-synthesised constructor runner, called once, first thing.
    unsafe { __wasm_call_ctors() }
}
