#!/usr/bin/env bash
# Whole-process bulk benchmark.
#
# Builds a corpus of N articles (default 10,000) by replicating samples/,
# converts it per article to txt, epub and pdf with the release binary, and,
# when pandoc is installed, converts a slice of the same articles with
# `pandoc -t epub3`, one process per file (as a user's shell loop would).
# Then bundles all N articles into one EPUB and one PDF.
# Prints articles/s, peak memory (max RSS) and the ratio to pandoc.
#
#   benches/bulk.sh [N] [PANDOC_SAMPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
pandoc_n=${2:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/conv

mkdir -p "$work/in"
mapfile -t samples < <(ls samples/*.txt samples/*.md)
cp -r samples/images "$work/in/images"
python3 - "$work/in" "$n" "${samples[@]}" <<'PY'
import shutil, sys
out, n, samples = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for i in range(n):
    s = samples[i % len(samples)]
    dest = f"{out}/article-{i}.{s.rsplit('.', 1)[1]}"
    shutil.copyfile(s, dest)
    # A line of its own, so a bundle does not fold the copies together as
    # duplicates: the bundle below really holds n articles.
    with open(dest, "a", encoding="utf-8") as f:
        f.write(f"\n\nCopy {i} of this sample.\n")
PY
echo "corpus: $n articles, $(du -sh "$work/in" | cut -f1)"

measure() { # name, command...
  local name=$1; shift
  local log="$work/time-$name.log"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  end=$(date +%s.%N)
  local secs rss
  secs=$(python3 -c "print(f'{$end - $start:.2f}')")
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$log")
  echo "$name: $n articles in $secs s = $(python3 -c "print(f'{$n / ($end - $start):.0f}')") articles/s, peak RSS ${rss} MB"
  eval "${name}_secs=$secs"
}

for fmt in txt epub pdf; do
  measure "$fmt" "$bin" "$work/in" -o "$work/out-$fmt" -t "$fmt" -q --offline
done

# Bundles: all N articles as one book (memory must stay bounded).
for fmt in epub pdf; do
  measure "bundle_$fmt" "$bin" "$work/in" --bundle --group-by category -o "$work/bundle.$fmt" -q --offline
  echo "  bundle.$fmt: $(du -h "$work/bundle.$fmt" | cut -f1)"
done

if command -v pandoc >/dev/null; then
  mkdir -p "$work/pandoc"
  start=$(date +%s.%N)
  for ((i = 0; i < pandoc_n; i++)); do
    f=$(ls "$work/in"/article-$i.* | head -1)
    pandoc -f html -t epub3 "$f" -o "$work/pandoc/$i.epub" 2>/dev/null || true
  done
  end=$(date +%s.%N)
  pandoc_rate=$(python3 -c "print($pandoc_n / ($end - $start))")
  conv_rate=$(python3 -c "print($n / $epub_secs)")
  echo "pandoc -t epub3: $pandoc_n articles in $(python3 -c "print(f'{$end - $start:.2f}')") s = $(python3 -c "print(f'{$pandoc_rate:.1f}')") articles/s"
  echo "conv epub / pandoc epub3 throughput: $(python3 -c "print(f'{$conv_rate / $pandoc_rate:.0f}')")x"
else
  echo "pandoc not installed: no comparison"
fi
