#!/usr/bin/env bash
# golden.sh - pesim's outputs recorded before the family-descriptor redesign
# (issue 10) and compared byte for byte since: `pesim report bitmod`,
# `pesim run --json` of every preset on two models x two scenarios,
# `pesim run --mode bit-true --json` of every preset on one GEMM, and the
# cycle counts of `pesim verify` for every PE with RTL. The JSON's
# provenance fields are left out (they change with every commit).
#
#   golden.sh check   PESIM SRCDIR   compare with tests/golden/*.txt (exit 1 on a difference)
#   golden.sh capture PESIM SRCDIR   rewrite them (only when a difference is a fix: say so in the commit)
set -u
mode=$1 pesim=$(realpath "$2") src=$(realpath "$3")
dir="$src/tests/golden"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src"

presets=$(cd "$src" && ls configs/arch/*/*.yaml | LC_ALL=C sort)

{
	"$pesim" report bitmod
	echo "exit $?"
} >"$out/report-bitmod.txt" 2>&1

for a in $presets; do
	for ms in "llama-2-7b prefill:512" "llama-2-7b decode:2048" \
		  "opt-6.7b prefill:128" "opt-6.7b generate:64+4"; do
		set -- $ms
		echo "== $a $1 $2"
		"$pesim" run --arch "$a" --model "$1" --scenario "$2" --json >"$out/j"
		echo "exit $?"
		# the summary as printed, the per-op rows by digest (MBs of them)
		sed 's/"ops":\[[^]]*\],//' "$out/j"
		echo "ops sha256 $(grep -o '"ops":\[[^]]*\]' "$out/j" | sha256sum | cut -c1-64)"
	done
done >"$out/run-json.txt" 2>&1

for a in $presets; do
	echo "== $a"
	"$pesim" run --arch "$a" --gemm 8x256x64 --mode bit-true --json
	echo "exit $?"
done >"$out/run-bittrue.txt" 2>&1

if "$pesim" verify --list >/dev/null 2>&1; then
	for pe in $("$pesim" verify --list | awk '/^  [a-z]/ {print $1}'); do
		echo "== $pe"
		"$pesim" verify --pe "$pe" --random 500 --vcd - --fst - |
			grep -E 'cycles compared|mismatches'
	done >"$out/verify.txt" 2>&1
fi

# provenance (pesim_version, git_sha: git describe) changes with every
# commit; the figures are what is recorded
sed -i -E 's/"pesim_version":"[^"]*","git_sha":"[^"]*",//' "$out"/*.txt

rc=0

rm -f "$out/j"
for f in "$out"/*.txt; do
	b=$(basename "$f")
	if [ "$mode" = capture ]; then
		cp "$f" "$dir/$b"
		echo "captured $b ($(wc -l <"$f") lines)"
	elif ! diff -u "$dir/$b" "$f"; then
		echo "FAIL golden $b differs"
		rc=1
	else
		echo "ok golden $b"
	fi
done
# the closing line tests/run-tests.sh counts, as CMocka prints it
n=$(ls "$out"/*.txt | wc -l)
if [ "$mode" = check ]; then
	if [ $rc -eq 0 ]; then echo "[  PASSED  ] $n test(s)."
	else echo "[  FAILED  ] 1 test(s), listed above."; fi
fi
exit $rc
