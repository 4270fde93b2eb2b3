#!/bin/sh
# same_month.sh A B MONTH - are two output folders the same month? Files of the month folder, its archive,
# the delivery lists and every ledger table (runs and months without their clock times) byte for byte. Quiet when they
# are; the differences and exit 1 when not.
set -u
a=$1 b=$2 m=$3
rc=0
diff -r "$a/$m" "$b/$m" || rc=1
cmp "$a/archive/$m.tar.gz" "$b/archive/$m.tar.gz" || rc=1
cmp "$a/archive/$m.tar.gz.sha256" "$b/archive/$m.tar.gz.sha256" || rc=1
if [ -d "$a/issued" ] || [ -d "$b/issued" ]; then
  diff -r -x '*.sent' "$a/issued" "$b/issued" || rc=1
fi
tables='meta documents lines taxes audit audit_refs carried notices months(month,closed_run)
        runs(id,month,inputs_sha256,outcome,invoiced,rejected,licbill_version,rulebook_sha256,issue_date)'
# Every table of a ledger in one sqlite3 call: each output line (a value with a line break makes two) named by
# its table, then sorted. Two ledgers hold the same rows, table by table, when these are the same.
dump() {
  for t in $tables; do
    table=${t%%(*}
    case $t in *'('*) cols=${t#*(} cols=${cols%)} ;; *) cols='*' ;; esac
    printf '.print \001%s\nselect %s from %s;\n' "$table" "$cols" "$table"
  done | sqlite3 "$1" | awk '/^\001/ { t = substr($0, 2); next } { print t "\t" $0 }' | LC_ALL=C sort
}
da=$(dump "$a/ledger.db")
db=$(dump "$b/ledger.db")
if [ "$da" != "$db" ]; then
  for t in $tables; do
    table=${t%%(*}
    if [ "$(printf '%s\n' "$da" | awk -F '\t' -v t="$table" '$1 == t')" != \
         "$(printf '%s\n' "$db" | awk -F '\t' -v t="$table" '$1 == t')" ]; then
      echo "ledger table $table differs"
    fi
  done
  rc=1
fi
exit $rc
