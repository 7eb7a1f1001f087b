#!/usr/bin/env bash
# Bundle memory on real articles: copies a folder of articles (default
# ../shared/corpus) to N distinct files (a numbered line appended to each),
# bundles them as PDF and EPUB with the release binary, and prints peak RSS
# and the growth per article between the two sizes.
#
#   benches/bundle-real.sh [SOURCE_DIR] [N1] [N2]
#
# CONV_BIN=path measures that binary instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/corpus}
n1=${2:-500}
n2=${3:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -n ${CONV_BIN:-} ]]; then
  bin=$CONV_BIN
else
  cargo build --release --quiet
  bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/conv
fi

copies() { # n dir
  python3 - "$src" "$1" "$2" <<'PY'
import os, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(f for f in os.listdir(src) if os.path.isfile(os.path.join(src, f)))
os.makedirs(out, exist_ok=True)
for i in range(n):
    f = files[i % len(files)]
    text = open(os.path.join(src, f), encoding="utf-8", errors="replace").read()
    with open(os.path.join(out, f"a{i:05d}_{f}"), "w", encoding="utf-8") as o:
        o.write(text + f"\n\n<p>Copy {i}.</p>\n")
PY
}

rss() { # output, inputs: peak RSS in KB
  /usr/bin/time -v "$bin" "$2" --bundle -o "$1" -q --offline 2>"$work/time.log" >/dev/null || true
  awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log"
}

copies "$n1" "$work/in1"
copies "$n2" "$work/in2"
for fmt in pdf epub; do
  a=$(rss "$work/b1.$fmt" "$work/in1")
  b=$(rss "$work/b2.$fmt" "$work/in2")
  per=$(python3 -c "print(f'{($b - $a) / ($n2 - $n1):.1f}')")
  echo "$fmt bundle: $n1 articles $((a / 1024)) MB, $n2 articles $((b / 1024)) MB peak RSS: $per KB per article ($(du -h "$work/b2.$fmt" | cut -f1) book)"
done
