#!/bin/sh
# cron_line.sh [all] - the README's cron line names the previous month on every day of 2027 and of a
# leap year, 2028 (with "all"; else on the days that go wrong: the 1st, 15th and 28th-31st of each month):
# its --month expression is taken from the README as written, cron's \% unescaped, and run with `date`
# answering for each day in turn. Prints each wrong day; exit 1 when there is one.
set -u
line=$(grep -m1 'licbill run --input /srv/billing/input' README.md) || { echo "no cron line in README.md"; exit 1; }
expr=$(printf '%s\n' "$line" | sed 's/.*--month "\(.*\)" --jobs.*/\1/; s/\\%/%/g')
[ -n "$expr" ] && [ "$expr" != "$line" ] || { echo "no --month \"...\" in the cron line"; exit 1; }
fail=0
# every day of 2027 and 2028, in one call of date
days=$(i=0; while [ $i -lt 365 ]; do echo "2027-01-01 +$i day"; i=$((i + 1)); done
       i=0; while [ $i -lt 366 ]; do echo "2028-01-01 +$i day"; i=$((i + 1)); done)
for day in $(printf '%s\n' "$days" | date -u -f - +%F); do
  case "${1:-}:$day" in all:*|*-01|*-15|*-28|*-29|*-30|*-31) ;; *) continue ;; esac
  # "now" is the day under test: `date` without -d, and -d with a relative date ("last month")
  got=$(date() {
          if [ "${1:-}" != "-d" ]; then command date -d "$day" "$@"; return; fi
          shift
          case "$1" in [0-9]*) command date -d "$@" ;; *) d=$1; shift; command date -d "$day $d" "$@" ;; esac
        }
        eval "printf '%s' $expr")
  y=${day%%-*} m=${day#*-}
  m=${m%%-*}
  if [ "$m" = 01 ]; then want="$((y - 1))-12"; else want=$(printf '%s-%02d' "$y" $((1${m} - 101))); fi
  if [ "$got" != "$want" ]; then
    echo "$day: the cron line bills '$got', expected $want"
    fail=1
  fi
done
exit $fail
