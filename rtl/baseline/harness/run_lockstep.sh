#!/bin/sh
# run_lockstep.sh - standalone lockstep check of the baseline PEs' RTL
# against their golden C models, built the way rtl/meson.build builds its
# models, until meson builds this one too (README.md, "Wiring into meson").
#
# Usage: rtl/baseline/harness/run_lockstep.sh [OUT_DIR] [CYCLES] [SEED]
#   OUT_DIR  build directory, default /tmp/rtl_baseline/build
#   CYCLES   random edges per run, default 1000000
#   SEED     stimulus seed, default 1
#   env ICARUS_CYCLES  random edges replayed under Icarus, default 100000
#
# Steps: lint every .v with Verilator -Wall and Icarus -g2012 -Wall (real
# and mutant; any Icarus output fails); verilate each variant (--cc
# --build, --prefix V<name>, as rtl/meson.build); compile Verilator's
# runtime, the shims (rtl/shim/rtl_shim.inc) and bl_lockstep.cpp as
# C++17, the golden C models as C11 (with _GNU_SOURCE, as meson.build
# does), link one binary; run each PE (no mismatch allowed) and its mutant
# (mismatches required); replay the PE's stimulus and the model's outputs
# on the RTL under Icarus (tb_icarus.v). make -j1: the CPU is shared.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
RTL=$(dirname "$HERE")				# rtl/baseline
ROOT=$(cd "$RTL/../.." && pwd)			# repository
OUT=${1:-/tmp/rtl_baseline/build}
CYCLES=${2:-1000000}
SEED=${3:-1}
ICARUS_CYCLES=${ICARUS_CYCLES:-100000}
COMMON="$ROOT/rtl/common/fp16_mul.v $ROOT/rtl/common/fp16_add.v"
INC="-I$ROOT/pe_models -I$ROOT/pe_models/baseline -I$ROOT/pe_models/formats -I$ROOT/base"
VL_INC=$(pkg-config --variable=includedir verilator)
VL_DEFS="-DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=0 -DVM_TRACE_FST=0 -DVM_TRACE_VCD=0"
CXX="g++ -std=c++17 -O2"

mkdir -p "$OUT/obj"

# Verilog files of each module (the FP16 PE instantiates rtl/common's units)
srcs() {
	case $1 in
	pe_fp16_mac) echo "$RTL/pe_fp16_mac.v $COMMON" ;;
	pe_int8_mac) echo "$RTL/pe_int8_mac.v" ;;
	esac
}

# variant: shim name, top module, define ('' for the real PE)
VARIANTS="pe_fp16_mac:pe_fp16_mac: pe_fp16_mac_mutant:pe_fp16_mac:MUTANT_FP16_FTZ
	  pe_int8_mac:pe_int8_mac: pe_int8_mac_mutant:pe_int8_mac:MUTANT_INT8_ACC16"

echo "== lint: verilator --lint-only -Wall; iverilog -g2012 -Wall"
for v in $VARIANTS; do
	n=${v%%:*} r=${v#*:}
	m=${r%%:*} d=${r#*:}
	# shellcheck disable=SC2046
	verilator --lint-only -Wall ${d:+-D$d} --top-module "$m" $(srcs "$m")
	# shellcheck disable=SC2046
	msg=$(iverilog -g2012 -Wall ${d:+-D$d} -s "$m" -o /dev/null $(srcs "$m") 2>&1)
	[ -z "$msg" ] || { echo "$msg"; exit 1; }
	echo "   $n: clean"
done

echo "== verilate (--cc --build -Wall) and compile"
objs=""
for v in $VARIANTS; do
	n=${v%%:*} r=${v#*:}
	m=${r%%:*} d=${r#*:}
	# shellcheck disable=SC2046
	verilator --cc --build -j 1 -Wall ${d:+-D$d} --prefix "V$n" \
		--top-module "$m" --Mdir "$OUT/V$n" $(srcs "$m") \
		>"$OUT/V$n.log" 2>&1 || { cat "$OUT/V$n.log"; exit 1; }
	# shellcheck disable=SC2086
	$CXX -Wall -Wextra $VL_DEFS -isystem "$VL_INC" -isystem "$VL_INC/vltstd" \
		-I"$OUT/V$n" -I"$ROOT/rtl/shim" -c "$HERE/rtl_$n.cpp" \
		-o "$OUT/obj/rtl_$n.o"
	objs="$objs $OUT/obj/rtl_$n.o $OUT/V$n/V${n}__ALL.a"
done
for f in verilated verilated_threads; do
	# shellcheck disable=SC2086
	[ -f "$OUT/obj/$f.o" ] ||
		$CXX $VL_DEFS -isystem "$VL_INC" -isystem "$VL_INC/vltstd" \
			-c "$VL_INC/$f.cpp" -o "$OUT/obj/$f.o"
	objs="$objs $OUT/obj/$f.o"
done
for f in pe_models/baseline/pe_fp16_mac_bt.c pe_models/baseline/pe_int8_mac_bt.c \
	 pe_models/baseline/pe_baseline_bt.c pe_models/pe_fp16.c \
	 pe_models/formats/fmt_ieee16.c base/ps_status.c; do
	o="$OUT/obj/$(basename "$f" .c).o"
	# shellcheck disable=SC2086
	gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $INC \
		-c "$ROOT/$f" -o "$o"
	objs="$objs $o"
done
# shellcheck disable=SC2086
$CXX -Wall -Wextra -Werror $INC -I"$ROOT/rtl/shim" -c "$HERE/bl_lockstep.cpp" \
	-o "$OUT/obj/bl_lockstep.o"
# shellcheck disable=SC2086
$CXX -o "$OUT/bl_lockstep" "$OUT/obj/bl_lockstep.o" $objs -lm -pthread

status=0
for pe in fp16_mac int8_mac; do
	echo "== $pe: real PE"
	"$OUT/bl_lockstep" --pe $pe --cycles "$CYCLES" --seed "$SEED" || status=1
	echo "== $pe: mutant"
	"$OUT/bl_lockstep" --pe $pe --mutant --cycles "$CYCLES" \
		--seed "$SEED" || status=1
	echo "== $pe: Icarus replay of the model's outputs ($ICARUS_CYCLES random edges)"
	"$OUT/bl_lockstep" --pe $pe --cycles "$ICARUS_CYCLES" --seed "$SEED" \
		--dump "$OUT/$pe.vec" >/dev/null || status=1
	case $pe in
	fp16_mac) w="-DBL_AW=16 -DBL_OW=16" ;;
	int8_mac) w="-DBL_AW=8 -DBL_OW=32" ;;
	esac
	# shellcheck disable=SC2046,SC2086
	iverilog -g2012 -Wall -DBL_TOP="pe_$pe" $w -s tb_icarus \
		-o "$OUT/tb_$pe" "$HERE/tb_icarus.v" $(srcs "pe_$pe")
	vvp -n "$OUT/tb_$pe" +vec="$OUT/$pe.vec" || status=1
	rm -f "$OUT/$pe.vec"
done
exit $status
