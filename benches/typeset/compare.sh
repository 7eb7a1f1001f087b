#!/bin/bash
# Sets the same English and the same Chinese paragraph of the shared corpus
# with xelatex + xeCJK and with conv, at conv's A5 measure (334.5 pt) and
# 11 pt on 17.6 pt, with conv's own fonts, and measures both PDFs with
# check-typeset and gaps.py. The corpus text is read at run time, never
# copied into the repository; outputs go to $OUT (default /tmp/typeset-compare).
# Needs: xelatex with xeCJK (Debian: texlive-xetex texlive-lang-chinese),
# python3-fitz (pymupdf), a built conv (CONV=path, default target/release/conv).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
CONV=${CONV:-$ROOT/target/release/conv}
OUT=${OUT:-/tmp/typeset-compare}
mkdir -p "$OUT"
# name | corpus file | the paragraph's first words | language
PARAS="en|065_phoronix.txt|FreeBSD 13.0 brings improvements|en
zh|043_aiyanxishe.txt|摘要 ：根据用户和他们评论的产品|zh"
while IFS='|' read -r name file start lang; do
  python3 - "$SHARED/corpus/$file" "$start" > "$OUT/$name.txt" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
i = text.index(sys.argv[2])
para = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text[i:text.index("<", i)])))
print(para.strip())
PY
  # conv: the paragraph alone, a one-word title, the language given
  printf -- '---\ntitle: %s\nlang: %s\n---\n\n%s\n' "$name" "$lang" "$(cat "$OUT/$name.txt")" > "$OUT/$name.md"
  "$CONV" "$OUT/$name.md" -o "$OUT/$name-conv.pdf" --page a5 --font-size 11 2>/dev/null
  # xelatex: the same text, TeX-escaped
  python3 -c 'import sys; t=open(sys.argv[1]).read(); [t:=t.replace(a,b) for a,b in (("\\","\\textbackslash{}"),("&","\\&"),("%","\\%"),("_","\\_"),("#","\\#"),("$","\\$"))]; print(t)' "$OUT/$name.txt" > "$OUT/$name.tex.in"
  indent=0pt; [ "$lang" = zh ] && indent=22pt
  (cd "$OUT" && xelatex -interaction=batchmode -jobname="$name-xelatex" \
    "\\def\\fontdir{$ROOT/fonts/}\\def\\parafile{$name.tex.in}\\def\\paraindent{$indent}\\input{$HERE/compare.tex}" > /dev/null)
done <<< "$PARAS"
for name in en zh; do
  for tool in xelatex conv; do
    pdf="$OUT/$name-$tool.pdf"
    echo "== $name $tool"
    "$SHARED/tools/check-typeset" --label "$name-$tool" "$pdf" | tail -1 || true
    python3 "$HERE/gaps.py" "$pdf"
  done
done
