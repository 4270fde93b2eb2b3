#!/bin/sh
# check_layers.sh - fail on an #include against the layer direction or a cycle between modules.
# Layers: core <- input <- rules <- render, output <- batch (a folder may use its own and lower folders;
# render and output are siblings and do not use each other). A module is a .c/.h pair.
set -eu
cd "$(dirname "$0")/.."
rank() {
  case $1 in
    core) echo 0 ;; input) echo 1 ;; rules) echo 2 ;; render | output) echo 3 ;; batch) echo 4 ;; *) echo x ;;
  esac
}
bad=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in $(find core input rules render output batch -name '*.[ch]' -o -name '*.def' | sort); do
  from=${f%%/*}
  rf=$(rank "$from")
  grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r hit; do
    line=${hit%%:*}
    inc=$(printf '%s\n' "$hit" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
    to=${inc%%/*}
    rt=$(rank "$to")
    if [ "$rt" = x ]; then
      echo "$f:$line: include \"$inc\" is not root-relative (expected e.g. \"core/money.h\")"
      echo bad
    elif [ "$rt" -gt "$rf" ] || { [ "$rt" -eq "$rf" ] && [ "$to" != "$from" ]; }; then
      echo "$f:$line: $from/ may not include $inc (layers: core <- input <- rules <- render, output <- batch)"
      echo bad
    fi
    a=${f%.*}
    b=${inc%.*}
    [ "$a" = "$b" ] || echo "$a $b" >>"$edges"
  done
done >"$edges.out"
grep -v '^bad$' "$edges.out" || true
grep -qx bad "$edges.out" && bad=1
# a cycle between modules: tsort names the modules in it
if ! tsort "$edges" >/dev/null 2>"$edges.err"; then
  echo "module cycle (a .c/.h pair includes, directly or not, a module that includes it back):"
  sed -n 's/^tsort: [^:]*: input contains a loop:$/  a loop:/p; /^tsort: [a-z]/s/^tsort: /    /p' "$edges.err"
  bad=1
fi
rm -f "$edges.out" "$edges.err"
[ "$bad" -eq 0 ] && echo "layers: ok"
exit "$bad"
