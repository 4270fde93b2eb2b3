#!/bin/sh
# subset.sh - remake the two font files of this folder from Debian's DejaVu fonts.
#
# Why: each PDF embeds only the glyphs it shows (render/font.c), but a font
# is read and measured once per renderer over all its glyphs; this subset
# (Latin incl. Extended-A/B and Vietnamese, Greek, Cyrillic, punctuation,
# currency signs; 1,600 of DejaVu's 6,253 glyphs) keeps that quick. Characters
# outside it print as a visible box (and still extract as text); point
# font.regular/font.bold in ../template.conf at /usr/share/fonts/truetype/dejavu/
# to get them all.
#
# Needs: fonts-dejavu-core, python3-fonttools (Debian 12: 4.38.0).
set -eu
cd "$(dirname "$0")"
SRC=/usr/share/fonts/truetype/dejavu
UNICODES="U+0020-007E,U+00A0-024F,U+02B0-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,\
U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-2193,U+2212,U+2215,\
U+2248,U+2260,U+2264,U+2265,U+FB00-FB06,U+FFFD"
# Hinting is kept here (the per-PDF subsets drop it): libharu 2.3.0, which measures the
# font, failed on some composite glyphs of a --no-hinting subset when it embedded fonts itself.
for f in DejaVuSans DejaVuSans-Bold; do
  python3 -m fontTools.subset "$SRC/$f.ttf" --unicodes="$UNICODES" \
    --layout-features='' --no-layout-closure --notdef-outline \
    --drop-tables+=MATH,GSUB,GPOS,GDEF,kern,FFTM --output-file="$f.ttf"
done
