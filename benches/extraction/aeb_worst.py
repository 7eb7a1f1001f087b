"""The worst pages of conv's AEB run, with precision and recall."""
import json, sys
sys.path.insert(0, sys.argv[1])
import evaluate as ev
from pathlib import Path
d = Path(sys.argv[1])
truth = json.load(open(d / "ground-truth.json"))
pred = json.load(open(d / "output/conv.json"))["output"]
rows = []
for k, t in truth.items():
    tp, fp, fn = ev.string_shingle_matching(t.get("articleBody", ""), pred[k]["articleBody"])
    p = ev.precision_score(tp, fp, fn); r = ev.recall_score(tp, fp, fn)
    f = 2 * p * r / (p + r) if p + r else 0
    rows.append((f, p, r, k, t.get("url", "")))
rows.sort()
print("worst pages (F1 precision recall id url):")
for f, p, r, k, u in rows[: int(sys.argv[2])]:
    print(f"{f:.3f} {p:.3f} {r:.3f} {k[:12]} {u}")
