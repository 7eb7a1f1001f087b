#!/bin/sh
# Scores conv's article extraction on the ScrapingHub article-extraction
# benchmark (AEB) and Mozilla Readability's test pages, if the shared copies
# are present (they are not part of the project; nothing here is a test).
#
#   benches/extraction/score.sh [AEB_DIR] [MOZILLA_PAGES_DIR]
#
# Env: CONV (the binary; default target/release/conv, else target/debug/conv).
# Prints evaluate.py's table (conv beside the peers' outputs), the ten worst
# pages, the bulk run's wall time, and the Mozilla metadata agreement.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$root/../shared
[ -d "$shared" ] || shared=$root/../../shared
aeb=${1:-$shared/extraction/aeb}
moz=${2:-$shared/extraction/mozilla/pages}
conv=${CONV:-}
if [ -z "$conv" ]; then
  for c in "$root/target/release/conv" "$root/target/debug/conv"; do
    [ -x "$c" ] && { conv=$c; break; }
  done
fi
[ -n "$conv" ] || { echo "build conv first (cargo build --release)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -f "$aeb/evaluate.py" ]; then
  mkdir -p "$work/aeb/html" "$work/aeb/out" "$work/eval/output"
  for f in "$aeb"/html/*.html.gz; do
    n=$(basename "$f" .html.gz)
    gzip -dc "$f" > "$work/aeb/html/$n.html"
  done
  start=$(date +%s.%N)
  "$conv" -q "$work/aeb/html" -o "$work/aeb/out" -t json || true
  end=$(date +%s.%N)
  echo "bulk json over $(ls "$work/aeb/html" | wc -l) pages: $(echo "$end - $start" | bc) s"
  start=$(date +%s.%N)
  "$conv" -q "$work/aeb/html" -o "$work/aeb/txt" -t txt || true
  end=$(date +%s.%N)
  echo "bulk txt over $(ls "$work/aeb/html" | wc -l) pages: $(echo "$end - $start" | bc) s"
  # conv: the article as conv reads it; conv_nocaptions: the same without
  # figure captions (the ground truth leaves most of them out).
  python3 "$here/aeb_collect.py" "$aeb/ground-truth.json" "$work/aeb/out" "$work/eval/output/conv.json"
  python3 "$here/aeb_collect.py" "$aeb/ground-truth.json" "$work/aeb/out" "$work/eval/output/conv_nocaptions.json" --no-captions
  cp "$aeb/evaluate.py" "$aeb/ground-truth.json" "$work/eval/"
  for p in "$aeb"/output/*.json; do cp "$p" "$work/eval/output/"; done
  (cd "$work/eval" && python3 evaluate.py --n-bootstrap "${BOOTSTRAP:-200}")
  python3 "$here/aeb_worst.py" "$work/eval" "${WORST:-10}"
  [ -n "${KEEP:-}" ] && cp -r "$work/aeb" "$KEEP"
fi

if [ -d "$moz" ]; then
  python3 "$here/mozilla.py" "$conv" "$moz"
fi
