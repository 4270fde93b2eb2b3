# fswindow.sh - sourced by bench/run.sh and bench/parts.sh: outputs removed when a sitting ends, and no sitting timed
# within 5 minutes of a clean-up. This machine's ext4 has no journal, and there each file created within minutes of
# deleting thousands nearby first skips every recently freed inode of its block group, one look-up each (ext4's
# recently_deleted), which made a run 12 % slower: a cost of a harness that deletes between runs, not of a nightly
# run. The window lasts 5 minutes (300 s while the freed inodes' table blocks are dirty). The stamp is $W/.cleaned.

# fswindow_own TAG DIR...: remove what a killed sitting left in DIR..., remove them again on exit, and wait out the
# window of the last clean-up (this sitting's, the last one's, or noted by hand after a test suite).
fswindow_own() {
  tag=$1; shift
  for d in "$@"; do
    if [ -e "$d" ]; then
      rm -rf "$@"
      date +%s >"$W/.cleaned"
      break
    fi
  done
  FSWINDOW_DIRS="$*"
  trap 'rm -rf $FSWINDOW_DIRS; date +%s >"$W/.cleaned"' EXIT
  if [ -f "$W/.cleaned" ]; then
    left=$(( $(cat "$W/.cleaned") + 310 - $(date +%s) ))
    if [ "$left" -gt 0 ]; then
      printf '%s: waiting %s s for the last clean-up'"'"'s freed inodes to stop costing file creation (ext4 without a journal)\n' "$tag" "$left" >&2
      sleep "$left"
    fi
  fi
}
