#!/bin/sh
# Regenerates the bundled Latin text faces ConvSerif-{Regular,Italic,Bold,
# BoldItalic}.ttf from Charis SIL 6.101 (Debian `fonts-sil-charis`, OFL 1.1;
# "Charis" and "SIL" are Reserved Font Names, so the subsets are renamed).
# Run once at development time (needs fontTools' pyftsubset); the outputs are
# committed and compiled in (src/fonts.rs).
#
# Kept: Basic Latin, Latin-1, Latin Extended-A/B and Additional, combining
# marks, general punctuation, currency, letterlike symbols and the f-ligature
# code points. Dropped: hinting (PDF viewers and e-readers scale outlines),
# OpenType/Graphite layout tables (conv places glyphs by advance), Greek and
# Cyrillic (the CJK body face has them).
set -eu
DIR=$(dirname "$0")
SRC=${CHARIS_DIR:-/usr/share/fonts/truetype/charis}
for style in Regular Italic Bold BoldItalic; do
  out="$DIR/ConvSerif-$style.ttf"
  pyftsubset "$SRC/CharisSIL-$style.ttf" --output-file="$out" \
    --unicodes="U+0020-007E,U+00A0-024F,U+0300-036F,U+1E00-1EFF,U+2000-2027,U+202F-205E,U+20A0-20C0,U+2100-2152,U+2190-2193,U+2212,U+FB00-FB04" \
    --layout-features='' --no-hinting --name-IDs='*' --name-languages='*' \
    --notdef-outline --no-glyph-names --drop-tables+=DSIG,Feat,Glat,Gloc,Sill,Silf,Silt
  python3 - "$out" "$style" <<'PY'
import sys
from fontTools.ttLib import TTFont
path, style = sys.argv[1:3]
family = "ConvSerif"
sub = {"BoldItalic": "Bold Italic"}.get(style, style)
f = TTFont(path)
names = {1: family, 2: sub, 3: f"{family}-{style};subset", 4: f"{family} {sub}",
         6: f"{family}-{style}", 16: family, 17: sub}
name = f["name"]
name.names = [n for n in name.names if n.nameID not in names and n.nameID not in (18, 21, 22)]
for nid, value in names.items():
    name.setName(value, nid, 3, 1, 0x409)
name.setName("Subset of Charis SIL (OFL 1.1) made for conv; see fonts/subset-latin.sh", 5, 3, 1, 0x409)
f.save(path)
PY
done
ls -l "$DIR"/ConvSerif-*.ttf
