#!/bin/sh
# bill.sh - bill a month over ssh with GNU parallel: plan here, the parts on the hosts of HOSTS_FILE (GNU
# parallel's --sshloginfile: one `[user@]host` a line, ':' for this machine), seal here. README, "More machines".
# usage: scripts/parallel/bill.sh INPUT OUTPUT MONTH PARTS HOSTS_FILE [ISSUE_DATE]
# INPUT and OUTPUT must be the same paths on every host (shared storage); licbill must be on each host's PATH.
set -eu
[ $# -ge 5 ] || { echo "usage: $0 INPUT OUTPUT MONTH PARTS HOSTS_FILE [ISSUE_DATE]" >&2; exit 2; }
in=$1 out=$2 m=$3 n=$4 hosts=$5
issue=${6:+--issue-date $6}
rc=0
# shellcheck disable=SC2086
licbill plan --input "$in" --output "$out" --month "$m" --parts "$n" $issue || rc=$?
[ $rc -le 1 ] || exit $rc  # 1: some customers rejected, the others planned
# one part per job slot; a failed part is tried again (a part run twice changes nothing)
seq 1 "$n" | parallel --sshloginfile "$hosts" --jobs 1 --retries 3 --halt soon,fail=1 \
  "licbill render --input '$in' --output '$out' --month '$m' --part {}/$n"
exec licbill seal --input "$in" --output "$out" --month "$m"
