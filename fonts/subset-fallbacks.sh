#!/bin/sh
# Regenerates the bundled fallback faces, used for characters the body font
# lacks (see src/fonts.rs): Korean Hangul and emoji/symbols.
# Run once at development time (needs fontTools' pyftsubset and Debian's
# fonts-nanum and fonts-symbola); outputs are committed and compiled in.
#
#   ConvHangul-Regular.ttf  Hangul Jamo (1100-11FF), compatibility Jamo
#                           (3130-318F), Hangul syllables (AC00-D7A3) from
#                           NanumMyeongjo (OFL 1.1, renamed: "Nanum" is a
#                           Reserved Font Name).
#   ConvSymbols-Regular.ttf Arrows (2190-21FF, 27F0-27FF, 2900-297F: the
#                           back-link arrows ↩ ⤵ of footnotes), enclosed
#                           alphanumerics (2460-24FF), geometric shapes and
#                           miscellaneous symbols (25A0-26FF),
#                           miscellaneous technical (2300-23FF), dingbats
#                           (2700-27BF), misc symbols and arrows (2B00-2BFF),
#                           emoji and pictographs (1F000-1FAFF) from Symbola
#                           ("free for any use; may be modified and
#                           redistributed"), drawn in black and white.
set -eu
DIR=$(dirname "$0")
rename() { # file family note
  python3 - "$1" "$2" "$3" <<'PY'
import sys
from fontTools.ttLib import TTFont
path, family, note = sys.argv[1:4]
f = TTFont(path)
names = {1: family, 2: "Regular", 3: f"{family}-Regular;subset", 4: f"{family} Regular",
         6: f"{family}-Regular", 16: family, 17: "Regular"}
name = f["name"]
name.names = [n for n in name.names if n.nameID not in names and n.nameID not in (18, 21, 22)]
for nid, value in names.items():
    name.setName(value, nid, 3, 1, 0x409)
name.setName(note, 5, 3, 1, 0x409)
f.save(path)
PY
}
pyftsubset "${HANGUL_SRC:-/usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf}" \
  --output-file="$DIR/ConvHangul-Regular.ttf" \
  --unicodes="U+1100-11FF,U+3130-318F,U+AC00-D7A3" \
  --no-hinting --name-IDs='*' --name-languages='*' --notdef-outline --no-glyph-names
rename "$DIR/ConvHangul-Regular.ttf" ConvHangul \
  "Subset of NanumMyeongjo (OFL 1.1) made for conv; see fonts/subset-fallbacks.sh"
pyftsubset "${SYMBOLS_SRC:-/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf}" \
  --output-file="$DIR/ConvSymbols-Regular.ttf" \
  --unicodes="U+2190-21FF,U+2300-23FF,U+2460-24FF,U+25A0-27FF,U+2900-297F,U+2B00-2BFF,U+1F000-1FAFF" \
  --no-hinting --name-IDs='*' --name-languages='*' --notdef-outline --no-glyph-names
rename "$DIR/ConvSymbols-Regular.ttf" ConvSymbols \
  "Subset of Symbola by George Douros (free for any use) made for conv; see fonts/subset-fallbacks.sh"
ls -l "$DIR"/ConvHangul-Regular.ttf "$DIR"/ConvSymbols-Regular.ttf
