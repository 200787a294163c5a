#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for
# FUZZ_SECONDS (default 60) from its seed corpus; print executions per target.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
out=build-fuzz
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_GNU_SOURCE"
inc="-Ibase -Iworkloads -Icompiler -Ipe_models"
clang $flags $inc tests/fuzz/fuzz_npy.c workloads/wl_npy.c workloads/wl_tensor.c base/ps_status.c -lm -o $out/fuzz_npy
clang $flags $inc tests/fuzz/fuzz_safetensors.c workloads/wl_safetensors.c workloads/wl_tensor.c base/ps_status.c -lm -o $out/fuzz_safetensors
clang $flags $inc tests/fuzz/fuzz_trace.c compiler/trace.c base/ps_status.c base/ps_file.c -o $out/fuzz_trace
status=0
for t in npy safetensors trace; do
  work=$out/corpus-$t
  mkdir -p "$work"
  dict=""
  [ -f tests/fuzz/$t.dict ] && dict="-dict=tests/fuzz/$t.dict"
  log=$out/fuzz_$t.log
  if ! $out/fuzz_$t -max_total_time="$secs" -seed=1 -print_final_stats=1 $dict \
       "$work" tests/fuzz/corpus/$t >"$log" 2>&1; then
    echo "fuzz_$t: FAILED (see $log)"; status=1
  fi
  execs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  echo "fuzz_$t: $execs executions in ${secs}s, no crash"
done
exit $status
