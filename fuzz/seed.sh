#!/bin/sh
# seed.sh NAME DIR - put the seed corpus of harness NAME into DIR: files of sample/ and tests/data/ in the
# harness's input format, and the findings kept in tests/data/fuzz/NAME/. Run by make; nothing is committed.
set -eu
cd "$(dirname "$0")/.."
name=$1
out=$2
mkdir -p "$out"

# seed FILE [FIRST-LINE]: one seed named after FILE; with FIRST-LINE, that line comes before FILE's bytes
seed() {
  [ -f "$1" ] || return 0
  dst="$out/seed-$(printf '%s%s' "${2:+$2-}" "$1" | tr '/ ' '__')"
  if [ $# -ge 2 ]; then
    { printf '%s\n' "$2"; cat "$1"; } >"$dst"
  else
    cp "$1" "$dst"
  fi
}

case $name in
scrt)
  for f in sample/scrt/*.csv tests/data/scrt/*.csv tests/data/scrt/*.txt tests/data/scrt/*.CSV \
           tests/data/bad/scrt-*.csv tests/data/ipla_seed/scrt/*-2026-10-01.csv; do
    seed "$f"
  done ;;
table)
  for f in sample/*.csv sample/scrt/received.csv tests/data/ipla_seed/*.csv tests/data/scrt-billing/*.csv \
           tests/data/bad/products-*.csv tests/data/scrt/c_single_quotes.csv tests/data/scrt/h_cr_only.csv; do
    seed "$f"
  done ;;
custfiles)
  for f in customers machines licenses support usage; do
    for d in sample tests/data/ipla_seed tests/data/scrt-billing; do
      seed "$d/$f.csv" "$f.csv"
    done
  done ;;
catalog)
  for f in products prices value_units taxes machine_models; do
    for d in sample tests/data/ipla_seed; do
      seed "$d/$f.csv" "$f.csv"
    done
  done
  seed tests/data/bad/products-without-min_msu.csv products.csv ;;
template)
  seed templates/default/template.conf ;;
scrtdir)
  seed sample/scrt/received.csv received.csv
  seed tests/data/scrt-billing/received.csv received.csv
  for f in tests/data/scrt/*.csv tests/data/scrt/*.txt tests/data/scrt/*.CSV; do
    seed "$f" "$(basename "$f")"
  done
  seed tests/data/bad/scrt-unowned-machine.csv 0A-9D099-2026-10-01.csv
  seed tests/data/bad/scrt-82-C5DC9-resent.csv 82-C5DC9-resent.csv
  seed tests/data/scrt/bad_e5_without_product_rows.csv scrt_82c5dc8.txt
  seed tests/data/scrt/i_multiplex.csv 82-C5DC8-2026-10-01.csv
  printf '82-C5DC8 sept.xlsx\n' >"$out/seed-other-file"
  printf '0A-9D001/\n' >"$out/seed-folder"
  printf 'RECEIVED.CSV\nserial,period_end,received_on,extension\n' >"$out/seed-second-receipts" ;;
*)
  echo "seed.sh: no harness $name" >&2
  exit 2 ;;
esac

if [ -d "tests/data/fuzz/$name" ]; then
  for f in "tests/data/fuzz/$name"/*; do
    [ -f "$f" ] && cp "$f" "$out/regression-$(basename "$f")"
  done
fi
exit 0
