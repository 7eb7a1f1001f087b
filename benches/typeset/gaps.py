#!/usr/bin/env python3
"""Word gaps and CJK punctuation pairs of the body lines of PDFs, measured
from glyph geometry as ../shared/tools/check-typeset does (PyMuPDF rawdict):
for Latin lines (>= 60 % ASCII letters, more than two words) the mean gap
between words in em; for adjacent full-width punctuation pairs the advance
of the first in em. Usage: gaps.py PDF..."""
import re
import statistics
import sys

import fitz

FIRST = set("，。、；：）」』】》〉")
SECOND = set("，。、；：？！）」』】》〉（「『【《〈")

for pdf in sys.argv[1:]:
    line_gaps, pairs = [], []
    for page in fitz.open(pdf):
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                chars = [c for s in line["spans"] for c in s["chars"]]
                if not chars or all("mono" in s["font"].lower() for s in line["spans"]):
                    continue
                size = max(s["size"] for s in line["spans"])
                text = "".join(c["c"] for c in chars)
                ink = [c for c in chars if c["c"] != " "]
                for a, b in zip(ink, ink[1:]):
                    if a["c"] in FIRST and b["c"] in SECOND:
                        pairs.append((b["origin"][0] - a["origin"][0]) / size)
                letters = sum(1 for c in text if c.isascii() and c.isalpha())
                words = list(re.finditer(r"\S+", text))
                if letters < 0.6 * len(text.replace(" ", "")) or len(words) <= 2:
                    continue
                gaps = [chars[w2.start()]["bbox"][0] - chars[w1.end() - 1]["bbox"][2]
                        for w1, w2 in zip(words, words[1:])]
                line_gaps.append(statistics.mean(gaps) / size)
    name = pdf.split("/")[-1]
    if line_gaps:
        print(f"{name}: {len(line_gaps)} Latin lines, mean word gap {statistics.mean(line_gaps):.3f} em "
              f"(min {min(line_gaps):.3f}, max {max(line_gaps):.3f}), "
              f"{sum(g > 0.5 for g in line_gaps)} over 0.5 em")
    if pairs:
        print(f"{name}: {len(pairs)} punctuation pairs, first of pair {statistics.mean(pairs):.2f} em "
              f"(max {max(pairs):.2f})")
