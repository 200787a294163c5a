#!/usr/bin/env bash
# examples.sh - the README's examples, run and compared, so the README
# cannot drift from what pesim prints (issue 14).
#
#   examples.sh PESIM SRCDIR
#
# An example is a fenced block right after a line "<!-- example -->" (or
# "<!-- example exit=N -->" when its commands exit N). In it, "$ build/pesim
# ..." lines are commands (a trailing backslash continues one), the lines
# after a command are what it prints on stdout (trailing blanks ignored):
# each must match a line of
# the output, in order and consecutively, where "..." alone stands for any
# number of lines and "..." inside a line for any text. Without a closing
# "..." the output must end there. The commands run in a scratch directory
# that sees the source tree (configs/, workloads/, tests/, ...) and
# build/pesim, in README order (an example may use a file an earlier one
# wrote). Commands of `pesim verify` are skipped when pesim has no RTL.
set -u
P=$(realpath "$1") SRC=$(realpath "$2")
W=$(mktemp -d /tmp/pesim-readme-XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/build"
ln -s "$P" "$W/build/pesim"
for d in configs workloads tests reports rtl; do ln -s "$SRC/$d" "$W/$d"; done
has_rtl=0
"$P" verify --list >/dev/null 2>&1 && has_rtl=1

# README -> records: "X<TAB>exit" per example, "C<TAB>command", "E<TAB>line"
awk '
	/^<!-- example( exit=[0-9]+)? -->$/ { want = 1; ex = 0
		if (match($0, /exit=[0-9]+/)) ex = substr($0, RSTART + 5, RLENGTH - 5)
		next }
	want && /^```/ { want = 0; inb = 1; printf "X\t%s\n", ex; next }
	want { want = 0 }
	inb && /^```/ { inb = 0; cont = 0; next }
	inb && cont { cmd = cmd " " $0; sub(/\\$/, "", cmd); cont = ($0 ~ /\\$/)
		if (!cont) printf "C\t%s\n", cmd; next }
	inb && /^\$ / { cmd = substr($0, 3); cont = (cmd ~ /\\$/); sub(/\\$/, "", cmd)
		if (!cont) printf "C\t%s\n", cmd; next }
	inb { printf "E\t%s\n", $0 }
' "$SRC/README.md" >"$W/.examples"

# match EXPECTED ACTUAL: exit 0 when ACTUAL fits EXPECTED (see above)
match() {
	awk -v exp_file="$1" '
		function rx(s,   r, i, c) {
			r = ""
			for (i = 1; i <= length(s); i++) {
				c = substr(s, i, 1)
				if (substr(s, i, 3) == "...") { r = r ".*"; i += 2; continue }
				if (index("\\^$.[]|()*+?{}/", c)) r = r "\\" c; else r = r c
			}
			return "^" r "$"
		}
		BEGIN { while ((getline l < exp_file) > 0) { sub(/[ \t]+$/, "", l); e[ne++] = l } }
		{ sub(/[ \t]+$/, ""); a[na++] = $0 }
		END {
			j = 0; skip = 0
			for (i = 0; i < ne; i++) {
				if (e[i] == "...") { skip = 1; continue }
				r = rx(e[i])
				while (skip && j < na && a[j] !~ r) j++
				if (j >= na || a[j] !~ r) {
					printf "    expected: %s\n    got:      %s\n", e[i], (j < na ? a[j] : "(end of output)")
					exit 1
				}
				j++; skip = 0
			}
			if (!skip && j < na) { printf "    unexpected line: %s\n", a[j]; exit 1 }
		}' "$2"
}

n=0 pass=0 fail=0 skipped=0 ex=0
run_one() {	# the command in $cmd, expected lines in $W/.exp
	n=$((n + 1))
	if [ $has_rtl = 0 ] && [[ $cmd == *"pesim verify"* ]]; then
		skipped=$((skipped + 1)); echo "skip: $cmd (pesim built without RTL)"; return
	fi
	(cd "$W" && bash -c "$cmd") >"$W/.out" 2>"$W/.err"
	local rc=$? why=""
	# a pipe into head ends its writer early: that is not a failure
	[[ $cmd == *"| head"* ]] && rc=0
	[ "$rc" = "$ex" ] || why="exit $rc, expected $ex: $(head -c 300 "$W/.err")"
	if [ -z "$why" ]; then why=$(match "$W/.exp" "$W/.out") || true; fi
	if [ -z "$why" ]; then
		pass=$((pass + 1)); echo "ok: $cmd"
	else
		fail=$((fail + 1)); echo "FAIL: $cmd"; echo "$why"
	fi
}
cmd=""
while IFS=$'\t' read -r kind text; do
	case $kind in
	X) [ -n "$cmd" ] && run_one; cmd=""; ex=$text ;;
	C) [ -n "$cmd" ] && run_one; cmd=$text; : >"$W/.exp" ;;
	E) printf '%s\n' "$text" >>"$W/.exp" ;;
	esac
done <"$W/.examples"
[ -n "$cmd" ] && run_one
echo "$n README examples: $pass match, $fail differ, $skipped skipped"
[ "$n" -gt 0 ] || { echo "no examples found"; fail=1; }
if [ $fail = 0 ]; then echo "[  PASSED  ] $pass test(s)."; else echo "[  FAILED  ] $fail test(s), listed above."; fi
[ $fail = 0 ]
