#!/bin/sh
# slurm-down.sh DIR - stop the one-node Slurm cluster that scripts/slurm-up.sh DIR started (and its munged, if it started it).
set -eu

say() { echo "slurm-down: $*" >&2; }

[ $# -eq 1 ] || { say "usage: $0 DIR"; exit 2; }
# Nothing was ever started there: already down.
[ -d "$1" ] || exit 0
DIR=$(cd "$1" && pwd -P)
CONF=$DIR/slurm.conf

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Same test as slurm-up.sh: alive, not a zombie, and the expected program (a pid may be reused).
alive_pid() { # alive_pid PID COMM
  case $1 in ''|*[!0-9]*) return 1 ;; esac
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
pid_of() { cat "$1" 2>/dev/null || true; }

# stop PID COMM: SIGTERM, wait up to 15 s, then SIGKILL; never fails.
stopped=""
stop() {
  alive_pid "$1" "$2" || return 0
  say "stopping $2 ($1)"
  stopped="$stopped $1"
  $SUDO kill -TERM "$1" 2>/dev/null || true
  i=0
  while alive_pid "$1" "$2"; do
    i=$((i + 1))
    if [ $i -gt 75 ]; then
      say "$2 ($1) ignores SIGTERM, killing it"
      $SUDO kill -KILL "$1" 2>/dev/null || true
      sleep 0.2
      return 0
    fi
    sleep 0.2
  done
}

ctld=$(pid_of "$DIR/run/slurmctld.pid")
slurmd=$(pid_of "$DIR/run/slurmd.pid")

# Cancel what is still queued or running while slurmctld can still do it cleanly,
# so no job outlives the cluster.
if [ -f "$CONF" ] && alive_pid "$ctld" slurmctld; then
  jobs=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null || true)
  if [ -n "$jobs" ]; then
    say "cancelling jobs: $(echo "$jobs" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    SLURM_CONF=$CONF timeout 10 scancel $jobs 2>/dev/null || true
    i=0
    while [ $i -lt 20 ] && [ -n "$(SLURM_CONF=$CONF timeout 10 squeue -h -t R,CG -o %A 2>/dev/null || true)" ]; do
      i=$((i + 1)); sleep 0.5
    done
  fi
fi

# slurmd first, so it does not report the controller missing on its way out.
stop "$slurmd" slurmd
stop "$ctld" slurmctld
rm -f "$DIR/run/slurmd.pid" "$DIR/run/slurmctld.pid"

# Pids of all descendants of $1, from /proc (ps may be missing on a slim machine).
descendants() {
  _root=$1
  for s in /proc/[0-9]*/stat; do
    read -r _line <"$s" 2>/dev/null || continue
    # Field 2 (comm) may hold blanks; ppid is the 2nd field after its closing ')'.
    _rest=${_line##*) }
    echo "${_line%% *} ${_rest#* }"
  done | awk -v root="$_root" '{ kids[$2] = kids[$2] " " $1 }
    END { n = split(kids[root], q, " "); for (i = 1; i <= n; i++) { print q[i]; m = split(kids[q[i]], c, " "); for (j = 1; j <= m; j++) q[++n] = c[j] } }'
}

# slurmstepd (one per job step) outlives slurmd by design and ignores SIGTERM; when
# scancel could not run (slurmctld already dead) kill those this DIR's slurmd forked,
# found by the LICBILL_SLURM_DIR=DIR they carry, together with the job's processes.
for e in /proc/[0-9]*/environ; do
  p=${e#/proc/}; p=${p%/environ}
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = slurmstepd ] || continue
  $SUDO cat "$e" 2>/dev/null | tr '\0' '\n' | grep -qx "LICBILL_SLURM_DIR=$DIR" || continue
  kids=$(descendants "$p")
  say "killing leftover slurmstepd ($p) and its job processes: $(echo "$kids" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  $SUDO kill -KILL "$p" $kids 2>/dev/null || true
  stopped="$stopped $p $kids"
done

# munged only if slurm-up.sh started it for this DIR: another user of munge may need it.
if [ -f "$DIR/munged.started" ]; then
  stop "$(pid_of "$DIR/munged.started")" munged
  rm -f "$DIR/munged.started"
fi

# The daemons were orphans, so PID 1 reaps them, here only every second or two; wait
# (bounded) so that no zombie slurmctld/munged is still listed when we return.
i=0
for p in $stopped; do
  while grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null && [ $i -lt 50 ]; do
    i=$((i + 1)); sleep 0.1
  done
done
exit 0
