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
    std::process::exit(cli::run());
}
