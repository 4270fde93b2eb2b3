#!/bin/sh
# assemble.sh DIR - make DIR an input set billing the SCRT fixtures of
# tests/data/scrt: the sample's shared files (products, prices, taxes ...),
# this folder's customers, machines, licenses and receipts, one customer per
# fixture (README.md here lists who owns what), and the files of the
# fallback cases. Run from the repository's top folder.
set -eu
dir=$1
here=tests/data/scrt-billing
fx=tests/data/scrt
mkdir -p "$dir/scrt"
for f in products.csv prices.csv machine_models.csv taxes.csv value_units.csv; do cp sample/$f "$dir/"; done
head -1 sample/support.csv > "$dir/support.csv"
head -1 sample/usage.csv > "$dir/usage.csv"
cp $here/customers.csv $here/machines.csv $here/licenses.csv "$dir/"
cp $here/received.csv "$dir/scrt/"
# the layouts, under the names they came with
for f in a_e5_real.csv b_excel_resave.csv c_single_quotes.csv d_packed_lines.csv e_c5_titles_only.csv \
         f_n5_p5_n7.csv g_text_file.txt g_upper_case.CSV h_tab_separated.txt h_cr_only.csv j_old_layout.csv \
         i_multiplex.csv bad_e5_without_product_table.csv; do
  cp $fx/$f "$dir/scrt/"
done
# the same fault as bad_e5_without_product_table for another machine: no product rows
sed 's/82-E5X01/82-E5X05/' $fx/bad_e5_without_product_rows.csv > "$dir/scrt/bad_e5_without_product_rows.csv"
# a report that cannot be read at all, known by the serial in its name
printf 'This message was sent from my phone.\n' > "$dir/scrt/SCRT_82-E5X06_2026-10.csv"
# 82-E5X07: a receipt, no report (nothing to do here)
# a report sent in a format licbill does not read, known by its name
printf 'PK\003\004' > "$dir/scrt/82-e5x08 sept.xlsx"
# 82-E5X09: neither report nor receipt: full capacity, with a notice
# files nobody can be told about: reported as the run's own errors
printf '%%PDF-1.4\n' > "$dir/scrt/cover-letter.pdf"
mkdir -p "$dir/scrt/2026-09"
