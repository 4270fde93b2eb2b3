#!/bin/sh
# test_slurm.sh - a generated month (200 customers) billed through a real one-node Slurm cluster (Debian's
# munge, slurmctld, slurmd; scripts/slurm-up.sh) with scripts/slurm/bill.sh, byte for byte what one
# `licbill run` gives; then a part lost after its task ran makes the seal job fail (exit 4), and the part's
# task submitted again lets a second seal complete the month. `make test-slurm`; run as root or with sudo.
set -eu
cd "$(dirname "$0")/../.."
LICBILL=${LICBILL:-$(pwd)/build/licbill-san}
CUSTOMERS=${CUSTOMERS:-200}
PARTS=${PARTS:-4}
M=2026-11
T=$(mktemp -d /tmp/lb-slurm-XXXXXX)
down() { sh scripts/slurm-down.sh "$T/slurm" || true; rm -rf "$T"; }
trap down EXIT
fail() { echo "test_slurm: FAILED: $*"; for f in "$T"/many/.slurm/*.out; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done; exit 1; }

eval "$(sh scripts/slurm-up.sh "$T/slurm")"
export SLURM_CONF
"$LICBILL" gen --output "$T/in" --customers "$CUSTOMERS" --month $M >/dev/null
# the single machine
rc=0
"$LICBILL" run --input "$T/in" --output "$T/one" --month $M --issue-date 2026-12-01 --jobs 2 2>/dev/null || rc=$?
[ $rc -le 1 ] || fail "the single run exited $rc"

# 1. the month through Slurm: plan -> array of $PARTS renders -> seal
rc=0
sh scripts/slurm/bill.sh --input "$T/in" --output "$T/many" --month $M --issue-date 2026-12-01 --parts "$PARTS" \
  --licbill "$LICBILL" --wait || rc=$?
[ $rc -le 1 ] || fail "the seal job exited $rc"
n=$(ls "$T"/many/.slurm/render-*_*.out | wc -l)
[ "$n" -eq "$PARTS" ] || fail "$n render tasks ran, expected $PARTS"
sh tests/e2e/same_month.sh "$T/one" "$T/many" $M || fail "the month billed through Slurm differs from one run"
"$LICBILL" verify --output "$T/many" >/dev/null || fail "verify"
echo "test_slurm: $CUSTOMERS customers in $PARTS parts through Slurm: byte for byte the single run"

# 2. a part lost after its task succeeded: the seal job refuses (exit 4) with the list; the task again, then seal
"$LICBILL" plan --input "$T/in" --output "$T/lost" --month $M --issue-date 2026-12-01 --parts 2 >/dev/null 2>&1 || true
mkdir -p "$T/lost/.slurm"
job=$(sbatch --parsable --array=1-2 --output="$T/lost/.slurm/render-%A_%a.out" \
  --wrap="$LICBILL render --input $T/in --output $T/lost --month $M --part \$SLURM_ARRAY_TASK_ID/2")
rc=0
sbatch --wait --dependency=afterok:"$job" --kill-on-invalid-dep=yes --output="$T/lost/.slurm/seal-before.out" \
  --wrap="rm $T/lost/.parts/$M/part-2-of-2.done && $LICBILL seal --input $T/in --output $T/lost --month $M" \
  >/dev/null || rc=$?
[ $rc -eq 4 ] || fail "the seal without part 2 exited $rc, expected 4"
grep -q "part 2/2 has not finished" "$T/lost/.slurm/seal-before.out" || fail "the seal did not name part 2/2"
rc=0
job=$(sbatch --parsable --output="$T/lost/.slurm/render-again.out" \
  --wrap="$LICBILL render --input $T/in --output $T/lost --month $M --part 2/2")
sbatch --wait --dependency=afterok:"$job" --kill-on-invalid-dep=yes --output="$T/lost/.slurm/seal-after.out" \
  --wrap="$LICBILL seal --input $T/in --output $T/lost --month $M" >/dev/null || rc=$?
[ $rc -le 1 ] || fail "the seal after part 2 again exited $rc"
sh tests/e2e/same_month.sh "$T/one" "$T/lost" $M || fail "the month sealed after a part was rendered again differs"
echo "test_slurm: a lost part stopped the seal (exit 4); rendered again, the seal gave the single run"
echo "test_slurm: passed"
