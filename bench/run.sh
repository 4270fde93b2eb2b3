#!/bin/sh
# run.sh - `make bench`: licbill per customer and per page against the bare-libharu floor of the same pages,
# ReportLab and headless Chromium on the same invoice page, scaling to 100,000 customers, document sizes.
# Medians of RUNS runs taken side by side in one sitting; figures and commands written to bench/results.md.
# BENCH_CUSTOMERS (10000), BENCH_RUNS (3), BENCH_SCALES ("1000 10000 100000": each run once, all cores) override.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_CUSTOMERS:-10000}
RUNS=${BENCH_RUNS:-3}
SCALES=${BENCH_SCALES:-"1000 10000 100000"}
CORES=$(nproc)
W=bench/work
FONTS=$(pwd)/templates/default/fonts
PY=/usr/bin/python3 # Debian's python3, the one python3-reportlab installs into
mkdir -p "$W"
make -s licbill build/bench/floor build/bench/csvraw
cp build/bench/floor build/bench/csvraw "$W/"

# time_v CMD...: run under /usr/bin/time -v, print "seconds maxrss_kb"
time_v() {
  /usr/bin/time -v "$@" >"$W/out.txt" 2>"$W/time.txt" || { cat "$W/time.txt" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]}
              /Maximum resident/ {m=$2} END {printf "%.3f %d\n", s, m}' "$W/time.txt"
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# sizes DIR: "median mean p90" of the files' sizes in bytes
sizes() { ls -l "$1" | awk 'NR>1 {print $5}' | sort -n | awk '{a[NR]=$1; s+=$1} END {printf "%d %d %d\n", a[int((NR+1)/2)], s/NR, a[int(NR*0.9)]}'; }

gen() { # gen N -> $W/in-N
  if [ ! -f "$W/in-$1/.done" ]; then
    rm -rf "$W/in-$1"
    ./licbill gen --output "$W/in-$1" --customers "$1" --seed 1 --month 2026-11 >/dev/null
    touch "$W/in-$1/.done"
  fi
}

# Every run writes a folder of its own under RUNS_DIR, removed when the bench ends (bench/fswindow.sh says why).
RUNS_DIR="$W/runs"
. bench/fswindow.sh
fswindow_own bench "$RUNS_DIR"
mkdir -p "$RUNS_DIR"

gen "$N"
LINES=$(awk -F, 'NR>1 {n++} END {print n}' "$W/in-$N/licenses.csv")
printf 'bench: %s customers, %s licenses, %s runs\n' "$N" "$LINES" "$RUNS" >&2

# ---- licbill against the floor, side by side -------------------------------------------------------------
t1=""; tn=""; tf=""; tfn=""; r1=""; rn=""
for r in $(seq "$RUNS"); do
  O1="$RUNS_DIR/out1-$r"
  # one core is one core: --jobs 1 still has the main thread (numbering, ledger, fsync) and the input copy beside
  # its one renderer, so it is pinned to CPU 0, as is the 1-core floor
  set -- $(time_v taskset -c 0 ./licbill run --input "$W/in-$N" --output "$O1" --month 2026-11 --issue-date 2026-12-01 --jobs 1)
  t1="$t1 $1"; r1="$r1 $2"
  set -- $(time_v ./licbill run --input "$W/in-$N" --output "$RUNS_DIR/outn-$r" --month 2026-11 --issue-date 2026-12-01 --jobs "$CORES")
  tn="$tn $1"; rn="$rn $2"
  mkdir -p "$RUNS_DIR/floor-$r"
  ls "$O1"/2026-11/invoices/*.pdf "$O1"/2026-11/evidence/*.pdf >"$W/floor.list"
  taskset -c 0 "$W/floor" "$RUNS_DIR/floor-$r" - <"$W/floor.list" >"$W/floor.txt"
  tf="$tf $(awk '{print $6}' "$W/floor.txt")"
  # the floor on all cores: CORES floor processes side by side, each every CORES-th document; the slowest one's
  # drawing time is the time of the pages on CORES cores
  rm -f "$W"/floor.part.*
  split -n "r/$CORES" "$W/floor.list" "$W/floor.part."
  for part in "$W"/floor.part.*; do
    mkdir -p "$RUNS_DIR/floorn-$r-${part##*.}"
    "$W/floor" "$RUNS_DIR/floorn-$r-${part##*.}" - <"$part" >"$part.txt" &
  done
  wait
  tfn="$tfn $(cat "$W"/floor.part.*.txt | awk '{print $6}' | sort -n | tail -1)"
done
# the last run's output stays as bench/work/out1 (a rename, nothing deleted before the timings below)
[ ! -e "$W/out1" ] || mv "$W/out1" "$RUNS_DIR/out1.old"
mv "$O1" "$W/out1"
T1=$(echo $t1 | median); TN=$(echo $tn | median); TF=$(echo $tf | median); TFN=$(echo $tfn | median)
R1=$(echo $r1 | median); RN=$(echo $rn | median)
INV=$(awk 'END {print NR-1}' "$W/out1/2026-11/invoices.csv")
AVG=$(awk -v inv="$INV" 'END {printf "%.1f", (NR-1)/inv}' "$W/out1/2026-11/charges.csv")
PAGES=$(awk '{print $4}' "$W/floor.txt")
IPAGES=$(for f in "$W"/out1/2026-11/invoices/*.pdf; do pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}'; done | awk '{s+=$1} END {print s}')
set -- $(sizes "$W/out1/2026-11/invoices"); ISZ_MED=$1 ISZ_MEAN=$2 ISZ_P90=$3
set -- $(sizes "$W/out1/2026-11/evidence"); ESZ_MED=$1 ESZ_MEAN=$2 ESZ_P90=$3
ARCH=$(stat -c %s "$W/out1/archive/2026-11.tar.gz")
MONTH=$(du -sb "$W/out1/2026-11" | awk '{print $1}')
# the typical invoice's first page, for the peers
TYP=$(ls -l "$W"/out1/2026-11/invoices | awk 'NR>1 {print $5, $9}' | sort -n | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')
"$W/floor" --dump "$W/out1/2026-11/invoices/$TYP" 1 >"$W/page.ops"

# ---- peers on that page -----------------------------------------------------------------------------------
RL_PAGES=200; CH_PAGES=50
rl=""; c1=""; cn=""
if $PY -c 'import reportlab' 2>/dev/null; then
  for r in $(seq "$RUNS"); do
    rl="$rl $($PY bench/peers.py "$W/page.ops" reportlab $RL_PAGES "$FONTS" | awk '{print $4}')"
  done
fi
CHROMIUM=$(command -v chromium || true)
if [ -n "$CHROMIUM" ]; then
  $PY bench/peers.py "$W/page.ops" html 1 "$FONTS" "$W/page1.html"
  $PY bench/peers.py "$W/page.ops" html $CH_PAGES "$FONTS" "$W/pages.html"
  chrome() { # chrome HTML -> seconds, a fresh profile each time
    u=$(mktemp -d)
    set -- $(time_v "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --no-first-run --user-data-dir="$u" --no-pdf-header-footer \
      --print-to-pdf="$W/chromium.pdf" "file://$(pwd)/$1")
    rm -rf "$u"
    echo "$1"
  }
  for r in $(seq "$RUNS"); do
    c1="$c1 $(chrome "$W/page1.html")"
    cn="$cn $(chrome "$W/pages.html")"
  done
fi
RL=$(echo "$rl" | median); C1=$(echo "$c1" | median); CN=$(echo "$cn" | median)

# ---- parse throughput: `licbill check` (parse + price, no render) vs libcsv raw over the same bytes ----------
BYTES=$(cat "$W/in-$N"/*.csv "$W/in-$N"/scrt/*.csv | wc -c)
pc=""; rc=""
for r in $(seq "$RUNS"); do
  set -- $(time_v ./licbill check --input "$W/in-$N" --month 2026-11 --issue-date 2026-12-01); pc="$pc $1"
  set -- $(time_v "$W/csvraw" "$W/in-$N"/*.csv "$W/in-$N"/scrt/*.csv); rc="$rc $1"
done
PC=$(echo $pc | median); RC=$(echo $rc | median)

# ---- scaling: each size once, all cores -------------------------------------------------------------------
SC=""
for s in $SCALES; do
  gen "$s"
  set -- $(time_v ./licbill run --input "$W/in-$s" --output "$RUNS_DIR/outs-$s" --month 2026-11 --issue-date 2026-12-01 --jobs "$CORES")
  SC="$SC
| $s | $1 | $(awk -v t="$1" -v s="$s" 'BEGIN {printf "%.2f", t * 1000 / s}') | $(awk -v m="$2" 'BEGIN {printf "%.1f", m / 1024}') | \`licbill run --jobs $CORES\` |"
done

awk -v inv="$INV" -v avg="$AVG" -v pages="$PAGES" -v ipages="$IPAGES" -v t1="$T1" -v tn="$TN" -v tf="$TF" -v tfn="$TFN" \
    -v r1="$R1" -v rn="$RN" -v cores="$CORES" -v runs="$RUNS" -v rl="$RL" -v rlp="$RL_PAGES" -v c1="$C1" -v cn="$CN" \
    -v chp="$CH_PAGES" -v isz="$ISZ_MED $ISZ_MEAN $ISZ_P90" -v esz="$ESZ_MED $ESZ_MEAN $ESZ_P90" -v arch="$ARCH" \
    -v month="$MONTH" -v bytes="$BYTES" -v pc="$PC" -v rc="$RC" -v sc="$SC" -v n="$N" \
    -v commit="$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')" \
    -v cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
    -v kernel="$(uname -r)" -v date="$(date -u +%Y-%m-%d)" 'BEGIN {
  split(isz, I, " "); split(esz, E, " ")
  ppc = pages / inv; fpp = tf / pages
  printf "# licbill benchmark\n\n"
  printf "machine: %s, %d cores, Linux %s; commit %s; %s; medians of %d runs taken side by side (`make bench`)\n\n", cpu, cores, kernel, commit, date, runs
  printf "Workload: `licbill gen --customers %d --seed 1 --month 2026-11`: %d invoices, %.1f lines each on average, %d pages (%.1f a customer: %d invoice pages, %d evidence pages).\n\n", n, inv, avg, pages, ppc, ipages, pages - ipages
  printf "| figure | value | command |\n|---|---|---|\n"
  printf "| licbill, 1 core | %.2f s: %.2f ms a customer, %.3f ms a page; peak %.1f MiB | `taskset -c 0 licbill run --jobs 1` (parse, rules, ledger, invoice, evidence, archive) |\n", t1, t1*1000/inv, t1*1000/pages, r1/1024
  printf "| licbill, %d cores | %.2f s: %.2f ms a customer, %.3f ms a page per core; peak %.1f MiB | `licbill run --jobs %d` |\n", cores, tn, tn*1000/inv, tn*cores*1000/pages, rn/1024, cores
  printf "| floor: bare libharu, same pages | %.2f s: %.3f ms a page, %.2f ms a customer | `bench/floor`: every page of the run redrawn with libharu, base-14 fonts, its own zlib, nothing else; `taskset -c 0` |\n", tf, fpp*1000, tf*1000/inv
  printf "| floor on %d cores, same pages | %.2f s: %.3f ms a page per core (%.2f times the 1-core floor'"'"'s) | %d `bench/floor` processes side by side, each every %d-th document; the slowest one'"'"'s time |\n", cores, tfn, tfn*cores*1000/pages, tfn*cores/tf, cores, cores
  printf "| **ratio licbill / floor, a page per core** | **%.2f** with 1 core; with %d: **%.2f** against the floor on %d cores, %.2f against the 1-core floor (goal <= 3) | licbill'"'"'s time a page times the cores it had, over the floor'"'"'s on as many cores |\n", t1/tf, cores, tn/tfn, cores, tn*cores/tf
  if (rl != "") printf "| ReportLab 3.6, same invoice page | %.2f ms a page (ratio to the floor %.1f, to licbill %.1f) | `bench/peers.py reportlab`: %d pages in one process, DejaVu Sans embedded |\n", rl*1000/rlp, rl/rlp/fpp, rl/rlp/(t1/pages), rlp
  if (c1 != "") printf "| headless Chromium, same invoice page | %.0f ms for one page (a fresh browser), %.1f ms a page in a %d-page document (ratio to the floor %.0f) | `chromium --headless --print-to-pdf`, a fresh --user-data-dir |\n", c1*1000, (cn-c1)*1000/(chp-1), chp, (cn-c1)/(chp-1)/fpp
  printf "| invoice PDF size | median %.1f KB, mean %.1f KB, p90 %.1f KB (goal <= 20 KB) | PDF/A-1b, fonts embedded as subsets |\n", I[1]/1000, I[2]/1000, I[3]/1000
  printf "| evidence PDF size | median %.1f KB, mean %.1f KB, p90 %.1f KB (goal <= 40 KB) | |\n", E[1]/1000, E[2]/1000, E[3]/1000
  printf "| month folder / archive | %.1f MB / %.1f MB (%.1f KB a customer) | PDFs stored, CSVs deflated in one gzip stream |\n", month/1e6, arch/1e6, arch/inv/1000
  printf "| parse+price (`check`) | %.1f MB/s over %.1f MB | `licbill check` |\n", bytes/pc/1e6, bytes/1e6
  printf "| libcsv raw on the same bytes | %.1f MB/s (ratio %.2f) | `bench/csvraw` |\n", bytes/rc/1e6, pc/rc
  printf "\n## Scaling (all cores, each size once)\n\n| customers | seconds | ms a customer | peak MiB | command |\n|---|---|---|---|---|%s\n", sc
  printf "\nThe floor deflates with libharu'"'"'s zlib; licbill deflates page content with libdeflate (render/pdfa.c), which is part of why it is fast. The peers draw the typical invoice'"'"'s first page from its drawing operations (`floor --dump`), text in DejaVu Sans (bold and regular may be swapped: the page'"'"'s font resources are not read).\n"
}' > bench/results.md
cat bench/results.md
