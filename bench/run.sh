#!/bin/sh
# run.sh - `make bench`: invoices per second, peak memory, ratio to the libharu floor, parse rate.
# Medians of RUNS runs taken side by side; figures written to bench/results.md.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_CUSTOMERS:-10000}
RUNS=${BENCH_RUNS:-3}
SCALES=${BENCH_SCALES:-"1000 10000"}
CORES=$(nproc)
W=bench/work
mkdir -p "$W"
make -s licbill build/bench/floor build/bench/csvraw
cp build/bench/floor build/bench/csvraw "$W/"

# time_v CMD...: run under /usr/bin/time -v, print "seconds maxrss_kb"
time_v() {
  /usr/bin/time -v "$@" >/dev/null 2>"$W/time.txt" || { cat "$W/time.txt" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]}
              /Maximum resident/ {m=$2} END {printf "%.3f %d\n", s, m}' "$W/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

gen() { # gen N -> $W/in-N
  if [ ! -f "$W/in-$1/.done" ]; then
    rm -rf "$W/in-$1"
    ./licbill gen --output "$W/in-$1" --customers "$1" --seed 1 --month 2026-11
    touch "$W/in-$1/.done"
  fi
}

gen "$N"
LINES=$(awk -F, 'NR>1 {n++} END {print n}' "$W/in-$N/licenses.csv")
printf 'bench: %s customers, %s licenses\n' "$N" "$LINES"

run_t=""; run_all=""; floor_t=""; rss1=""; rssall=""
for r in $(seq "$RUNS"); do
  rm -rf "$W/out1" "$W/outn" "$W/floor-out"
  set -- $(time_v ./licbill run --input "$W/in-$N" --output "$W/out1" --month 2026-11 --issue-date 2026-12-01 --jobs 1)
  run_t="$run_t $1"; rss1="$rss1 $2"
  set -- $(time_v ./licbill run --input "$W/in-$N" --output "$W/outn" --month 2026-11 --issue-date 2026-12-01 --jobs "$CORES")
  run_all="$run_all $1"; rssall="$rssall $2"
  INV=$(awk 'END {print NR-1}' "$W/out1/2026-11/invoices.csv")
  AVG=$(awk -v inv="$INV" 'END {printf "%d", (NR-1)/inv + 0.5}' "$W/out1/2026-11/charges.csv")
  set -- $(time_v "$W/floor" "$W/floor-out" "$INV" "$AVG")
  floor_t="$floor_t $1"
done
T1=$(echo $run_t | tr ' ' '\n' | median)
TN=$(echo $run_all | tr ' ' '\n' | median)
TF=$(echo $floor_t | tr ' ' '\n' | median)
R1=$(echo $rss1 | tr ' ' '\n' | median)
RN=$(echo $rssall | tr ' ' '\n' | median)

# parse throughput: `licbill check` (parse + price, no render) vs libcsv raw over the same bytes
BYTES=$(cat "$W/in-$N"/*.csv "$W/in-$N"/scrt/*.csv | wc -c)
pc=""; rc=""
for r in $(seq "$RUNS"); do
  set -- $(time_v ./licbill check --input "$W/in-$N" --month 2026-11 --issue-date 2026-12-01); pc="$pc $1"
  set -- $(time_v "$W/csvraw" "$W/in-$N"/*.csv "$W/in-$N"/scrt/*.csv); rc="$rc $1"
done
PC=$(echo $pc | tr ' ' '\n' | median)
RC=$(echo $rc | tr ' ' '\n' | median)

# scaling: time and peak memory by customers
SC=""
for s in $SCALES; do
  if [ "$s" = "$N" ]; then
    SC="$SC
| $s | $T1 | $R1 |"
    continue
  fi
  gen "$s"
  rm -rf "$W/outs"
  set -- $(time_v ./licbill run --input "$W/in-$s" --output "$W/outs" --month 2026-11 --issue-date 2026-12-01 --jobs 1)
  SC="$SC
| $s | $1 | $2 |"
done

awk -v inv="$INV" -v t1="$T1" -v tn="$TN" -v tf="$TF" -v r1="$R1" -v rn="$RN" -v cores="$CORES" \
    -v avg="$AVG" -v bytes="$BYTES" -v pc="$PC" -v rc="$RC" -v commit="$(git rev-parse --short HEAD 2>/dev/null || echo none)" \
    -v cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" -v sc="$SC" -v runs="$RUNS" 'BEGIN {
  printf "# licbill benchmark\n\nmachine: %s, %d cores; commit %s; medians of %d runs\n\n", cpu, cores, commit, runs
  printf "| figure | value |\n|---|---|\n"
  printf "| invoices | %d (avg %d lines) |\n", inv, avg
  printf "| run --jobs 1 | %.2f s, %.0f invoices/s, peak %.1f MiB |\n", t1, inv/t1, r1/1024
  printf "| run --jobs %d | %.2f s, %.0f invoices/s (%.0f per core), peak %.1f MiB |\n", cores, tn, inv/tn, inv/tn/cores, rn/1024
  printf "| libharu floor (same pages, 1 core) | %.2f s, %.0f invoices/s |\n", tf, inv/tf
  printf "| ratio licbill / floor (1 core) | %.2f (goal <= 2) |\n", t1/tf
  printf "| parse+price (`check`) | %.1f MB/s over %.1f MB |\n", bytes/pc/1e6, bytes/1e6
  printf "| libcsv raw on the same bytes | %.1f MB/s (ratio %.2f) |\n", bytes/rc/1e6, pc/rc
  printf "\n## Scaling (run --jobs 1)\n\n| customers | seconds | peak KiB |\n|---|---|---|%s\n", sc
  printf "\ncommands: licbill gen --customers N --seed 1; licbill run --jobs 1|%d; bench/floor; licbill check; bench/csvraw\n", cores
}' > bench/results.md
cat bench/results.md
