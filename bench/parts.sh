#!/bin/sh
# parts.sh - `make bench-parts`: one month of BENCH_CUSTOMERS (10,000) generated customers billed as one
# `licbill run --jobs 2` and as `licbill plan --parts 2`, both parts rendered side by side (--jobs 1 each), and
# `licbill seal`, on this machine; wall time and peak memory of each step (/usr/bin/time -v), the outputs
# compared byte for byte (tests/e2e/same_month.sh). Appends a section to bench/results.md.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_CUSTOMERS:-10000}
W=bench/work
mkdir -p "$W"
make -s licbill
# time_v TAG CMD...: run under /usr/bin/time -v into $W/TAG.time; exit codes 0 and 1 (some rejected) are fine
time_v() {
  tag=$1; shift
  rc=0
  /usr/bin/time -v "$@" >"$W/$tag.out" 2>"$W/$tag.time" || rc=$?
  [ $rc -le 1 ] || { tail -n 30 "$W/$tag.time" >&2; exit 1; }
}
secs() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.1f", s}' "$W/$1.time"; }
mib() { awk -F': ' '/Maximum resident/ {printf "%.1f", $2/1024}' "$W/$1.time"; }
if [ ! -f "$W/in-$N/.done" ]; then
  rm -rf "$W/in-$N"
  ./licbill gen --output "$W/in-$N" --customers "$N" --seed 1 --month 2026-11 >/dev/null
  touch "$W/in-$N/.done"
fi
IN=$W/in-$N
# the last sitting's outputs go when this one ends, and none is timed within 5 minutes of a clean-up
. bench/fswindow.sh
fswindow_own bench-parts "$W/one" "$W/parts"
common="--month 2026-11"
echo "bench-parts: $N customers, one run --jobs 2" >&2
time_v run ./licbill run --input "$IN" --output "$W/one" $common --issue-date 2026-12-01 --jobs 2
echo "bench-parts: plan --parts 2, render 1/2 and 2/2 side by side, seal" >&2
start=$(date +%s.%N)
time_v plan ./licbill plan --input "$IN" --output "$W/parts" $common --issue-date 2026-12-01 --parts 2
time_v render1 ./licbill render --input "$IN" --output "$W/parts" $common --part 1/2 &
p1=$!
time_v render2 ./licbill render --input "$IN" --output "$W/parts" $common --part 2/2 &
p2=$!
wait $p1
wait $p2
time_v seal ./licbill seal --input "$IN" --output "$W/parts" $common
end=$(date +%s.%N)
total=$(echo "$start $end" | awk '{printf "%.1f", $2 - $1}')
same="byte for byte the same"
sh tests/e2e/same_month.sh "$W/one" "$W/parts" 2026-11 >/dev/null || same="DIFFERENT (see tests/e2e/same_month.sh)"
parts_peak=$(for t in plan render1 render2 seal; do mib $t; echo; done | sort -n | tail -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo
  echo "## One machine, two parts (make bench-parts)"
  echo
  echo "machine: $cpu, $(nproc) cores (shared); commit $commit; $N customers; one sitting, each step once"
  echo
  echo "| how | wall s | peak MiB |"
  echo "|---|---|---|"
  echo "| \`run --jobs 2\` | $(secs run) | $(mib run) |"
  echo "| \`plan --parts 2\` | $(secs plan) | $(mib plan) |"
  echo "| \`render --part 1/2\` (side by side with 2/2) | $(secs render1) | $(mib render1) |"
  echo "| \`render --part 2/2\` | $(secs render2) | $(mib render2) |"
  echo "| \`seal\` | $(secs seal) | $(mib seal) |"
  echo "| plan + 2 parts + seal, end to end | $total | $parts_peak (largest step) |"
  echo
  echo "outputs: $same; commands: licbill gen --customers $N --seed 1 --month 2026-11; the commands above with"
  echo "--input bench/work/in-$N --month 2026-11 (--issue-date 2026-12-01 for run and plan)"
} >>bench/results.md
tail -n 16 bench/results.md
