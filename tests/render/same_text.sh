#!/bin/sh
# same_text.sh - do two billed months read the same? `pdftotext -layout` of every invoice and evidence PDF
# of OLD/YYYY-MM against NEW/YYYY-MM, and poppler silent (no warning) on every PDF of NEW.
# Usage: tests/render/same_text.sh OLD_MONTH_DIR NEW_MONTH_DIR   (e.g. /tmp/before/2026-11 out/2026-11)
set -eu
old=$1 new=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
for f in "$new"/invoices/*.pdf "$new"/evidence/*.pdf; do
  rel=${f#"$new"/}
  if [ ! -f "$old/$rel" ]; then echo "only in $new: $rel"; bad=$((bad + 1)); continue; fi
  # the evidence cover prints the invoice PDF's hash, which changes with its bytes
  pdftotext -layout -enc UTF-8 "$old/$rel" - 2>/dev/null | sed "/Invoice PDF sha256/s/[0-9a-f]\{64\}/HASH/" >"$tmp/old.txt"
  pdftotext -layout -enc UTF-8 "$f" - 2>"$tmp/err.txt" | sed "/Invoice PDF sha256/s/[0-9a-f]\{64\}/HASH/" >"$tmp/new.txt"
  pdfinfo "$f" >/dev/null 2>>"$tmp/err.txt"
  pdffonts "$f" >/dev/null 2>>"$tmp/err.txt"
  if [ -s "$tmp/err.txt" ]; then echo "poppler warns on $rel:"; sed 's/^/  /' "$tmp/err.txt"; bad=$((bad + 1)); fi
  if ! cmp -s "$tmp/old.txt" "$tmp/new.txt"; then
    echo "text differs: $rel"; diff "$tmp/old.txt" "$tmp/new.txt" | head -20; bad=$((bad + 1))
  fi
  n=$((n + 1))
done
echo "same_text: $n PDFs, $bad problems"
[ "$bad" -eq 0 ]
