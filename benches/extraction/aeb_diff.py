"""What conv keeps that the AEB ground truth leaves out (+) and what it
loses (-), paragraph by paragraph, for one page.

    python3 aeb_diff.py AEB_DIR OUT_DIR KEY_PREFIX [--all]

OUT_DIR holds conv's JSON outputs (score.sh with KEEP=dir keeps them in
dir/out). A paragraph is shown when most of its 4-gram shingles are
missing on the other side."""
import json, re, sys
from pathlib import Path

TOK = re.compile(r"\w+", re.UNICODE)

def shingles(t):
    toks = TOK.findall(t)
    return {tuple(toks[i:i + 4]) for i in range(max(1, len(toks) - 3))} if toks else set()

def lines(v, out):
    if isinstance(v, dict):
        if "text" in v and isinstance(v["text"], str) or "code" in v:
            pass
        parts = []
        flat(v, parts)
        out.append((str(v.get("type", "")), "".join(parts)))
    elif isinstance(v, list):
        for x in v:
            lines(x, out)

def flat(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            if k in ("text", "code") and isinstance(x, str):
                out.append(x)
            elif isinstance(x, (dict, list)):
                flat(x, out)
        out.append(" ")
    elif isinstance(v, list):
        for x in v:
            flat(x, out)

aeb, outdir, key = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
truth = json.load(open(aeb / "ground-truth.json"))
k = next(k for k in truth if k.startswith(key))
t = truth[k]["articleBody"]
doc = json.loads(next(outdir.glob(k + "*.json")).read_text())
doc = doc.get("document", doc)
paras = []
lines(doc.get("blocks", []), paras)
ts = shingles(t)
ps = shingles(" ".join(p for _, p in paras))
print(k, truth[k].get("url"))
show_all = "--all" in sys.argv
for kind, p in paras:
    s = shingles(p)
    if not TOK.search(p):
        continue
    miss = len(s - ts) / max(1, len(s))
    if miss > 0.5 or show_all:
        print(f"+ {miss:.2f} [{kind}] {p[:300]!r}")
for para in t.split("\n"):
    s = shingles(para)
    if len(TOK.findall(para)) < 4:
        continue
    miss = len(s - ps) / max(1, len(s))
    if miss > 0.5:
        print(f"- {miss:.2f} {para[:300]!r}")
