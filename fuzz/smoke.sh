#!/usr/bin/env bash
# CI's bounded fuzz run: builds every target with cargo-fuzz (nightly) and
# runs each for SECONDS (default 10) from the committed corpus; any crash,
# timeout or out-of-memory fails the run. The committed corpus is not
# modified (new inputs go to a temporary folder).
#
#   fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-10}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo +nightly fuzz build
bin=target/x86_64-unknown-linux-gnu/release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in $(cargo +nightly fuzz list); do
  mkdir -p "$tmp/$t" "$tmp/artifacts/$t"
  case $t in write_*) max_len=8192 ;; *) max_len=16384 ;; esac
  echo "== $t (${secs}s)"
  "$bin/$t" -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$tmp/artifacts/$t/" "$tmp/$t" "corpus/$t" 2>"$tmp/$t.log" \
    || { tail -n 40 "$tmp/$t.log"; echo "fuzz target $t failed"; exit 1; }
  grep -E '^(Done|#[0-9]+ *DONE)' "$tmp/$t.log" | tail -n 1
done
