#!/bin/sh
# deps.sh [bench|slurm|fuzz] - install the Debian packages licbill needs, only those that are missing.
# With `bench` (make bench) also the peers; with `fuzz` (make fuzz) also Debian 12's clang, its libFuzzer/ASan/UBSan runtimes and llvm-symbolizer.
set -eu
PKGS="gcc make pkg-config python3 libhpdf-dev libcsv-dev zlib1g-dev libcmocka-dev libsqlite3-dev
nettle-dev poppler-utils qpdf sqlite3 fonts-dejavu-core libarchive-dev icc-profiles-free libharfbuzz-dev
libdeflate-dev"
case "${1:-}" in
"") ;;
# make bench: the peers licbill is measured against
bench) PKGS="$PKGS python3-reportlab chromium" ;;
# make test-slurm, CI: a one-node Slurm cluster for tests/slurm/test_slurm.sh
slurm) PKGS="$PKGS slurm-wlm munge" ;;
fuzz) PKGS="$PKGS clang-14 libclang-rt-14-dev llvm-14" ;;
*) echo "usage: deps.sh [bench|slurm|fuzz]" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
echo "licbill: installing missing packages:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# the packages' init scripts must not start munged or slurmd on their own: scripts/slurm-up.sh starts
# exactly the daemons it can stop
rcd=""
if [ "${1:-}" = slurm ] && [ ! -e /usr/sbin/policy-rc.d ]; then
  rcd=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$rcd" >/dev/null
  $SUDO chmod 755 "$rcd"
  trap '$SUDO rm -f "$rcd"' EXIT
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
