#!/usr/bin/env bash
# Hostile-input figures (issue 9): time and peak RSS of the release binary on
# generated inputs, each at two sizes, so growth can be judged linear or not.
# The adversarial tests (tests/it/adversarial.rs) check the outputs; this
# script only measures.
#
#   benches/adversarial.sh            # prints one line per case and size
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/conv

gen() { # case size file
  python3 - "$1" "$2" "$3" <<'PY'
import sys, zlib, struct
case, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
head = "---\ntitle: Case\n---\n"
def png(w, h):
    raw = b"".join(b"\x00" + b"\x80" * w for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
if case == "headings":
    body = "".join(f"<h2>Heading {i}</h2><p>text {i}</p>" for i in range(n))
elif case == "links":
    body = "<p>" + " ".join(f'<a href="https://e.com/{i}">l{i}</a>' for i in range(n)) + "</p>"
elif case == "tags":
    head = "---\ntitle: Case\ntags:\n" + "".join(f"  - tag{i % (n // 2)}\n" for i in range(n)) + "---\n"
    body = "<p>x</p>"
elif case == "nested-divs":
    body = "<p>start</p>" + "<div>" * n + "deep" + "</div>" * n + "<p>end</p>"
elif case == "elements":
    body = "<b>x</b>" * n
elif case == "long-link":
    body = f'<p>a <a href="https://e.com/{"x" * n}">link</a> b</p>'
elif case == "yaml-alias":
    head = "---\ntitle: Bomb\na0: &a0 [" + ",".join(['"lol"'] * 9) + "]\n"
    for i in range(1, n):
        head += f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]\n"
    head += "---\n"
    body = "<p>body</p>"
elif case == "repeated-image":
    open(out + ".png", "wb").write(png(n, n))
    name = out.rsplit("/", 1)[1] + ".png"
    body = "".join(f'<p><img src="{name}"></p>' for _ in range(10))
open(out, "w").write(head + body + "\n")
PY
}

run() { # label args...
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$bin" "$@" -q --offline >/dev/null 2>"$work/err" || true
  end=$(date +%s.%N)
  printf '%-34s %8.2f s %8d KB  %s\n' "$label" "$(echo "$end - $start" | bc)" \
    "$(tail -1 "$work/rss")" "$(head -c 120 "$work/err" | tr '\n' ' ')"
}

for spec in "headings 5000 pdf" "headings 10000 pdf" "headings 40000 pdf" \
            "links 50000 pdf" "links 100000 pdf" "links 100000 epub" \
            "tags 50000 epub" "tags 100000 epub" \
            "nested-divs 50000 txt" "nested-divs 100000 txt" \
            "elements 500000 txt" "elements 1000000 txt" \
            "long-link 200000 pdf" "long-link 300000 pdf" \
            "yaml-alias 6 txt" "yaml-alias 8 txt" \
            "repeated-image 4000 pdf" "repeated-image 11000 pdf"; do
  set -- $spec
  gen "$1" "$2" "$work/$1-$2.html"
  run "$1 ×$2 → $3" "$work/$1-$2.html" -t "$3" -o "$work/out.$3"
done
# The tiny page: the running header must stop shortening (was an endless loop).
gen headings 20 "$work/tiny.html"
run "tiny page 40x40mm, 14 pt" "$work/tiny.html" --page 40x40mm --font-size 14 -o "$work/tiny.pdf"
run "font size 60" "$work/tiny.html" --font-size 60 -o "$work/big.pdf"
# Reading /dev/zero through an image, and as the input itself.
printf -- '---\ntitle: Z\n---\n<p><img src="file:///dev/zero"></p>\n' >"$work/zero.html"
run "img src=file:///dev/zero" "$work/zero.html" -t epub -o "$work/zero.epub"
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$work/rss" "$bin" - -t txt -o - </dev/zero >/dev/null 2>"$work/err" || true
printf '%-34s %8.2f s %8d KB  %s\n' "stdin from /dev/zero" "$(echo "$(date +%s.%N) - $start" | bc)" \
  "$(tail -1 "$work/rss")" "$(head -c 120 "$work/err" | tr '\n' ' ')"
