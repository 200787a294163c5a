#!/usr/bin/env bash
# hostile.sh - pesim against a hostile environment (issue 14): device,
# FIFO and symlink targets, a full disk (a small tmpfs this script mounts;
# skipped with the reason where mount is refused), unwritable directories,
# kill -9 at spread points of `report` and `run --h5` (20 each: the old
# output or the new, complete, nothing else), SIGINT/SIGTERM, stale
# temporary files, stdout on /dev/full, and the CLI cases of the issue.
#
#   hostile.sh PESIM H5PROBE SRCDIR [--sanitized]
#
# --sanitized (make test's AddressSanitizer build): 5 kill -9 points each
# instead of 20 (the kills test the writer's renames and sets, the same code
# the plain build kills at 20 points); every other case as in the plain
# build.
#
# One line per case, "ok|FAIL|skip N [class] what"; the last line is the
# CMocka-style count tests/run-tests.sh adds up.
set -u
P=$(realpath "$1") H5=$(realpath "$2") SRC=$(realpath "$3")
KILLS=20
[ "${4:-}" = --sanitized ] && KILLS=5
cd "$SRC"
T=$(mktemp -d /tmp/pesim-hostile-XXXXXX)
MOUNTS=()
cleanup() {
	for m in "${MOUNTS[@]}"; do umount -l "$m" 2>/dev/null; done
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# The report's six models with small dims (the same names): `report` runs
# in a fraction of a second, so kills land in its writing as often as in
# its arithmetic. Commands that need the real zoo unset PESIM_ZOO.
mkdir -p "$T/zoo"
for m in opt-1.3b phi-2 yi-6b llama-2-7b llama-2-13b llama-3-8b; do
	printf 'display: small %s\nsource: "tests/hostile"\nkind: decoder\nhidden: 256\nlayers: 2\nheads: 4\nkv_heads: 4\nhead_dim: 64\nffn: 512\nffn_kind: gated\nvocab: 1000\n' \
		"$m" >"$T/zoo/$m.yaml"
done
export PESIM_ZOO=$T/zoo
A=configs/arch/baseline/int8-ws-32x32.yaml
BM=configs/arch/bitmod/bitmod-lossy.yaml
n=0 pass=0 fail=0 skip=0 class=""
declare -A CLASSES
ok() { n=$((n + 1)); pass=$((pass + 1)); CLASSES[$class]=1; echo "ok $n [$class] $*"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); CLASSES[$class]=1; echo "FAIL $n [$class] $*"; }
skipped() { skip=$((skip + 1)); echo "skip [$class] $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# run CMD...: sets rc, out (stdout) and err (stderr)
run() {
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}
# expect RC PATTERN CMD...: exit status RC, stderr matching PATTERN (grep -E)
expect() {
	local want=$1 pat=$2 what
	shift 2
	what="$* -> exit $want /$pat/"
	run "$@"
	if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$err"; then
		ok "$what"
	else
		bad "$what: got exit $rc, stderr: ${err:0:300}"
	fi
}
# nothing in DIR but the names given (hidden entries included)
only() {
	local dir=$1; shift
	local got want
	got=$(cd "$dir" && ls -A | LC_ALL=C sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | grep -v '^$' | tr '\n' ' ')
	[ "$got" = "$want" ] || { echo "    $dir holds: $got (expected: $want)"; return 1; }
}
is_char() { [ "$(stat -c %F "$1")" = "character special file" ]; }
has() { grep -qE -- "$1" <<<"$2"; }
hasnt() { ! grep -qE -- "$1" <<<"$2"; }
h5ok() { "$H5" "$1" >/dev/null 2>&1; }
now() { date +%s.%N; }

can_root=0
if [ "$(id -u)" = 0 ] && mknod "$T/probe-dev" c 1 3 2>/dev/null; then can_root=1; fi
rm -f "$T/probe-dev"
can_mount=0
mkdir -p "$T/probe-mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$T/probe-mnt" 2>/dev/null; then
	can_mount=1
	umount "$T/probe-mnt"
fi
# mount_tmpfs DIR SIZE [ro]
mount_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2${3:+,$3}" tmpfs "$1" && MOUNTS+=("$1")
}
has_rtl=0
"$P" verify --list >/dev/null 2>&1 && has_rtl=1

# ---------------------------------------------------------------- devices
class=device
d=$T/dev; mkdir -p "$d"
if [ $can_root = 1 ]; then
	mknod "$d/full" c 1 7
	expect 2 "character device" "$P" run --arch $A --gemm 64x512x512 --h5 "$d/full"
	check "the device node survives run --h5" is_char "$d/full"
	expect 2 "character device" "$P" compile --arch $A --gemm 64x512x512 -o "$d/full"
	check "the device node survives compile -o" is_char "$d/full"
	mknod "$d/g.pest.h5" c 1 7
	expect 2 "g.pest.h5: exists and is a character device" \
		"$P" compile --arch $A --gemm 64x64x64 --bit-true -o "$d/g.pest"
	check "compile --bit-true wrote neither file" only "$d" full g.pest.h5
	mkdir "$d/rep"; mknod "$d/rep/bitmod.png" c 1 7
	expect 2 "bitmod.png: exists and is a character device" "$P" report bitmod --quiet --out "$d/rep"
	check "report left the device and nothing else" only "$d/rep" bitmod.png
	check "the device node survives report" is_char "$d/rep/bitmod.png"
	ln -s full "$d/to-dev"
	expect 2 "character device" "$P" run --arch $A --gemm 64x512x512 --h5 "$d/to-dev"
	check "a link to a device: link and device kept" \
		bash -c "[ -L '$d/to-dev' ] && [ \"\$(stat -c %F '$d/full')\" = 'character special file' ]"
	if [ $has_rtl = 1 ]; then
		expect 2 "character device" "$P" verify --pe int8_mac --mutant --random 10 --vcd "$d/full"
	else
		skipped "verify --vcd to a device: pesim built without RTL"
	fi
else
	skipped "device targets: mknod refused (not root)"
fi
mkfifo "$d/fifo"
expect 2 "a FIFO" timeout 20 "$P" run --arch $A --gemm 64x512x512 --h5 "$d/fifo"
mkdir "$d/dir"
expect 2 "is a directory" "$P" run --arch $A --gemm 64x512x512 --h5 "$d/dir"
expect 2 "is a directory" "$P" compile --arch $A --gemm 64x64x64 -o "$d/"

# ---------------------------------------------------------------- symlinks
class=symlink
s=$T/sym; mkdir -p "$s/real" "$s/other"
echo old >"$s/real/x.h5"
ln -s real/x.h5 "$s/link.h5"
run "$P" run --arch $A --gemm 64x512x512 --h5 "$s/link.h5"
check "run --h5 through a link: exit 0" [ "$rc" = 0 ]
check "the link stays a link" [ -L "$s/link.h5" ]
check "its target holds the HDF5 file" h5ok "$s/real/x.h5"
check "nothing else next to the target" only "$s/real" x.h5
ln -s ../other/new.h5 "$s/real/dangling.h5"
run "$P" run --arch $A --gemm 64x512x512 --h5 "$s/real/dangling.h5"
check "a dangling link: the file is created where it points" h5ok "$s/other/new.h5"
ln -s link.h5 "$s/chain.h5"
run "$P" run --arch $A --gemm 128x512x512 --h5 "$s/chain.h5"
check "a chain of links is followed" bash -c "[ -L '$s/chain.h5' ] && [ -L '$s/link.h5' ] && '$H5' '$s/real/x.h5' | grep -q 'attr scenario utf8 vlen 128x512x512'"
ln -s real "$s/dirlink"
run "$P" compile --arch $A --gemm 64x64x64 -o "$s/dirlink/t.pest"
check "compile -o through a directory link" bash -c "[ -f '$s/real/t.pest' ] && '$P' dis --summary '$s/real/t.pest' >/dev/null"
ln -s real "$s/outlink"
run "$P" report bitmod --quiet --out "$s/outlink"
check "report --out a link to a directory" bash -c "[ -f '$s/real/bitmod.md' ] && [ -L '$s/outlink' ]"
mkdir "$s/foreign"; echo mine >"$s/mine.csv"; ln -s ../mine.csv "$s/foreign/bitmod.csv"
expect 2 "not pesim's" "$P" report bitmod --quiet --out "$s/foreign"
check "a foreign link in a report set is left alone" bash -c "[ \"\$(cat '$s/foreign/bitmod.csv')\" = mine ]"

# ---------------------------------------------------------------- full disk
class=full-disk
if [ $can_mount = 1 ]; then
	f=$T/full
	mount_tmpfs "$f" 16k
	expect 2 "No space left on device" "$P" run --arch $A --model llama-2-7b --scenario generate:64+4 --h5 "$f/x.h5"
	check "run --h5 on a full disk: no crash, nothing left" only "$f"
	expect 2 "No space left on device" "$P" compile --arch $A --model llama-2-7b --scenario generate:256+20 -o "$f/x.pest"
	check "compile on a full disk: nothing left" only "$f"
	expect 2 "No space left on device" "$P" compile --arch $A --gemm 256x256x256 --bit-true -o "$f/g.pest"
	check "compile --bit-true on a full disk: neither file" only "$f"
	expect 2 "No space left on device" "$P" report bitmod --quiet --out "$f/r"
	check "report on a full disk: an empty directory" only "$f/r"
	# an old set, then a disk that cannot hold a new one
	g=$T/full2
	mount_tmpfs "$g" 1m
	"$P" report bitmod --quiet --out "$g/r" 2>/dev/null
	mkdir -p "$T/ref-full"; cp "$g"/r/bitmod.* "$T/ref-full/"
	avail=$(df --output=avail -B1 "$g" | tail -1)
	head -c $((avail - 40960)) /dev/zero >"$g/filler" 2>/dev/null
	expect 2 "No space left on device" "$P" report bitmod --quiet --compat-attn kv-read --out "$g/r"
	check "the old set is intact" bash -c "for x in md csv h5 png; do cmp -s '$g/r/bitmod.'\$x '$T/ref-full/bitmod.'\$x || exit 1; done"
	check "no staging directory left" bash -c "[ \$(ls -A '$g/r' | grep -c pesim-gen) = 1 ]"
	if [ $has_rtl = 1 ]; then
		v=$T/full3; mount_tmpfs "$v" 8k	# no room for the VCD
		expect 1 "No space left on device" "$P" verify --pe int8_mac --mutant --random 10 --wave-dir "$v"
		check "verify's VCD on a full disk: nothing left" only "$v"
		umount "$v"; mount_tmpfs "$v" 12k	# the VCD fits, the FST does not
		expect 1 "FST writer (died of signal 7|failed).*disk full" "$P" verify --pe int8_mac --mutant --random 10 --wave-dir "$v"
		check "verify's FST on a full disk: the VCD and nothing else" only "$v" pesim-verify-pe_int8_mac_mutant.vcd
	else
		skipped "verify's waveforms on a full disk: pesim built without RTL"
	fi
else
	skipped "full disk: mount -t tmpfs refused (needs root and CAP_SYS_ADMIN)"
fi

# ---------------------------------------------------------------- unwritable
class=unwritable
u=$T/ro
if [ $can_mount = 1 ]; then
	mount_tmpfs "$u" 1m
	"$P" report bitmod --quiet --out "$u/set" 2>/dev/null
	mkdir -p "$T/ref-ro"; cp "$u"/set/bitmod.* "$T/ref-ro/"
	mount -o remount,ro "$u"
	expect 2 "Read-only file system" "$P" run --arch $A --gemm 64x512x512 --h5 "$u/x.h5"
	expect 2 "Read-only file system" "$P" compile --arch $A --gemm 64x64x64 -o "$u/x.pest"
	expect 2 "Read-only file system" "$P" report bitmod --quiet --out "$u/new"
	expect 2 "Read-only file system" "$P" report bitmod --quiet --out "$u/set"
	check "the old set is intact on the read-only disk" bash -c "for x in md csv h5 png; do cmp -s '$u/set/bitmod.'\$x '$T/ref-ro/bitmod.'\$x || exit 1; done"
elif [ "$(id -u)" != 0 ]; then
	mkdir -p "$u"; chmod 555 "$u"
	expect 2 "Permission denied" "$P" run --arch $A --gemm 64x512x512 --h5 "$u/x.h5"
	expect 2 "Permission denied" "$P" report bitmod --quiet --out "$u/new"
	check "nothing created" only "$u"
else
	skipped "unwritable directories: root ignores permissions and mount is refused"
fi

# ---------------------------------------------------------------- kill -9
class=kill-9
RANDOM=14	# the kill points are the same on every run
# classify DIR REF_OLD REF_NEW FILES...: "old", "new" or what is wrong
classify() {
	local dir=$1 ro=$2 rn=$3; shift 3
	local olds=0 news=0 f
	for f in "$@"; do
		if cmp -s "$dir/$f" "$ro/$f"; then olds=$((olds + 1))
		elif cmp -s "$dir/$f" "$rn/$f"; then news=$((news + 1))
		else echo "torn: $f"; return; fi
	done
	if [ $olds = $# ]; then echo old
	elif [ $news = $# ]; then echo new
	else echo "mixed: $olds old, $news new"; fi
}
# visible entries must be the set; hidden ones only pesim's own names
tidy() {
	local dir=$1; shift
	only_visible=$(cd "$dir" && ls | LC_ALL=C sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
	[ "$only_visible" = "$want" ] || { echo "visible: $only_visible"; return 1; }
	(cd "$dir" && ls -A | grep '^\.' | grep -qvE '\.pesim-(set|gen|tmp)$') && {
		echo "hidden: $(cd "$dir" && ls -A | grep '^\.' | tr '\n' ' ')"; return 1; }
	return 0
}
kills() {	# kills LABEL N T_REF RESTORE... -- CMD...: N kill -9 at spread points
	local label=$1 count=$2 tref=$3 dir=$4 ro=$5 rn=$6; shift 6
	local files=() k t res olds=0 news=0
	while [ "$1" != -- ]; do files+=("$1"); shift; done
	shift
	for k in $(seq 1 "$count"); do
		rm -rf "$dir"; cp -a "$ro.set" "$dir"
		# spread over the run, denser towards its end where files are written
		t=$(awk -v r=$RANDOM -v T="$tref" 'BEGIN { printf "%.3f", T * (0.2 + 1.0 * r / 32767) }')
		"$@" >/dev/null 2>&1 &
		local pid=$!
		sleep "$t"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		res=$(classify "$dir" "$ro" "$rn" "${files[@]}")
		local why=""
		why=$(tidy "$dir" "${files[@]}") || res="$res, $why"
		case $res in
		old) olds=$((olds + 1)); ok "$label kill $k/$count at ${t}s: the old output" ;;
		new) news=$((news + 1)); ok "$label kill $k/$count at ${t}s: the new output" ;;
		*) bad "$label kill $k/$count at ${t}s: $res" ;;
		esac
	done
	echo "    $label: $count kills, $olds left the old output, $news the new"
}
K=$T/kill; mkdir -p "$K"
# report: the old set is the published attention, the new one kv-read
"$P" report bitmod --quiet --out "$K/old.set"
"$P" report bitmod --quiet --compat-attn kv-read --out "$K/new.set"
mkdir -p "$K/old" "$K/new"
for x in md csv h5 png; do cp "$K/old.set/bitmod.$x" "$K/old/"; cp "$K/new.set/bitmod.$x" "$K/new/"; done
check "the old and new report sets differ" bash -c "! cmp -s '$K/old/bitmod.csv' '$K/new/bitmod.csv'"
t0=$(now); "$P" report bitmod --quiet --compat-attn kv-read --out "$K/timing" 2>/dev/null; t1=$(now)
tref=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
echo "    report takes ${tref}s"
tref_report=$tref
kills report $KILLS "$tref" "$K/r" "$K/old" "$K/new" bitmod.md bitmod.csv bitmod.h5 bitmod.png -- \
	"$P" report bitmod --quiet --compat-attn kv-read --out "$K/r"
run "$P" report bitmod --quiet --compat-attn kv-read --out "$K/r"
check "the next report removes what the kills left" bash -c "[ \$(ls -A '$K/r' | grep -c 'pesim-gen\$') = 1 ] && ! ls -A '$K/r' | grep -q 'pesim-tmp\$'"
# run --h5: the old file a GEMM's, the new one a model's
mkdir -p "$K/h5old.set" "$K/h5old" "$K/h5new"
"$P" run --arch $BM --gemm 64x512x512 --h5 "$K/h5old.set/run.h5" >/dev/null
cp "$K/h5old.set/run.h5" "$K/h5old/"
NEWRUN=(env PESIM_ZOO= "$P" run --arch $BM --model llama-2-7b --scenario generate:256+20 --ops --h5)
"${NEWRUN[@]}" "$K/h5new/run.h5" >/dev/null
t0=$(now); "${NEWRUN[@]}" "$K/timing.h5" >/dev/null; t1=$(now)
tref=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
echo "    run --h5 takes ${tref}s"
kills "run --h5" $KILLS "$tref" "$K/h" "$K/h5old" "$K/h5new" run.h5 -- "${NEWRUN[@]}" "$K/h/run.h5"
"${NEWRUN[@]}" "$K/h/run.h5" >/dev/null
check "the next run --h5 removes what the kills left" only "$K/h" run.h5

# ---------------------------------------------------------------- SIGINT / SIGTERM
class=signal
# job control: without it a background job starts with SIGINT ignored
set -m
S=$T/sig; mkdir -p "$S"
"$P" report bitmod --quiet --out "$S/old.set"
mkdir -p "$S/old"; cp "$S"/old.set/bitmod.* "$S/old/"
for sig in TERM INT; do
	for frac in 0.1 0.5 0.9; do
		at=$(awk -v T="$tref_report" -v f=$frac 'BEGIN { printf "%.3f", T * f }')
		rm -rf "$S/r"; cp -a "$S/old.set" "$S/r"
		t=$at
		"$P" report bitmod --quiet --compat-attn kv-read --out "$S/r" >/dev/null 2>&1 &
		pid=$!; sleep "$t"; kill -$sig $pid 2>/dev/null; wait $pid 2>/dev/null
		st=$?
		res=$(classify "$S/r" "$S/old" "$K/new" bitmod.md bitmod.csv bitmod.h5 bitmod.png)
		gens=$(ls -A "$S/r" | grep -c 'pesim-gen$')
		tmps=$(ls -A "$S/r" | grep -c 'pesim-tmp$')
		if { [ "$res" = old ] || [ "$res" = new ]; } && [ "$gens" = 1 ] && [ "$tmps" = 0 ]; then
			ok "SIG$sig at ${t}s: the $res set (exit status $st), no staging or temporary file left"
		else
			bad "SIG$sig at ${t}s: $res, $gens generations, $tmps temporary files: $(ls -A "$S/r")"
		fi
	done
done
rm -f "$S/x.h5"
"${NEWRUN[@]}" "$S/x.h5" >/dev/null 2>&1 &
pid=$!; sleep 0.05; kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null
check "SIGINT during run --h5: no temporary file" bash -c "! ls -A '$S' | grep -q pesim-tmp"
set +m

# ---------------------------------------------------------------- stale temporary files
class=stale
st=$T/stale; mkdir -p "$st"
sleep 0 & dead=$!; wait $dead
touch "$st/.x.h5.$dead.pesim-tmp" "$st/.x.h5.$$.pesim-tmp" "$st/.y.h5.$dead.pesim-tmp"
run "$P" run --arch $A --gemm 64x512x512 --h5 "$st/x.h5"
check "a dead process's temporary file of the target is removed" [ ! -e "$st/.x.h5.$dead.pesim-tmp" ]
check "a live process's temporary file is kept" [ -e "$st/.x.h5.$$.pesim-tmp" ]
check "another target's temporary file is kept" [ -e "$st/.y.h5.$dead.pesim-tmp" ]
mkdir -p "$st/r"; cp -a "$S/old.set/." "$st/r/"
mkdir "$st/r/.bitmod.$dead-1.pesim-gen"; touch "$st/r/.bitmod.$dead-1.pesim-gen/bitmod.md"
ln -s x "$st/r/.bitmod.pesim-set.$dead.pesim-tmp"
run "$P" report bitmod --quiet --out "$st/r"
check "a killed report's staging directory is removed" [ ! -e "$st/r/.bitmod.$dead-1.pesim-gen" ]
check "a killed report's link temporary file is removed" [ ! -L "$st/r/.bitmod.pesim-set.$dead.pesim-tmp" ]

# ---------------------------------------------------------------- stdout
class=stdout
if [ -w /dev/full ]; then
	for c in "report bitmod" "run --arch $A --gemm 64x512x512" "run --arch $A --gemm 64x512x512 --json" \
		 "run --arch $A --gemm 8x256x64 --mode bit-true" "models" "models --json" "dis --isa" \
		 "quant --list" "compile --arch $A --gemm 64x64x64 -o $T/so.pest" "--version" "--help" "run --help"; do
		expect 2 "stdout: No space left on device" sh -c "exec '$P' $c >/dev/full"
	done
	[ $has_rtl = 1 ] && expect 2 "stdout: No space left on device" sh -c "exec '$P' verify --list >/dev/full"
else
	skipped "stdout errors: no /dev/full"
fi

# ---------------------------------------------------------------- CLI cases
class=cli
c=$T/cli; mkdir -p "$c"
cp $A "$c/two-docs.yaml"; printf -- '---\nname: [unclosed\n' >>"$c/two-docs.yaml"
expect 2 "two-docs.yaml:[0-9]+: " "$P" run --arch "$c/two-docs.yaml" --gemm 64x64x64
cp $A "$c/second.yaml"; printf -- '---\nname: other\n' >>"$c/second.yaml"
expect 2 "second.yaml:[0-9]+: a second YAML document" "$P" run --arch "$c/second.yaml" --gemm 64x64x64
# libfyaml 0.7.12 loops forever on an invalid byte in a directive (found
# by fuzz_yaml): configs must be UTF-8 text
{ printf '%%\377\n'; cat $A; } >"$c/not-utf8.yaml"
expect 2 "not-utf8.yaml:1: not UTF-8 text \(byte 0xff at offset 1\)" \
	timeout 20 "$P" run --arch "$c/not-utf8.yaml" --gemm 64x64x64
sed 's/^name: .*/name: "int8\\0ws"/' $A >"$c/nul.yaml"
expect 2 "nul.yaml:[0-9]+: name: a NUL character" "$P" run --arch "$c/nul.yaml" --gemm 64x64x64
expect 2 "--tokens: '0' is not an integer in 1\.\." "$P" run --arch $A --mode bit-true --weights tests/data/bad/tensors/npy-fortran.npy --tokens 0
# a [1, 4] float32 .npy with 1e6 in it
{ printf '\x93NUMPY\x01\x00\x76\x00'
  printf "%-117s\n" "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }"
  printf '\x00\x00\x80\x3f\x00\x24\x74\x49\x00\x00\x80\x3f\x00\x00\x80\x3f'; } >"$c/big.npy"
expect 2 "big.npy: weight \[0, 1\] = 1e\+06 is outside FP16's range" \
	"$P" run --arch $A --mode bit-true --weights "$c/big.npy"
expect 2 "--tensor names a tensor of a \.safetensors file" \
	"$P" run --arch $A --mode bit-true --weights "$c/big.npy" --tensor w
expect 2 "configs: is a directory" "$P" run --arch configs --gemm 64x64x64
expect 2 "is a directory" "$P" run --arch $A --trace configs
expect 2 "is a directory" "$P" dis configs
"$P" compile --arch $A --gemm 64x64x64 -o "$c/g.pest" >/dev/null
"$P" compile --arch $A --gemm 64x64x64 --bit-true -o "$c/bt.pest" >/dev/null && rm "$c/bt.pest.h5"
expect 2 "bt.pest.h5: cannot open: No such file or directory" "$P" run --arch $A --mode bit-true --trace "$c/bt.pest"
expect 2 "--gemm 1x1x99999999999: N = 99999999999 is above the limit 4294967295" "$P" run --arch $A --gemm 1x1x99999999999
expect 2 "--gemm 0x8x8: M is 0" "$P" compile --arch $A --gemm 0x8x8 -o "$c/z.pest"
expect 2 "--layer: '-1' is not an integer" "$P" run --arch $A --mode bit-true --model llama-2-7b --scenario prefill:8 --layer -1
check "--layer -1 is not read as 4294967295" hasnt 4294967295 "$err"
expect 2 "--seed: '-1' is not an integer" "$P" run --arch $A --mode bit-true --gemm 8x64x8 --seed -1
expect 2 "--seed: '-1' is not an integer" "$P" compile --arch $A --gemm 8x64x8 --bit-true --seed -1 -o "$c/s.pest"
expect 2 "--h5: empty value" "$P" run --arch $A --gemm 64x64x64 --h5 ''
expect 2 "^pesim run: unknown option '--bogus'" "$P" run --arch $A --bogus
expect 2 "^pesim quant: option '--bits' needs a value" "$P" quant --model opt-1.3b --bits
expect 2 "--arch given twice" "$P" run --arch $A --arch $BM --gemm 64x64x64
expect 2 "--gemm given twice" "$P" run --arch $A --gemm 64x64x64 --gemm 8x8x8
expect 2 "--h5 applies to cycle and compat mode" "$P" run --arch $A --mode bit-true --gemm 8x64x8 --h5 "$c/b.h5"
run "$P" run --arch $A --trace "$c/g.pest"
check "a replayed trace is labelled model (trace), not gemm" has "model \(trace\)  scenario trace" "$out"
run "$P" run --arch $A --gemm 64x512x512
check "no progress on a stderr that is not a terminal" [ -z "$err" ]
run "$P" run --arch $A --model llama-2-7b --scenario prefill:512 --progress
check "--progress: lines on a pipe, ending at 100%" has "^simulate \[#+\] 100% .* tiles/s, .*ETA 0:00\$" "$(tail -1 <<<"$err")"
run "$P" report bitmod --progress --quiet
check "--quiet after --progress: nothing on stderr or stdout" [ -z "$err$out" ]
run "$P" quant --model opt-1.3b --layer 0 --linear q --formats int4-g128 --progress
check "quant --progress ends at 100%" has "^quant \[#+\] 100% " "$(tail -1 <<<"$err")"
run "$P" run --arch $BM --mode bit-true --model llama-2-7b --scenario prefill:4 --layer 1 --progress
check "bit-true layer --progress ends at 100%" has "^bit-true \[#+\] 100% .* MACs" "$(tail -1 <<<"$err")"
run "$P" compile --arch $BM --model llama-2-7b --scenario generate:8+2 -o "$c/p.pest" --progress
check "compile --progress ends at 100%" has "^compile \[#+\] 100% .* MACs" "$(tail -1 <<<"$err")"
run "$P" run --arch $BM --trace "$c/p.pest" --progress
check "a replayed trace's progress counts tiles" has "^simulate: .* tiles, .* tiles/s" "$(tail -1 <<<"$err")"
if [ $has_rtl = 1 ]; then
	run "$P" verify --pe int8_mac --random 20000 --progress
	check "verify --progress ends at 100%" has "^verify \[#+\] 100% .* edges" "$(tail -1 <<<"$err")"
	mkdir -p "$c/wd"
	run bash -c "cd '$c/wd' && '$P' verify --pe int8_mac --mutant --random 10 --wave-dir waves"
	check "verify --wave-dir: the waveforms there, nothing in the working directory" \
		bash -c "[ -s '$c/wd/waves/pesim-verify-pe_int8_mac_mutant.vcd' ] && [ -s '$c/wd/waves/pesim-verify-pe_int8_mac_mutant.fst' ] && [ \"\$(ls '$c/wd')\" = waves ]"
fi
if git -C "$SRC" rev-parse >/dev/null 2>&1; then
	for f in pesim-verify-pe_int8_mac.vcd pesim-verify-pe_int8_mac.fst .x.h5.1.pesim-tmp \
		 .bitmod.1-1.pesim-gen/bitmod.md .bitmod.pesim-set; do
		check "$f is git-ignored" git -C "$SRC" check-ignore -q "$f"
	done
fi

# provenance: --version, JSON and HDF5 agree on git describe
run "$P" --version
ver=$(sed -E 's/^pesim [^ ]+ \((.*)\)$/\1/' <<<"$out")
want=$(git -C "$SRC" describe --always --dirty 2>/dev/null || sed -nE "s/^ *version *: *'([^']*)'.*/\1/p" "$SRC/meson.build")
check "--version carries git describe ($want)" [ -n "$ver" ]
echo "    --version: $out (git describe now: $want)"
run "$P" run --arch $A --gemm 64x64x64 --json --h5 "$c/p.h5"
check "JSON git_sha is --version's" has "\"git_sha\":\"$ver\"" "$out"
check "HDF5 git_sha is --version's" has "^attr git_sha utf8 vlen $ver\$" "$("$H5" "$c/p.h5")"

echo "$n cases in ${#CLASSES[@]} classes (${!CLASSES[*]}): $pass passed, $fail failed, $skip skipped"
if [ $fail = 0 ]; then echo "[  PASSED  ] $pass test(s)."; else echo "[  FAILED  ] $fail test(s), listed above."; fi
[ $fail = 0 ]
