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
for t in meta documents lines taxes audit audit_refs carried notices "months(month, closed_run)" \
         "runs(id, month, inputs_sha256, outcome, invoiced, rejected, licbill_version, rulebook_sha256, issue_date)"; do
  table=${t%%(*}
  cols=$(printf '%s' "$t" | sed -n 's/^[a-z_]*(\(.*\))$/\1/p')
  q="select ${cols:-*} from $table"
  if [ "$(sqlite3 "$a/ledger.db" "$q" | LC_ALL=C sort)" != "$(sqlite3 "$b/ledger.db" "$q" | LC_ALL=C sort)" ]; then
    echo "ledger table $table differs"
    rc=1
  fi
done
exit $rc
