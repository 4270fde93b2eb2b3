#!/bin/sh
# check_layers.sh - fail on an #include against the layer direction or a cycle between modules.
# Layers: core <- input <- rules <- render, output <- batch (a folder may use its own and lower folders;
# render and output are siblings and do not use each other). A module is a .c/.h pair.
# One grep and one awk over every file (a sed per include took seconds of every `make test`).
set -eu
cd "$(dirname "$0")/.."
bad=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
# FILE:LINE:TEXT of every quoted include, files in sorted order
# shellcheck disable=SC2046
grep -H -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
  $(find core input rules render output batch -name '*.[ch]' -o -name '*.def' | sort) /dev/null |
  awk -v edges="$edges" '
    function rank(m) {
      if(m == "core") return 0
      if(m == "input") return 1
      if(m == "rules") return 2
      if(m == "render" || m == "output") return 3
      if(m == "batch") return 4
      return "x"
    }
    {
      f = $0; sub(/:.*/, "", f)
      rest = substr($0, length(f) + 2)
      line = rest; sub(/:.*/, "", line)
      inc = substr(rest, length(line) + 2)
      sub(/.*include[[:space:]]*"/, "", inc); sub(/".*/, "", inc)
      from = f; sub(/\/.*/, "", from)
      to = inc; sub(/\/.*/, "", to)
      rf = rank(from); rt = rank(to)
      if(rt == "x") {
        print f ":" line ": include \"" inc "\" is not root-relative (expected e.g. \"core/money.h\")"
        bad = 1
      } else if(rt > rf || (rt == rf && to != from)) {
        print f ":" line ": " from "/ may not include " inc " (layers: core <- input <- rules <- render, output <- batch)"
        bad = 1
      }
      a = f; sub(/\.[^.]*$/, "", a)
      b = inc; sub(/\.[^.]*$/, "", b)
      if(a != b) print a, b > edges
    }
    END { exit bad }' || bad=1
# a cycle between modules: tsort names the modules in it
if ! tsort "$edges" >/dev/null 2>"$edges.err"; then
  echo "module cycle (a .c/.h pair includes, directly or not, a module that includes it back):"
  sed -n 's/^tsort: [^:]*: input contains a loop:$/  a loop:/p; /^tsort: [a-z]/s/^tsort: /    /p' "$edges.err"
  bad=1
fi
rm -f "$edges.err"
[ "$bad" -eq 0 ] && echo "layers: ok"
exit "$bad"
