#!/usr/bin/env bash
# reports.sh - every report, byte for byte reproducible: `pesim report all`
# with one worker and with two writes the same files (Markdown, CSV, HDF5,
# PNG), each report's set complete and nothing else in the directory; a
# report run alone writes the same files as inside `report all`.
#
#   reports.sh PESIM [--sanitized]
#
# --sanitized (make test's AddressSanitizer build): `report all --jobs 2`
# alone, its every set complete; the reproducibility comparisons, which need
# two more runs of every report, are the plain build's (75 s of the
# sanitized run down to about a third).
set -u
pesim=$(realpath "$1")
sanitized=
[ "${2:-}" = --sanitized ] && sanitized=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rc=0
fail() { echo "FAIL: $*"; rc=1; }

"$pesim" report all --out "$out/b" --jobs 2 >"$out/b.txt" || fail "report all --jobs 2: exit $?"
if [ -z "$sanitized" ]; then
	"$pesim" report all --quiet --out "$out/a" --jobs 1 || fail "report all --jobs 1: exit $?"
	"$pesim" report lut-tc --quiet --out "$out/c" || fail "report lut-tc: exit $?"
fi
names=$("$pesim" report --help | awk '/^reports:/ {on = 1; next} on && NF {print $1}')
n=0
for r in $names; do
	grep -q "^$r .*/$r.{md,csv,h5,png}" "$out/b.txt" || fail "report all: no line for $r"
	for s in md csv h5 png; do
		f=$r.$s
		[ -s "$out/b/$f" ] || { fail "$f: missing or empty"; continue; }
		n=$((n + 1))
		[ -n "$sanitized" ] && continue
		cmp -s "$out/a/$f" "$out/b/$f" || fail "$f differs between --jobs 1 and --jobs 2"
	done
done
for s in md csv h5 png; do
	[ -n "$sanitized" ] && break
	cmp -s "$out/a/lut-tc.$s" "$out/c/lut-tc.$s" || fail "lut-tc.$s differs alone and in report all"
done
# nothing but the sets: each name a link into its set's generation
left=$(find "$out" -name '*.pesim-tmp' | wc -l)
[ "$left" = 0 ] || fail "$left temporary files left"
echo "checked $n files of $(echo $names | wc -w) reports"
if [ $rc = 0 ]; then echo "[  PASSED  ] 1 test(s)."; else echo "[  FAILED  ] 1 test(s), listed above."; fi
exit $rc
