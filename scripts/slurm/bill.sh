#!/bin/sh
# bill.sh - bill a month on a Slurm cluster: `licbill plan` (one job), `licbill render --part K/N` (a job array
# of N tasks), `licbill seal` (one job), chained with --dependency=afterok. README, "More machines".
#
# usage: scripts/slurm/bill.sh --input DIR --output DIR --month YYYY-MM --parts N [--issue-date YYYY-MM-DD]
#          [--licbill PATH] [--jobs J] [--coordinator NODE] [--ledger FILE] [--wait]
#   --input, --output   on storage every node sees at the same path (the input set; OUT with OUT/.parts)
#   --parts N           how many array tasks draw the month
#   --licbill PATH      the licbill binary, the same on every node (default: licbill on PATH)
#   --jobs J            threads per task (sbatch --cpus-per-task=J, licbill --jobs J; default 1)
#   --coordinator NODE  run plan and seal on this node (where the ledger is, when --ledger is a local file)
#   --ledger FILE       the one ledger (default OUT/ledger.db); only plan and seal open it
#   --wait              wait for the seal and exit with its exit code (else print the three job ids and exit 0)
# Slurm writes each job's output to OUT/.slurm/. plan's exit 1 (some customers rejected) still renders and seals
# the others; seal then exits 1 with the same errors in errors.csv.
set -eu

die() { echo "bill.sh: $*" >&2; exit 2; }

input="" output="" month="" parts="" issue="" licbill=licbill jobs=1 coord="" ledger="" wait=0
while [ $# -gt 0 ]; do
  case $1 in
    --input) input=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --month) month=$2; shift 2 ;;
    --parts) parts=$2; shift 2 ;;
    --issue-date) issue=$2; shift 2 ;;
    --licbill) licbill=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --coordinator) coord=$2; shift 2 ;;
    --ledger) ledger=$2; shift 2 ;;
    --wait) wait=1; shift ;;
    *) die "unknown option '$1'" ;;
  esac
done
[ -n "$input" ] && [ -n "$output" ] && [ -n "$month" ] && [ -n "$parts" ] ||
  die "--input, --output, --month and --parts are required"
case $parts in ''|*[!0-9]*|0) die "--parts '$parts': expected a whole number, 1 or more" ;; esac
case $jobs in ''|*[!0-9]*|0) die "--jobs '$jobs': expected a whole number, 1 or more" ;; esac

mkdir -p "$output/.slurm"
# absolute paths: the jobs may start in another folder on another node
input=$(cd "$input" && pwd -P)
output=$(cd "$output" && pwd -P)
logs=$output/.slurm
common="--input $input --output $output --month $month"
on_coord=""
[ -z "$coord" ] || on_coord="--nodelist=$coord"
plan_opts="--parts $parts --jobs $jobs"
[ -z "$issue" ] || plan_opts="$plan_opts --issue-date $issue"
seal_opts="--jobs $jobs"
[ -z "$ledger" ] || { plan_opts="$plan_opts --ledger $ledger"; seal_opts="$seal_opts --ledger $ledger"; }

# plan: exit 1 (some customers rejected) is a plan of the others, so the parts go on
plan=$(sbatch --parsable --job-name="licbill-plan-$month" $on_coord --cpus-per-task="$jobs" \
  --output="$logs/plan-%j.out" \
  --wrap="$licbill plan $common $plan_opts; rc=\$?; [ \$rc -le 1 ] || exit \$rc")
# render: task K of the array draws part K/N, on whichever node Slurm picks
render=$(sbatch --parsable --job-name="licbill-render-$month" --dependency="afterok:$plan" --kill-on-invalid-dep=yes \
  --array="1-$parts" --cpus-per-task="$jobs" --output="$logs/render-%A_%a.out" \
  --wrap="$licbill render $common --part \$SLURM_ARRAY_TASK_ID/$parts --jobs $jobs")
# seal: after every task of the array succeeded
set -- --parsable --job-name="licbill-seal-$month" --dependency="afterok:$render" --kill-on-invalid-dep=yes \
  --cpus-per-task="$jobs" --output="$logs/seal-%j.out"
[ -z "$on_coord" ] || set -- "$@" "$on_coord"
if [ "$wait" -eq 1 ]; then
  echo "bill.sh: plan $plan, render $render (array 1-$parts), seal: waiting" >&2
  rc=0
  sbatch --wait "$@" --wrap="$licbill seal $common $seal_opts" >/dev/null || rc=$?
  echo "bill.sh: seal of $month ended with exit $rc (job outputs in $logs)" >&2
  exit $rc
fi
seal=$(sbatch "$@" --wrap="$licbill seal $common $seal_opts")
echo "plan $plan render $render seal $seal"
