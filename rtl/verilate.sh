#!/usr/bin/env bash
# verilate.sh - one Verilated model (V<prefix>__ALL.a and V<prefix>.h), or
# Verilator's runtime as a static library, through a cache that several
# build directories share (rtl/meson.build; `make test`'s plain and
# sanitized builds use one, so each is built once).
#
#   verilate.sh CACHE OUTDIR PREFIX VERILATOR ARGS... -- VERILOG...
#   verilate.sh --runtime CACHE OUT.a CXX FLAGS... -- SOURCES...
#
# A cache entry is keyed by a SHA-256 of this script's version, the tools'
# versions (verilator and g++, verilated.mk's CXX; or CXX), PREFIX or
# OUT's name, ARGS or FLAGS and every input file's path and contents; so a
# change to any of them builds a new entry, and a hit is the same build.
# Verilator must read no Verilog file besides those listed (no `include,
# no -y search): that is checked, since only listed files are in the key.
# An entry is built in a temporary directory under CACHE and renamed into
# place when complete, so builds running at once never see half an entry
# (the loser of a race drops its copy). Nothing evicts entries: `make
# clean` removes the cache.
set -euo pipefail

# the entry $cache/$1-$2 built by the function $3 into a temporary
# directory (its argument), unless it is there
cached() {
	entry=$cache/$1-$2
	if [ ! -f "$entry/ok" ]; then
		mkdir -p "$cache"
		tmp=$(mktemp -d "$cache/.tmp-$1-XXXXXX")
		trap 'rm -rf "$tmp"' EXIT
		"$3" "$tmp"
		touch "$tmp/ok"
		mv -T "$tmp" "$entry" 2>/dev/null || rm -rf "$tmp"
		trap - EXIT
	fi
}

# $1 (a file of the entry) to $2: a link keeps the entry's time, so touch
# it (ninja sees the output newer than the inputs that made it run)
place() {
	{ ln -f "$1" "$2" 2>/dev/null || cp -f "$1" "$2"; } && touch "$2"
}

# opts: the arguments before "--", inputs: those after it (at least one,
# else exit 2 naming what they are)
split() {
	local what=$1
	shift
	opts=() inputs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ $# -gt 1 ] || { echo "verilate.sh: no $what after --" >&2; exit 2; }
	shift
	inputs=("$@")
}

# every input's path and contents, for a key
inputs_digest() {
	for f in "${inputs[@]}"; do
		printf '%s\0' "$f"
		sha256sum <"$f"
	done
}

if [ "$1" = --runtime ]; then
	cache=$2 out=$3 cxx=$4
	shift 4
	split sources "$@"
	flags=("${opts[@]}") srcs=("${inputs[@]}")
	name=$(basename "$out" .a)
	key=$({
		echo "pesim verilate.sh runtime 1"
		"$cxx" --version | head -n 1
		printf '%s\0' "$name" "${flags[@]}"
		inputs_digest
	} | sha256sum | cut -c1-40)
	build_runtime() {
		local objs=() i=0
		for f in "${srcs[@]}"; do
			"$cxx" "${flags[@]}" -c "$f" -o "$1/$i.o"
			objs+=("$1/$i.o")
			i=$((i + 1))
		done
		ar rcs "$1/$name.a" "${objs[@]}"
		rm -f "${objs[@]}"
	}
	cached "$name" "$key" build_runtime
	place "$entry/$name.a" "$out"
	exit 0
fi

cache=$1 outdir=$2 prefix=$3 verilator=$4
shift 4
split "Verilog files" "$@"
args=("${opts[@]}") files=("${inputs[@]}")

key=$({
	echo "pesim verilate.sh 2"
	"$verilator" --version
	g++ --version | head -n 1
	printf '%s\0' "$prefix" "${args[@]}"
	inputs_digest
} | sha256sum | cut -c1-40)
# What `verilator --build` does (make -C MDIR -f V<prefix>.mk -j 1 and the
# -MAKEFLAGS), but the tracing's per-edge code (V<prefix>__Trace__N.cpp,
# which only a waveform dump runs) compiled as Verilator's slow code
# (OPT_SLOW, unoptimised) instead of with OPT_FAST: a third of some models'
# fast code (mixpe_array 2.8 of 7.2 MB), ~3x quicker to compile, and not
# a line of it runs while no waveform is open.
vl_args=() mk_args=()
for ((i = 0; i < ${#args[@]}; i++)); do
	case ${args[i]} in
	--build) ;;
	-MAKEFLAGS) mk_args+=("${args[i + 1]}"); vl_args+=("${args[i]}" "${args[i + 1]}"); i=$((i + 1)) ;;
	*) vl_args+=("${args[i]}") ;;
	esac
done
# the names listed after "VAR +=" in a Verilator *_classes.mk
mk_list() {
	awk -v v="$1" '$1 == v && $2 == "+=" { on = 1; next }
		on && NF == 0 { on = 0 }
		on { sub(/\\$/, ""); if ($1 != "") print $1 }' "$2"
}
build_model() {
	local mdir=$1/mdir classes fast=() slow=() f
	"$verilator" "${vl_args[@]}" --prefix "$prefix" --Mdir "$mdir" "${files[@]}"
	classes=$mdir/${prefix}_classes.mk
	for f in $(mk_list VM_SUPPORT_FAST "$classes"); do
		case $f in
		*__Trace__*) slow+=("$f") ;;
		*) fast+=("$f") ;;
		esac
	done
	slow+=($(mk_list VM_SUPPORT_SLOW "$classes"))
	make -C "$mdir" -f "$prefix.mk" -j 1 "${mk_args[@]}" \
		"VM_SUPPORT_FAST=${fast[*]}" "VM_SUPPORT_SLOW=${slow[*]}"
	# the Verilog files verilator read (its dependency list) must be the
	# listed ones
	for f in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$mdir/${prefix}__ver.d"); do
		case $f in
		*.v | *.sv | *.vh | *.svh) ;;
		*) continue ;;
		esac
		listed=
		for g in "${files[@]}"; do
			[ "$(realpath "$g")" = "$(realpath "$f")" ] && listed=1
		done
		[ -n "$listed" ] || {
			echo "verilate.sh: $prefix: verilator read $f, which is not" \
			     "among the row's files (list it: the cache key covers" \
			     "only listed files)" >&2
			exit 2
		}
	done
	mv "$mdir/${prefix}__ALL.a" "$mdir/$prefix.h" "$1/"
	rm -rf "$mdir"
}
cached "$prefix" "$key" build_model
for f in "${prefix}__ALL.a" "$prefix.h"; do
	place "$entry/$f" "$outdir/$f"
done
