#!/bin/sh
# subset.sh - remake the two font files of this folder from Debian's DejaVu fonts.
#
# Why: libharu embeds the whole TrueType tables (less unused outlines) and
# builds widths and a CID map over the whole font for every PDF. With the
# full DejaVu Sans (6,253 glyphs) that is ~190 KB and ~20 ms per invoice;
# with this subset (Latin incl. Extended-A/B and Vietnamese, Greek,
# Cyrillic, punctuation, currency signs) ~35 KB and ~5 ms. Characters
# outside the subset print as a visible box; point font.regular/font.bold
# in ../template.conf at /usr/share/fonts/truetype/dejavu/ to get them all.
#
# Needs: fonts-dejavu-core, python3-fonttools (Debian 12: 4.38.0).
set -eu
cd "$(dirname "$0")"
SRC=/usr/share/fonts/truetype/dejavu
UNICODES="U+0020-007E,U+00A0-024F,U+02B0-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,\
U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-2193,U+2212,U+2215,\
U+2248,U+2260,U+2264,U+2265,U+FB00-FB06,U+FFFD"
# Hinting is kept: with --no-hinting libharu 2.3.0 fails (HPDF_INVALID_OBJECT while
# saving) on some composite glyphs when it embeds its own glyph subset.
for f in DejaVuSans DejaVuSans-Bold; do
  python3 -m fontTools.subset "$SRC/$f.ttf" --unicodes="$UNICODES" \
    --layout-features='' --no-layout-closure --notdef-outline \
    --drop-tables+=MATH,GSUB,GPOS,GDEF,kern,FFTM --output-file="$f.ttf"
done
