#!/bin/sh
# run.sh SECONDS NAME... - run each harness for SECONDS seconds, one after the other (one process each);
# exit 1 when any of them finds a crash, a leak, a hang, undefined behaviour or a broken promise.
# Corpus: build/fuzz/corpus/NAME/ (grows); findings: build/fuzz/findings/NAME/; logs: build/fuzz/logs/.
set -u
cd "$(dirname "$0")/.."
secs=$1
shift
failed=""
mkdir -p build/fuzz/logs
for n in "$@"; do
  mkdir -p "build/fuzz/findings/$n" "build/fuzz/corpus/$n"
  dict=""
  [ -f "fuzz/$n.dict" ] && dict="-dict=fuzz/$n.dict"
  log="build/fuzz/logs/$n.log"
  # stdin from /dev/null: a path in a fuzzed file that names the terminal never blocks a run
  # shellcheck disable=SC2086
  UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    "build/fuzz/$n" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/findings/$n/" $dict "build/fuzz/corpus/$n" </dev/null >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $n: ${runs:-?} inputs in ${secs} s, nothing found"
  else
    echo "fuzz $n: FAILED (exit $rc) after ${runs:-?} inputs; the end of $log, without the progress lines:"
    grep -v '^#[0-9]' "$log" | tail -n 40
    failed="$failed $n"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: findings in:$failed (reproduce with build/fuzz/NAME build/fuzz/findings/NAME/FILE)"
  exit 1
fi
echo "fuzz: $# harnesses, nothing found"
