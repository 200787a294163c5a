#!/usr/bin/env bash
# Run every meson test in each build dir given, then print one closing line
# "N passed, N failed" that counts CMocka test cases (a test program that dies
# before CMocka reports counts as one failure).
set -u
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
passed=0; failed=0
for b in "$@"; do
  log=$(mktemp)
  meson test -C "$b" --no-rebuild --verbose --print-errorlogs >"$log" 2>&1
  rc=$?
  cat "$log"
  p=$(grep -aoE '\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -aoE '\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
  # programs meson saw fail without a CMocka failure line (crash, sanitizer)
  crashed=$(grep -aE '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT|ERROR) ' "$log" | wc -l)
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=$((crashed > 0 ? crashed : 1)); fi
  echo "== $b: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
  rm -f "$log"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
