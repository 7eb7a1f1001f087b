"""conv on Mozilla Readability's test pages: metadata agreement with
expected-metadata.json (where it gives a value) and text overlap
(4-gram shingle F1, as AEB scores) with expected.html."""
import collections, html, json, re, subprocess, sys
from pathlib import Path

conv, root = sys.argv[1], Path(sys.argv[2])
TOK = re.compile(r"\w+", re.UNICODE)

def shingles(t):
    toks = TOK.findall(t)
    return collections.Counter(tuple(toks[i:i + 4]) for i in range(max(1, len(toks) - 3)))

def f1(a, b):
    x, y = shingles(a), shingles(b)
    tp = sum((x & y).values())
    p = tp / max(1, sum(y.values())); r = tp / max(1, sum(x.values()))
    return 2 * p * r / (p + r) if p + r else 0.0

def norm(s):
    return "".join(c.lower() for c in s if c.isalnum())

def strip_tags(h):
    h = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", h)
    return html.unescape(re.sub(r"<[^>]+>", " ", h))

def text(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            if k in ("text", "code") and isinstance(x, str):
                out.append(x)
            elif isinstance(x, (dict, list)):
                text(x, out)
        out.append(" ")
    elif isinstance(v, list):
        for x in v:
            text(x, out)

checks = {"title": [0, 0], "byline": [0, 0], "lang": [0, 0], "publishedTime": [0, 0]}
overlaps = {}
misses = []
for d in sorted(p for p in root.iterdir() if (p / "source.html").exists()):
    exp = json.loads((d / "expected-metadata.json").read_text())
    r = subprocess.run([conv, "-q", "--extract", str(d / "source.html"), "-t", "json", "-o", "-"],
                       capture_output=True)
    try:
        doc = json.loads(r.stdout)
        doc = doc.get("document", doc)
    except Exception:
        doc = {}
    meta = doc.get("meta", {})
    got = {
        "title": meta.get("title") or "",
        "byline": ", ".join(meta.get("authors", [])),
        "lang": meta.get("language") or "",
        "publishedTime": (meta.get("date") or {}).get("iso") or (meta.get("date") or {}).get("raw") or "",
    }
    for k in checks:
        want = exp.get(k)
        if not want:
            continue
        g = got[k]
        if k == "lang":
            ok = g.lower().split("-")[0] == want.lower().split("-")[0]
        elif k == "publishedTime":
            ok = g[:10] == want[:10]
        else:
            a, b = norm(g), norm(want)
            ok = bool(a) and (a == b or a in b or b in a)
        checks[k][0] += ok
        checks[k][1] += 1
        if not ok:
            misses.append(f"{d.name}: {k} want {want!r} got {g!r}")
    out = []
    text(doc.get("blocks", []), out)
    overlaps[d.name] = f1(strip_tags((d / "expected.html").read_text(errors="replace")), "".join(out))

total = sum(c[0] for c in checks.values()), sum(c[1] for c in checks.values())
print(f"mozilla pages: {len(overlaps)}")
for k, (ok, n) in checks.items():
    print(f"  {k:<14} {ok}/{n} agree ({100 * ok / max(1, n):.0f} %)")
print(f"  all fields     {total[0]}/{total[1]} ({100 * total[0] / max(1, total[1]):.1f} %)")
vals = sorted(overlaps.values())
print(f"  text overlap with expected.html: mean {sum(vals) / len(vals):.3f}, median {vals[len(vals) // 2]:.3f}")
for name in ("gmw", "qq", "youth", "pixnet"):
    if name in overlaps:
        print(f"  {name}: overlap {overlaps[name]:.3f}")
print("  lowest overlap:", ", ".join(f"{k} {v:.2f}" for k, v in sorted(overlaps.items(), key=lambda x: x[1])[:10]))
if "-v" in sys.argv:
    print("\n".join(misses))
