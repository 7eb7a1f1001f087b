#!/usr/bin/env bash
# Memory of a bundle with pictures (issue 13): N articles (default 10,000),
# each with one picture of its own served over HTTP on 127.0.0.1, bundled
# into one EPUB and one PDF for a device profile. Prints wall time, peak
# memory (max RSS) and book size, so two sizes show how memory grows.
#
#   benches/bundle-images.sh [N] [DEVICE] [BIN]
#
# The pictures are 24 generated noisy 800x600 PNGs (they do not compress
# away), each served under every URL with a band of bars spelling the
# article's number and a text chunk naming the URL, so every article's
# picture is its own, before and after it is fitted to the device, and is
# fetched, decoded, fitted and re-encoded like a real one.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
device=${2:-kindle}
bin=${3:-}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=target/release/conv
fi

python3 - "$work" <<'PY' &
import http.server, os, random, struct, sys, zlib
work = sys.argv[1]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
bases = []
W, H, BAND = 800, 600, 40
for k in range(24):
    # 800x600: a vertical gradient with 3 bits of noise (as a photo, it
    # does not compress away), each picture a different tint. The last 40
    # rows are left for a band of bars that spells the article's number,
    # so no two articles' pictures are alike even once fitted and greyed
    # (a book stores equal pictures once).
    tables = [bytes((((b >> 5) + t + 11 * k) & 255) for b in range(256)) for t in range(256)]
    rows = b"".join(b"\0" + os.urandom(W * 3).translate(tables[y * 200 // H]) for y in range(H - BAND))
    ihdr = struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)
    z = zlib.compressobj(6)
    head = z.compress(rows) + z.flush(zlib.Z_SYNC_FLUSH)
    bases.append((b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr), z, head))
def picture(n, url):
    sig, z, head = bases[n % len(bases)]
    bar = bytes(40 if (n >> (x // 50)) & 1 else 215 for x in range(W) for _ in range(3))
    z = z.copy()
    idat = head + z.compress((b"\0" + bar) * BAND) + z.flush()
    return sig + chunk(b"tEXt", b"url\x00" + url) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
class Images(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        n = int("".join(c for c in self.path if c.isdigit()) or 0)
        body = picture(n, self.path.encode())
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Images)
open(f"{work}/port", "w").write(str(server.server_address[1]))
server.serve_forever()
PY
server=$!
while [ ! -s "$work/port" ]; do sleep 0.5; done
port=$(cat "$work/port")

mkdir -p "$work/in"
python3 - "$work/in" "$n" "$port" <<'PY'
import sys
out, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(n):
    with open(f"{out}/a{i:05}.html", "w", encoding="utf-8") as f:
        f.write(f"---\ntitle: 第{i}篇 文章\ndate: 2022-02-{i % 28 + 1:02}\ncategories: [c{i % 7}]\n---\n"
                f"<p>这是第{i}篇文章的第一段，说一件事。</p>"
                f"<p><img src=\"http://127.0.0.1:{port}/img/{i}.png\" alt=\"图{i}\"></p>"
                f"<p>Paragraph {i} in English, with a few words more to wrap.</p>\n")
PY
echo "corpus: $n articles, each with its own picture (800x600 PNG, ~$(( $(curl -s "http://127.0.0.1:$port/img/1.png" | wc -c) / 1024 )) KB), device $device"

for fmt in ${FORMATS:-epub pdf}; do
  out="$work/bundle.$fmt"
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" "$work/in" --bundle --device "$device" -o "$out" -q ${CONV_FLAGS:-} || true
  read -r secs kb < "$work/time"
  echo "bundle $fmt: $n articles in $secs s, peak RSS $((kb / 1024)) MB, book $(du -m "$out" | cut -f1) MB"
done
