#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for
# FUZZ_SECONDS (default 60) from its seed corpus; print executions per target.
# Targets: the trace, .npy and .safetensors readers, and the YAML configs
# (arch, energy table, model) through their real schemas, seeded with every
# config of the tree and the bad ones of tests/data.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
out=build-fuzz
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_GNU_SOURCE"
inc="-Ibase -Iworkloads -Icompiler -Ipe_models -Ipe_models/formats"
clang $flags $inc tests/fuzz/fuzz_npy.c workloads/wl_npy.c workloads/wl_tensor.c base/ps_status.c base/ps_file.c base/ps_cleanup.c -lm -o $out/fuzz_npy
clang $flags $inc tests/fuzz/fuzz_safetensors.c workloads/wl_safetensors.c workloads/wl_tensor.c base/ps_status.c base/ps_file.c base/ps_cleanup.c -lm -o $out/fuzz_safetensors
clang $flags $inc tests/fuzz/fuzz_trace.c compiler/trace.c base/ps_status.c base/ps_file.c base/ps_cleanup.c -o $out/fuzz_trace
# the YAML loaders: the arch through pe_arch_load (the generic schema, the
# family's keys, the weight formats), so base, workloads and pe_models
clang $flags $inc $(pkg-config --cflags libfyaml hdf5) tests/fuzz/fuzz_yaml.c \
	base/*.c workloads/*.c pe_models/*.c pe_models/formats/*.c pe_models/*/*.c \
	$(pkg-config --libs libfyaml hdf5) -lm -o $out/fuzz_yaml
# its seeds: the selector byte (0 arch, 1 energy, 2 model) and a config
seeds=$out/seed-yaml
rm -rf "$seeds"; mkdir -p "$seeds"
for f in configs/arch/*/*.yaml tests/data/arch/*.yaml tests/data/bad/arch-*.yaml; do
	{ printf '\000'; cat "$f"; } >"$seeds/arch-$(basename "$(dirname "$f")")-$(basename "$f")"
done
for f in configs/energy/*.yaml tests/data/energy/*.yaml tests/data/bad/energy-*.yaml; do
	{ printf '\001'; cat "$f"; } >"$seeds/energy-$(basename "$f")"
done
for f in workloads/models/*.yaml tests/data/models/*.yaml; do
	{ printf '\002'; cat "$f"; } >"$seeds/model-$(basename "$f")"
done
# its dictionary: every key of those files, and YAML's punctuation
{ grep -ohE '^[ -]*[a-z_0-9]+:' configs/arch/*/*.yaml configs/energy/*.yaml workloads/models/*.yaml |
	sed -E 's/^[ -]*//' | sort -u | sed 's/.*/"&"/'
  printf '"---"\n"..."\n"{"\n"}"\n"["\n"]"\n": "\n"- "\n"&a"\n"*a"\n"!!str"\n"\\x0a"\n'; } >$out/yaml.dict
status=0
for t in npy safetensors trace yaml; do
  work=$out/corpus-$t
  mkdir -p "$work"
  dict=""
  [ -f tests/fuzz/$t.dict ] && dict="-dict=tests/fuzz/$t.dict"
  [ -f $out/$t.dict ] && dict="-dict=$out/$t.dict"
  corpus=tests/fuzz/corpus/$t
  [ $t = yaml ] && corpus=$seeds
  log=$out/fuzz_$t.log
  # -timeout: an input that runs 10 s is a hang, reported as a failure;
  # known leaks of the Debian libfyaml are suppressed (lsan.supp)
  if ! LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp $out/fuzz_$t -max_total_time="$secs" -timeout=10 -seed=1 -print_final_stats=1 $dict \
       "$work" "$corpus" >"$log" 2>&1; then
    echo "fuzz_$t: FAILED (see $log)"; status=1
  fi
  execs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  echo "fuzz_$t: $execs executions in ${secs}s, no crash"
done
exit $status
