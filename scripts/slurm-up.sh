#!/bin/sh
# slurm-up.sh DIR - start a one-node Slurm cluster (Debian's slurm-wlm + munge) whose state lives in DIR; prints `export SLURM_CONF=DIR/slurm.conf`.
set -eu

# Everything but the final export line goes to stderr, so `eval "$(slurm-up.sh DIR)"` is safe.
exec 3>&1 1>&2

say() { echo "slurm-up: $*"; }
die() { echo "slurm-up: error: $*"; exit 1; }

[ $# -eq 1 ] || die "usage: $0 DIR"
# slurm.conf has no quoting: a path with blanks, '#' or quotes would be cut short.
case $1 in
  *[[:space:]\#\"\']*) die "DIR must not contain blanks, '#' or quotes: $1" ;;
esac
mkdir -p "$1"
HOST=$(hostname -s)
[ -n "$HOST" ] || die "hostname -s is empty"
DIR=$(cd "$1" && pwd -P)
CONF=$DIR/slurm.conf
# slurmd logs an error if its spool folder (SlurmdSpoolDir below) is not there yet.
mkdir -p "$DIR/state" "$DIR/spool/slurmd-$HOST" "$DIR/log" "$DIR/run"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# A pid is ours only if it is alive, not a zombie (PID 1 here may not reap) and runs the expected program.
alive() { # alive PIDFILE COMM
  [ -s "$1" ] || return 1
  _p=$(cat "$1" 2>/dev/null) || return 1
  case $_p in ''|*[!0-9]*) return 1 ;; esac
  [ "$(cat "/proc/$_p/comm" 2>/dev/null)" = "$2" ] || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$_p/status" 2>/dev/null
}

# Run a daemon detached from our stdout/stderr: a daemon holding the pipe of the
# caller's $(...) (or of a CI log pipe) would keep it open and hang the caller.
daemon() {
  $SUDO "$@" </dev/null >>"$DIR/log/daemons.out" 2>&1 3>&-
}

dump_logs() {
  for f in "$DIR/log/daemons.out" "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log"; do
    [ -f "$f" ] || continue
    echo "----- last lines of $f"
    tail -n 25 "$f"
  done
}

# --- packages: install only what is missing ---------------------------------
missing=""
for p in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packages' init scripts from starting munged/slurmd on their own: we start
  # exactly what we record, so slurm-down.sh can stop exactly that.
  rcd=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    rcd=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$rcd" >/dev/null
    $SUDO chmod 755 "$rcd"
    trap '$SUDO rm -f "$rcd"' EXIT
  fi
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  if [ -n "$rcd" ]; then $SUDO rm -f "$rcd"; trap - EXIT; fi
fi

# --- munge: key, runtime dir, daemon ----------------------------------------
# munged refuses to run unless its key and directories belong to the munge user.
if [ ! -s /etc/munge/munge.key ]; then
  say "creating /etc/munge/munge.key"
  $SUDO sh -c 'umask 077; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null'
fi
$SUDO mkdir -p /run/munge /var/lib/munge /var/log/munge
$SUDO chown munge:munge /etc/munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge
$SUDO chmod 700 /etc/munge /var/lib/munge /var/log/munge
$SUDO chmod 400 /etc/munge/munge.key
$SUDO chmod 755 /run/munge
munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  say "starting munged"
  # A stale pid/socket from a killed munged makes the new one refuse to start.
  if ! alive /run/munge/munged.pid munged; then
    $SUDO rm -f /run/munge/munged.pid /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  fi
  daemon su -s /bin/sh munge -c /usr/sbin/munged
  i=0
  until munge_ok; do
    i=$((i + 1)); [ $i -le 50 ] || { tail -n 25 "$DIR/log/daemons.out"; die "munged does not answer (munge -n | unmunge)"; }
    sleep 0.2
  done
  # Only a munged we started is ours to stop (slurm-down.sh reads this).
  cat /run/munge/munged.pid >"$DIR/munged.started"
fi

# --- slurm.conf ---------------------------------------------------------------
# Describe the node exactly as slurmd will report it (sockets/cores/threads), else
# slurmctld may mark it invalid or drain it; RealMemory is left out so memory
# jitter cannot drain it either.
hw=$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* //p' | head -n 1 | sed 's/ *RealMemory=[^ ]*//')
case $hw in
  CPUs=[0-9]*) ;;
  *) say "slurmd -C gave nothing usable, using nproc"; hw="CPUs=$(nproc)" ;;
esac
tmp=$CONF.tmp.$$
cat >"$tmp" <<EOF
# Written by scripts/slurm-up.sh: a one-node cluster, all state under $DIR.
ClusterName=licbill
# The address is given so that nothing depends on how $HOST resolves.
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/slurmd-%n
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$HOST NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
if cmp -s "$tmp" "$CONF"; then rm -f "$tmp"; else mv "$tmp" "$CONF"; fi
export SLURM_CONF="$CONF"

# --- daemons -----------------------------------------------------------------
# LICBILL_SLURM_DIR marks the daemons (and the slurmstepds they fork) of this DIR,
# so slurm-down.sh can find leftovers without touching anyone else's.
if ! alive "$DIR/run/slurmctld.pid" slurmctld; then
  say "starting slurmctld"
  # A stale pid file would pass for the new daemon's until it writes its own.
  rm -f "$DIR/run/slurmctld.pid"
  # -c: start from a clean state, so a drained node or old jobs of an earlier run cannot come back.
  daemon env LICBILL_SLURM_DIR="$DIR" SLURM_CONF="$CONF" slurmctld -c -f "$CONF" || { dump_logs; die "slurmctld did not start"; }
fi
if ! alive "$DIR/run/slurmd.pid" slurmd; then
  say "starting slurmd"
  rm -f "$DIR/run/slurmd.pid"
  daemon env LICBILL_SLURM_DIR="$DIR" SLURM_CONF="$CONF" slurmd -f "$CONF" -N "$HOST" || { dump_logs; die "slurmd did not start"; }
fi

# --- wait until the node takes jobs --------------------------------------------
deadline=$(( $(date +%s) + ${SLURM_UP_TIMEOUT:-60} ))
state=""
while :; do
  # A daemon that died after forking (bad config, port taken) will never make the node idle.
  # (A missing pid file only means the daemon has not written it yet.)
  for d in slurmctld slurmd; do
    [ ! -s "$DIR/run/$d.pid" ] || alive "$DIR/run/$d.pid" $d || { dump_logs; die "$d is not running"; }
  done
  state=$(timeout 10 sinfo -h -n "$HOST" -o %T 2>/dev/null | head -n 1) || state=""
  [ "$state" = idle ] && break
  case $state in
    drain*|inval*|fail*) dump_logs; timeout 10 scontrol show node "$HOST" || true
                         die "node $HOST is $state" ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    dump_logs
    die "node $HOST not idle after ${SLURM_UP_TIMEOUT:-60} s (last state: '${state}')"
  fi
  sleep 0.5
done
say "node $HOST idle"

echo "export SLURM_CONF=$CONF" >&3
