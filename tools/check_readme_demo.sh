#!/usr/bin/env bash
# Checks that the demo table in README.md is what `./graft demo` prints on this machine now:
# every column but "train s" (wall time, which varies from run to run) must match exactly.
# Exit 0 when they match; otherwise prints the difference and exits 1. Takes as long as the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
drop_time() { awk 'NF > 3 && $1 != "strategy" && $1 !~ /^-+$/ { $(NF - 1) = ""; print }'; }
expected=$(awk '/^```/ { if (block && table) exit; block = !block; buf = ""; next }
                block && /^strategy +shots/ { table = 1 }
                block && table { print }' README.md | drop_time)
actual=$(./graft demo --quiet | awk '/^strategy +shots/ { p = 1 } p && /^made / { exit } p' | drop_time)
if [ -z "$expected" ]; then
  echo "check_readme_demo: no demo table found in README.md" >&2
  exit 1
fi
if [ "$expected" == "$actual" ]; then
  echo "README.md's demo table matches a fresh run ($(echo "$actual" | wc -l) rows)"
  exit 0
fi
echo "README.md's demo table differs from a fresh run (< README, > this run):" >&2
diff <(echo "$expected") <(echo "$actual") >&2 || true
exit 1
