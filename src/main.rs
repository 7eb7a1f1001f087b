//! The `conv` command: parses arguments and calls the library. Errors are
//! printed as one line `conv: FILE: reason`; exit status 0 done, 1 a
//! conversion failed, 2 bad usage.

/// mimalloc returns freed memory to the system and fragments less than
/// glibc malloc under rayon: a 10,000-article bundle stays in the hundreds
/// of MB instead of growing past a gigabyte.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

fn main() {
    // A user never sees a Rust backtrace: a panic inside one article of a
    // folder run is caught and reported as that article's failure, and one
    // anywhere else ends the run with a single line.
    std::panic::set_hook(Box::new(|_| {}));
    let code = match std::panic::catch_unwind(cli::run) {
        Ok(code) => code,
        Err(panic) => {
            use std::io::Write;
            let message = conv::bulk::panic_message(&*panic);
            let _ = writeln!(std::io::stderr(), "conv: internal error: {message}");
            1
        }
    };
    std::process::exit(code);
}
