#!/usr/bin/env bash
# The long fuzz campaign (not CI): runs each target for SECONDS (default
# 1200; html_tree gets 3x) under libFuzzer's fork mode, so a crash is saved
# to artifacts/TARGET/ and the run goes on. New inputs go to work/TARGET/
# (not committed); the committed corpus/TARGET/ is read as seeds.
#
#   fuzz/campaign.sh [SECONDS] [TARGET...]      # all targets when none given
#
# Run it niced on a shared machine; two instances with different target
# lists use two cores. Each target's libFuzzer log is logs/TARGET.log and
# its wall and CPU seconds logs/TARGET.time (on a shared machine a niced
# fuzzer gets less CPU than wall time: the CPU figure is what was fuzzed).
# Afterwards fold the finds into the committed corpus (README: Running).
#
# The targets are built without a sanitizer (FUZZ_SANITIZER=none): conv's
# fuzzed code is safe Rust, so AddressSanitizer finds nothing the Rust
# checks do not, and costs a build several times longer and fuzzing ~2x
# slower. FUZZ_SANITIZER=address gives the ASan build.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-1200}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(html_tree frontmatter html_tokenizer markdown json_read read_bytes read_feed read_page
           write_txt write_json write_epub write_pdf)
fi
cargo +nightly fuzz build -s "${FUZZ_SANITIZER:-none}" || exit 1
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for t in "${targets[@]}"; do
  s=$secs
  [ "$t" = html_tree ] && s=$((secs * 3))
  case $t in write_*) max_len=8192 ;; *) max_len=16384 ;; esac
  mkdir -p "work/$t" "artifacts/$t"
  echo "== $t for ${s}s (log: fuzz/logs/$t.log)"
  nice -n "${FUZZ_NICE:-19}" /usr/bin/time -o "logs/$t.time" -f "%e s wall, %U+%S s CPU, %M KB peak" \
    "$bin/$t" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$s" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$t/" "work/$t" "corpus/$t" >"logs/$t.log" 2>&1
  tail -n 3 "logs/$t.log"
  cat "logs/$t.time"
done
