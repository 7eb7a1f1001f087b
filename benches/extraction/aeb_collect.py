"""conv's JSON outputs (one per page) → an AEB prediction file."""
import json, sys
from pathlib import Path

def text(v, out):
    if isinstance(v, dict):
        if v.get("type") == "figure":
            if CAPTIONS:
                text(v.get("caption", []), out)
            return
        for k, x in v.items():
            if k in ("text", "code") and isinstance(x, str):
                out.append(x)
            elif isinstance(x, (dict, list)):
                text(x, out)
            out.append(" ") if k in ("content", "blocks", "items") else None
    elif isinstance(v, list):
        for x in v:
            text(x, out)
            out.append("\n")

def body(path):
    try:
        doc = json.loads(path.read_text())
    except Exception:
        return ""
    doc = doc.get("document", doc)
    out = []
    text(doc.get("blocks", []), out)
    return "".join(out)

# `--no-captions`: score the running text without figure captions (the
# ground truth leaves most captions out).
CAPTIONS = "--no-captions" not in sys.argv
truth = json.load(open(sys.argv[1]))
outdir = Path(sys.argv[2])
pred = {}
for key in truth:
    cands = list(outdir.glob(key + "*.json"))
    pred[key] = {"articleBody": body(cands[0]) if cands else ""}
json.dump({"version": "conv", "output": pred}, open(sys.argv[3], "w"), ensure_ascii=False)
