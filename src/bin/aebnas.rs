//! The native `aebnas` command-line tool (see `aebnas --help`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    aebnas::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
