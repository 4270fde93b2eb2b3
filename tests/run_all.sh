#!/bin/sh
# run_all.sh - run test binaries, two at a time (JOBS), each one's output in one piece; then each binary's wall
# time in seconds, the slowest first, and one closing summary line.
# LICBILL_SLOW=1 (make test-slow) turns on the slow cases: every crash point, the long end-to-end runs.
set -u
cd "$(dirname "$0")/.."
export LICBILL=./build/licbill-san
# the release build, for the steps e2e_licbill_rel() (tests/support/e2e.h) names
export LICBILL_REL=./licbill
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
logs=$(mktemp -d)
# The tests' scratch folders (TMPDIR, tests/support/e2e.h): on a tmpfs when there is one with room. licbill
# fsyncs every file and folder it writes; on a disk that is most of a test's time, on a tmpfs fsync returns at
# once, and nothing a test checks depends on the disk (the crash tests kill with SIGKILL, which the page cache
# survives). LICBILL_TEST_TMP names another parent folder; TMPDIR as given is used when none fits.
scratch=""
for d in ${LICBILL_TEST_TMP:-/dev/shm}; do
  if [ -d "$d" ] && [ -w "$d" ] && [ "$(df -Pk "$d" 2>/dev/null | awk 'NR == 2 {print $4}')" -gt 262144 ] 2>/dev/null; then
    scratch=$(mktemp -d "$d/licbill-test-XXXXXX") && export TMPDIR="$scratch"
    break
  fi
done
trap 'rm -rf "$logs" ${scratch:+"$scratch"}' EXIT
i=0
for t in "$@"; do
  i=$((i + 1))
  printf '%s %s\n' "$i" "$t"
done | xargs -P "${JOBS:-2}" -L 1 sh -c \
  's=$(date +%s%N); "$2" >"$0/$1.log" 2>&1; echo $? >"$0/$1.rc"; echo $(( ($(date +%s%N) - s) / 1000000 )) >"$0/$1.ms"' \
  "$logs"
# the outputs, in the order given
passed=0
failed=0
i=0
for t in "$@"; do
  i=$((i + 1))
  echo "== $t"
  out=$(cat "$logs/$i.log" 2>/dev/null)
  rc=$(cat "$logs/$i.rc" 2>/dev/null || echo 1)
  echo "$out"
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "$t exited with $rc"
    failed=$((failed + 1))
  fi
done
# wall time per binary, the slowest first (what bounds `make test`: see TEST_LONG in GNUmakefile)
echo "== seconds"
i=0
for t in "$@"; do
  i=$((i + 1))
  printf '%s %s\n' "$(cat "$logs/$i.ms" 2>/dev/null || echo 0)" "$t"
done | sort -rn | awk '{printf "%6.1f %s\n", $1 / 1000, $2}'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
