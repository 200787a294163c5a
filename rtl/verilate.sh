#!/usr/bin/env bash
# verilate.sh - one Verilated model (V<prefix>__ALL.a and V<prefix>.h)
# through a cache that several build directories share (rtl/meson.build;
# `make test`'s plain and sanitized builds use one, so each model is
# verilated and compiled once).
#
#   verilate.sh CACHE OUTDIR PREFIX VERILATOR ARGS... -- VERILOG...
#
# The cache entry is keyed by a SHA-256 of this script's version, the
# verilator and g++ (verilated.mk's CXX) versions, PREFIX, ARGS and every
# Verilog file's path and contents; so a change to any of them builds a new
# entry, and a hit is the same model. Verilator must read no Verilog file
# besides those listed (no `include, no -y search): that is checked, since
# only listed files are in the key. An entry is built in a temporary
# directory under CACHE and renamed into place when complete, so builds
# running at once never see half an entry (the loser of a race drops its
# copy). Nothing evicts entries: `make clean` removes the cache.
set -euo pipefail

cache=$1 outdir=$2 prefix=$3 verilator=$4
shift 4
args=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	args+=("$1")
	shift
done
[ $# -gt 1 ] || { echo "verilate.sh: no Verilog files after --" >&2; exit 2; }
shift
files=("$@")

key=$({
	echo "pesim verilate.sh 1"
	"$verilator" --version
	g++ --version | head -n 1
	printf '%s\0' "$prefix" "${args[@]}"
	for f in "${files[@]}"; do
		printf '%s\0' "$f"
		sha256sum <"$f"
	done
} | sha256sum | cut -c1-40)
entry=$cache/$prefix-$key

if [ ! -f "$entry/ok" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.tmp-$prefix-XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	"$verilator" "${args[@]}" --prefix "$prefix" --Mdir "$tmp/mdir" "${files[@]}"
	# the Verilog files verilator read (its dependency list) must be the
	# listed ones
	for f in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$tmp/mdir/${prefix}__ver.d"); do
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
	mv "$tmp/mdir/${prefix}__ALL.a" "$tmp/mdir/$prefix.h" "$tmp/"
	rm -rf "$tmp/mdir"
	touch "$tmp/ok"
	mv -T "$tmp" "$entry" 2>/dev/null || rm -rf "$tmp"
	trap - EXIT
fi
for f in "${prefix}__ALL.a" "$prefix.h"; do
	# a link keeps the entry's time: touch it, so ninja sees the output
	# newer than the inputs that made it run
	{ ln -f "$entry/$f" "$outdir/$f" 2>/dev/null || cp -f "$entry/$f" "$outdir/$f"; } &&
		touch "$outdir/$f"
done
