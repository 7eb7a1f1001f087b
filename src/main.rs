//! The `conv` command: parses arguments and calls the library. Errors are
//! printed as one line `conv: FILE: reason`; exit status 0 done, 1 a
//! conversion failed, 2 bad usage.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
