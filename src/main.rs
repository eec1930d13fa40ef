//! The `boardpack` command: parse arguments, run, exit with the command's code.

fn main() -> std::process::ExitCode {
    boardpack::cli::main()
}
