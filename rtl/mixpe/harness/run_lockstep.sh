#!/bin/sh
# run_lockstep.sh - standalone lockstep check of the MixPE RTL (mixpe_pe,
# mixpe_array) against the golden C models "mixpe_pe" / "mixpe_array",
# until rtl/meson.build builds it (README.md, "Wiring into meson").
#
# Usage: rtl/mixpe/harness/run_lockstep.sh [OUT_DIR] [PE_CYCLES] [ARRAY_CYCLES] [SEED]
#   OUT_DIR       build directory, default /tmp/rtl_mixpe/build
#   PE_CYCLES     edges per PE configuration, default 2000000
#   ARRAY_CYCLES  edges per array configuration, default 1000000
#   SEED          stimulus seed, default 11
#   env MUT_CYCLES     edges per mutant run, default 200000
#   env ICARUS_CYCLES  edges replayed under Icarus (PE; the array a third), default
#                      30000; the mutant replay needs a few thousand to fail
#
# Steps: lint every module and mutant with Verilator -Wall and Icarus
# -g2012 -Wall (any output fails); compile the golden C model (C11,
# _GNU_SOURCE, as meson.build); verilate each configuration with its
# harness (--cc --exe --build -Wall, make -j1: the CPU is shared) and run
# it; run each mutant against the correct C model (mismatches required)
# and against the C model's matching broken variant (none allowed);
# replay C-model vectors on the RTL under Icarus. Ends with
# "N passed, N failed"; exit 1 on any failure.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
RTL=$(dirname "$HERE")				# rtl/mixpe
ROOT=$(cd "$RTL/../.." && pwd)			# repository
OUT=${1:-/tmp/rtl_mixpe/build}
PE_CYC=${2:-2000000}
AR_CYC=${3:-1000000}
SEED=${4:-11}
MUT_CYC=${MUT_CYCLES:-200000}
IV_CYC=${ICARUS_CYCLES:-30000}
PASS=0
FAIL=0

mkdir -p "$OUT/obj"
PE_V="$RTL/mixpe_pe.v $RTL/mixpe_fp_lane.v $RTL/mixpe_round16.v $ROOT/rtl/common/fp16_add.v $ROOT/rtl/common/fp16_mul.v"
AR_V="$RTL/mixpe_array.v $PE_V"
INC="-I$ROOT/pe_models -I$ROOT/pe_models/formats -I$ROOT/pe_models/mixpe -I$ROOT/base"

result() {	# name status
	if [ "$2" -eq 0 ]; then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); echo "   FAILED: $1"; fi
}

echo "== lint: verilator --lint-only -Wall; iverilog -g2012 -Wall"
for top in mixpe_pe mixpe_array; do
	if [ $top = mixpe_pe ]; then files=$PE_V; else files=$AR_V; fi
	for fp in 0 1; do
		for d in "" MUTANT_NO_ZERO_TERM MUTANT_MSB_POS; do
			# shellcheck disable=SC2086
			msg=$(verilator --lint-only -Wall ${d:+-D$d} -GFP16=$fp --top-module $top $files 2>&1; \
			      iverilog -g2012 -Wall ${d:+-D$d} -P$top.FP16=$fp -s $top -o /dev/null $files 2>&1)
			st=0
			if [ -n "$msg" ]; then echo "$msg"; st=1; fi
			result "lint $top FP16=$fp $d" "$st"
		done
	done
done
echo "   $PASS lint runs clean"

echo "== golden model (C11)"
for f in pe_models/mixpe/pe_mixpe_pe.c pe_models/mixpe/pe_mixpe_array.c \
	 pe_models/mixpe/pe_mixpe_gemm.c pe_models/pe_fp16.c \
	 pe_models/formats/fmt_ieee16.c base/ps_status.c; do
	# shellcheck disable=SC2086
	gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $INC -c "$ROOT/$f" \
	    -o "$OUT/obj/$(basename "$f" .c).o"
done
rm -f "$OUT/libmixpe_golden.a"
ar rcs "$OUT/libmixpe_golden.a" "$OUT"/obj/*.o

build() {	# name top verilator-args...
	n=$1 top=$2
	shift 2
	if [ "$top" = mixpe_array ]; then arr=1 files=$AR_V; else arr=0 files=$PE_V; fi
	# shellcheck disable=SC2086
	verilator --cc --exe --build -j 1 -Wall --top-module "$top" "$@" \
		--Mdir "$OUT/$n" -o tb -MAKEFLAGS "OPT_FAST=-O2" \
		-CFLAGS "-std=c++17 -O2 -Wall -DTB_ARRAY=$arr -I$ROOT/rtl/shim $INC" \
		$files "$HERE/rtl_$top.cpp" "$HERE/mixpe_lockstep.cpp" \
		"$OUT/libmixpe_golden.a" -LDFLAGS -lm > "$OUT/$n.build.log" 2>&1 ||
		{ tail -30 "$OUT/$n.build.log"; return 1; }
}

echo "== lockstep: every output port, every edge"
# name top wbits fp16 lanes group
while read -r n top wb fp l g; do
	if build "$n" "$top" -GWBITS="$wb" -GFP16="$fp" -GLANES="$l" -GGROUP="$g"; then
		if [ "$top" = mixpe_array ]; then cyc=$AR_CYC; else cyc=$PE_CYC; fi
		echo "-- $n"
		st=0
		"$OUT/$n/tb" --wbits "$wb" --fp16 "$fp" --lanes "$l" --group "$g" \
			--cycles "$cyc" --seed "$SEED" || st=$?
		result "$n" $st
	else
		result "$n (build)" 1
	fi
done <<EOF
pe_w4a8 mixpe_pe 4 0 2 128
pe_w4a16 mixpe_pe 4 1 2 128
pe_w2a8_l4_g8 mixpe_pe 2 0 4 8
pe_w2a16_l4_g8 mixpe_pe 2 1 4 8
pe_w3a8_l3_g6 mixpe_pe 3 0 3 6
pe_w3a16_l3_g6 mixpe_pe 3 1 3 6
pe_w4a8_l1_g2 mixpe_pe 4 0 1 2
pe_w4a16_l1_g2 mixpe_pe 4 1 1 2
arr_w4a8 mixpe_array 4 0 2 128
arr_w4a16 mixpe_array 4 1 2 128
arr_w2a16_l4_g16 mixpe_array 2 1 4 16
EOF

echo "== mutants: against the correct C model (must mismatch), against its broken variant (must agree)"
# name top fp16 define C-bugs
while read -r n top fp def bug; do
	if build "$n" "$top" -GFP16="$fp" -D"$def"; then
		echo "-- $n vs the correct C model"
		st=0
		"$OUT/$n/tb" --fp16 "$fp" --cycles "$MUT_CYC" --seed "$SEED" --show 1 \
			--expect-mismatch > "$OUT/$n.out" || st=$?
		grep -v "^  inputs at" "$OUT/$n.out"
		result "$n" $st
		echo "-- $n vs the C model with bugs=$bug"
		st=0
		"$OUT/$n/tb" --fp16 "$fp" --cycles "$MUT_CYC" --seed "$SEED" --bugs "$bug" || st=$?
		result "$n bugs=$bug" $st
	else
		result "$n (build)" 1
	fi
done <<EOF
pe_w4a8_mut_nz mixpe_pe 0 MUTANT_NO_ZERO_TERM 1
pe_w4a16_mut_nz mixpe_pe 1 MUTANT_NO_ZERO_TERM 1
arr_w4a8_mut_nz mixpe_array 0 MUTANT_NO_ZERO_TERM 1
arr_w4a16_mut_nz mixpe_array 1 MUTANT_NO_ZERO_TERM 1
pe_w4a8_mut_msb mixpe_pe 0 MUTANT_MSB_POS 2
pe_w4a16_mut_msb mixpe_pe 1 MUTANT_MSB_POS 2
EOF

echo "== Icarus replay of C-model vectors (mixpe_lockstep --dump, tb_mixpe_*_vec.v)"
# build-dir tb fp16 wbits lanes group define expect(0 agree, 1 mismatch)
while read -r n kind fp wb l g def exp; do
	tb=tb_mixpe_${kind}_vec
	if [ "$kind" = array ]; then files=$AR_V cyc=$((IV_CYC / 3)); else files=$PE_V cyc=$IV_CYC; fi
	"$OUT/$n/tb" --fp16 "$fp" --wbits "$wb" --lanes "$l" --group "$g" \
		--cycles "$cyc" --seed "$SEED" --dump "$OUT/$n.vec" > /dev/null || true
	[ "$def" = - ] && def=
	# shellcheck disable=SC2086
	iverilog -g2012 -Wall ${def:+-D$def} -o "$OUT/$n.vvp" -s $tb -P$tb.FP16="$fp" \
		-P$tb.WBITS="$wb" -P$tb.LANES="$l" -P$tb.GROUP="$g" "$HERE/$tb.v" $files
	line=$(vvp -n "$OUT/$n.vvp" +vec="$OUT/$n.vec" | tail -1)
	echo "   ${def:+[$def] }$line"
	bad=$(echo "$line" | sed 's/.* //')
	st=1
	if [ "$exp" = 0 ]; then
		[ "$bad" = 0 ] && st=0
	else
		[ "$bad" != 0 ] && st=0
	fi
	result "icarus $n $def" "$st"
	rm -f "$OUT/$n.vvp"
done <<EOF
pe_w4a8 pe 0 4 2 128 - 0
pe_w4a16 pe 1 4 2 128 - 0
pe_w2a16_l4_g8 pe 1 2 4 8 - 0
arr_w4a8 array 0 4 2 128 - 0
arr_w4a16 array 1 4 2 128 - 0
pe_w4a16 pe 1 4 2 128 MUTANT_NO_ZERO_TERM 1
EOF
rm -f "$OUT"/*.vec

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
