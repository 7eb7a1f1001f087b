//! CI's bounded fuzz smoke run: every fuzz target's body (fuzz/src/lib.rs,
//! the same functions the libFuzzer binaries call) over its committed
//! corpus, then over inputs mutated from it for a few seconds per target.
//!
//! This is not the campaign (`fuzz/campaign.sh`, coverage-guided, outside
//! CI): it runs in the normal test build, with no nightly toolchain and no
//! second build of every dependency, so that CI catches a regression on the
//! corpus and its near neighbours in seconds. A failing input is written to
//! `target/fuzz-smoke/TARGET-N.bin` so it can be replayed with the real
//! fuzzer (`fuzz/target/.../TARGET FILE`).
//!
//! `CONV_FUZZ_SMOKE_SECS` sets the seconds per target (default 4, at most
//! 10 as CI's budget allows).

use crate::fuzz_bodies::{corpus_root, run};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Fragments that steer mutations towards the readers' interesting states.
const TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"</",
    b"/>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"]]>",
    b"&#",
    b"&amp;",
    b";",
    b"<p>",
    b"<table><tr><td>",
    b"<svg>",
    b"<math>",
    b"<script>",
    b"</script>",
    b"<pre>",
    b"<img src=\"",
    b"<a href=\"",
    b"\"",
    b"'",
    b"---\n",
    b"+++\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"- ",
    b"# ",
    b"```",
    b"\n\n",
    b"\r",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe4\xb8",
    b"\xe4\xb8\xad",
    b"*",
    b"_",
    b"|",
    b"&",
    b"*a",
    b"<<",
    b"\\",
];

/// xorshift64*: a fixed seed per target makes a failure reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One to four random edits of `input`, sometimes spliced with `other`.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8], max_len: usize) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next() as u8),
            2 if !data.is_empty() => {
                let end = (at + 1 + rng.below(32)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 if !data.is_empty() => {
                let start = rng.below(data.len());
                let end = (start + 1 + rng.below(64)).min(data.len());
                let piece = data[start..end].to_vec();
                for _ in 0..1 + rng.below(8) {
                    data.splice(
                        at.min(data.len())..at.min(data.len()),
                        piece.iter().copied(),
                    );
                }
            }
            4 if !other.is_empty() => {
                let start = rng.below(other.len());
                let end = (start + 1 + rng.below(256)).min(other.len());
                data.splice(at..at, other[start..end].iter().copied());
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
        }
    }
    data.truncate(max_len);
    data
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let root = corpus_root();
    let mut inputs = Vec::new();
    for sub in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(sub).join(target)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        inputs.extend(paths.iter().filter_map(|p| std::fs::read(p).ok()));
    }
    inputs
}

fn budget() -> Duration {
    let secs = std::env::var("CONV_FUZZ_SMOKE_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(4.0)
        .clamp(0.0, 10.0);
    Duration::from_secs_f64(secs)
}

/// Runs `target` over its corpus and then mutated inputs until the budget
/// is spent; panics (failing the test) on the first input that panics or
/// takes more than ten seconds, after saving it.
fn smoke(target: &str) {
    let seeds = corpus(target);
    assert!(!seeds.is_empty(), "no committed corpus for {target}");
    // The readers read at most 16 KiB here, the writers' models 8 KiB, as
    // in smoke.sh's libFuzzer runs.
    let max_len = if target.starts_with("write_") {
        8192
    } else {
        16384
    };
    let seed = target.bytes().fold(0x9e37_79b9_7f4a_7c15u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut runs = 0usize;
    let mut i = 0usize;
    loop {
        let data = if i < seeds.len() {
            seeds[i].clone()
        } else {
            let a = &seeds[rng.below(seeds.len())];
            let b = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, a, b, max_len)
        };
        i += 1;
        let one = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| run(target, &data)));
        let slow = one.elapsed() > Duration::from_secs(10);
        if outcome.is_err() || slow {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-smoke");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{target}-{runs}.bin"));
            let _ = std::fs::write(&file, &data);
            panic!(
                "fuzz target {target}: input {} {} (saved to {})",
                runs,
                if slow { "took over 10 s" } else { "panicked" },
                file.display()
            );
        }
        runs += 1;
        if i >= seeds.len() && started.elapsed() >= budget() {
            break;
        }
    }
    eprintln!(
        "fuzz smoke {target}: {runs} inputs in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

macro_rules! smoke_tests {
    ($($name:ident),*) => {
        $(
            #[test]
            fn $name() {
                smoke(stringify!($name));
            }
        )*
    };
}

smoke_tests!(
    frontmatter,
    html_tokenizer,
    html_tree,
    markdown,
    json_read,
    read_bytes,
    read_feed,
    read_page,
    write_txt,
    write_json,
    write_epub,
    write_pdf
);

#[test]
fn mutations_stay_within_the_length_cap() {
    let mut rng = Rng(7);
    for _ in 0..1000 {
        let m = mutate(&mut rng, b"<p>abc</p>", b"---\ntitle: x\n---\n", 64);
        assert!(m.len() <= 64);
    }
}
