#!/bin/sh
# Regenerates fonts/ConvKai-Regular.ttf (a renamed subset of LXGW WenKai) from Debian's fonts-lxgw-wenkai.
# Run once at development time (needs fontTools' pyftsubset); the output is
# committed and compiled into conv with include_bytes!.
#
# Character set (Unicode ranges):
#   0020-007E, 00A0-00FF   Basic Latin, Latin-1 supplement
#   0100-017F              Latin Extended-A (names in articles)
#   02C6-02DD, 0300-036F   spacing modifiers, combining marks (pinyin tones)
#   0391-03C9, 0401-0451   Greek, Cyrillic basics (GB 2312 row 6-7)
#   2000-206F              General punctuation (… — “ ” ‘ ’ ·)
#   2100-218F, 2190-21FF   Letterlike, number forms, arrows
#   2200-22FF              Mathematical operators (GB 2312 row 1)
#   2460-24FF, 2500-257F   Enclosed alphanumerics, box drawing
#   25A0-25FF, 2600-26FF   Geometric shapes, misc symbols (★ ○ ☆)
#   3000-303F              CJK symbols and punctuation
#   3040-30FF              Hiragana, Katakana
#   3100-312F, 31A0-31BF   Bopomofo (Taiwanese articles)
#   3200-33FF              Enclosed CJK, CJK compatibility
#   ideographs             the CJK Unified Ideographs (U+4E00-9FFF) of GB 2312
#                          (6,763), Big5 levels 1-2 (13,061; includes Big5
#                          common, 5,401), JIS X 0213 (7,497) and KS X 1001
#                          hanja (4,620): 16,608 characters, computed below
#                          from Python's codecs. The whole basic block
#                          (20,992 in this font) gives a 13.2 MB file, over
#                          our 12 MB budget. No list of the 8,105 characters
#                          of the Table of General Standard Chinese
#                          Characters was at hand; its levels 1-2 lie inside
#                          GB 2312 and most of level 3 inside Big5/JIS.
#   FE10-FE1F, FE30-FE4F   Vertical forms, CJK compatibility forms
#   FF00-FFEF              Halfwidth and fullwidth forms
#   FFFD                   Replacement character
set -eu
IDEOGRAPHS=$(python3 - <<'PY'
def chars(codec, lead):
    out = set()
    for hi in range(lead[0], lead[1] + 1):
        for lo in range(0x40, 0xFF):
            try:
                ch = bytes([hi, lo]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and 0x4E00 <= ord(ch) <= 0x9FFF:
                out.add(ord(ch))
    return out
s = (chars("gb2312", (0xA1, 0xFE)) | chars("big5", (0xA1, 0xF9))
     | chars("euc_jis_2004", (0xA1, 0xFE)) | chars("euc_kr", (0xA1, 0xFE)))
print(",".join("U+%04X" % c for c in sorted(s)))
PY
)
SRC=${SRC:-/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf}
OUT=${OUT:-$(dirname "$0")/ConvKai-Regular.ttf}
pyftsubset "$SRC" \
  --output-file="$OUT" \
  --unicodes="U+0020-007E,U+00A0-00FF,U+0100-017F,U+02C6-02DD,U+0300-036F,U+0391-03C9,U+0401-0451,U+2000-206F,U+2100-218F,U+2190-21FF,U+2200-22FF,U+2460-24FF,U+2500-257F,U+25A0-25FF,U+2600-26FF,U+3000-303F,U+3040-30FF,U+3100-312F,U+31A0-31BF,U+3200-33FF,$IDEOGRAPHS,U+FE10-FE1F,U+FE30-FE4F,U+FF00-FFEF,U+FFFD" \
  --layout-features='kern,liga,vert,vrt2,locl' \
  --no-hinting \
  --drop-tables+=BASE,vhea,vmtx \
  --name-IDs='*' --name-legacy --name-languages='*' \
  --notdef-outline --no-glyph-names
ls -l "$OUT"
# OFL 1.1 forbids Reserved Font Names ("LXGW", "霞鹜") on modified versions,
# and a subset is a modified version: rename the family.
python3 - "$OUT" <<'PY'
import sys
from fontTools.ttLib import TTFont
path = sys.argv[1]
f = TTFont(path)
names = {1: "ConvKai", 2: "Regular", 3: "ConvKai-Regular;subset", 4: "ConvKai Regular",
         6: "ConvKai-Regular", 16: "ConvKai", 17: "Regular"}
name = f["name"]
name.names = [n for n in name.names if n.nameID not in names and n.nameID not in (18, 21, 22)]
for nid, value in names.items():
    name.setName(value, nid, 3, 1, 0x409)
name.setName("Subset of LXGW WenKai Regular (OFL 1.1) made for conv; see fonts/subset.sh", 5, 3, 1, 0x409)
f.save(path)
PY
ls -l "$OUT"
