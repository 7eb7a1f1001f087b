#!/usr/bin/env bash
# The long fuzz campaign (not CI): runs each target under libFuzzer's fork
# mode until it has had SECONDS of CPU (default 1200; html_tree gets 3x), so
# a crash is saved to artifacts/TARGET/ and the run goes on. New inputs go to
# work/TARGET/ (not committed); the committed corpus/TARGET/ is read as seeds.
#
#   fuzz/campaign.sh [SECONDS] [TARGET[=SECONDS]...]   # all targets when none given
#
# The budget is CPU, not wall time: on a machine shared with builds a
# fuzzer gets less CPU than wall time, and CPU is what was fuzzed. The CPU
# of a target is that of its whole process tree (the fork-mode parent, the
# jobs it has reaped and the job running now), read from /proc every 5 s.
# Two instances with different target lists use two cores. Each target's
# libFuzzer log is logs/TARGET.log, and logs/TARGET.time its wall and CPU
# seconds. Afterwards fold the finds into the committed corpus (README:
# Running).
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
tick=$(getconf CLK_TCK)

# CPU seconds of every process in session $1: utime+stime of the live ones
# and cutime+cstime of what they have reaped (a reaped job's time moves to
# its parent, so nothing is counted twice).
session_cpu() {
  local ticks=0 p f
  for p in $(ps -o pid= -s "$1" 2>/dev/null); do
    f=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    set -- $f
    ticks=$((ticks + ${12} + ${13} + ${14} + ${15}))
  done
  echo $((ticks / tick))
}

for spec in "${targets[@]}"; do
  t=${spec%%=*}
  s=$secs
  [ "$t" = html_tree ] && s=$((secs * 3))
  [ "$spec" != "$t" ] && s=${spec#*=}
  case $t in write_*) max_len=8192 ;; *) max_len=16384 ;; esac
  mkdir -p "work/$t" "artifacts/$t"
  echo "== $t for ${s} CPU s (log: fuzz/logs/$t.log)"
  start=$(date +%s)
  setsid nice -n "${FUZZ_NICE:-10}" \
    "$bin/$t" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time=$((s * 20)) -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$t/" "work/$t" "corpus/$t" >"logs/$t.log" 2>&1 &
  pid=$!
  cpu=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    now=$(session_cpu "$pid")
    [ -n "$now" ] && [ "$now" -gt "$cpu" ] && cpu=$now
    if [ "$cpu" -ge "$s" ]; then
      kill -9 -- "-$pid" 2>/dev/null
      break
    fi
  done
  wait "$pid" 2>/dev/null
  echo "$(($(date +%s) - start)) s wall, $cpu s CPU" | tee "logs/$t.time"
  grep -E '^#[0-9]+' "logs/$t.log" | tail -n 1
  grep -cE 'CRASH|crash-|==ERROR' "logs/$t.log" | sed 's/^/crash lines: /'
done
