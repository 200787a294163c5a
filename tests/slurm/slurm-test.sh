#!/bin/bash
# slurm-test.sh PESIM SRCDIR - the repo's sbatch script on a real Slurm.
#
# Starts a single-node Slurm (Debian's slurm-wlm 22.05) and munge on this
# machine with every file under a temporary folder (nothing in /etc), the
# daemons as root in the foreground (setsid, stopped by their PIDs), submits
# scripts/slurm/pesim-sweep.sbatch as a 4-task job array over a small
# sweep, merges the shards and checks the merged file equals a local -j 2
# run byte for byte; also that a missing shard is reported for resubmission.
# Skips (exit 77) when not root or slurm-wlm / munge are not installed.
set -u
pesim=$(readlink -f "$1")
src=$(readlink -f "$2")
t0=$(date +%s.%N)

for p in munged mungekey slurmctld slurmd sbatch squeue sinfo; do
	if ! command -v "$p" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$p" ]; then
		echo "SKIP: $p not installed (Debian slurm-wlm, munge)"; exit 77
	fi
done
if [ "$(id -u)" != 0 ]; then echo "SKIP: the Slurm daemons need root"; exit 77; fi
export PATH=$PATH:/usr/sbin

T=$(mktemp -d /tmp/pesim-slurm-XXXXXX)
chmod 755 "$T"
pids=()
stop() {
	# all daemons signalled together, then waited for by PID
	if [ ${#pids[@]} -gt 0 ]; then
		kill -TERM "${pids[@]}" 2>/dev/null
		for i in $(seq 50); do
			alive=0
			for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
			[ $alive = 0 ] && break
			sleep 0.1
		done
		kill -KILL "${pids[@]}" 2>/dev/null
	fi
	pids=()
}
fail() {
	echo "FAIL: $*"
	for f in "$T"/*.log "$T"/out/*; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
	stop
	rm -rf "$T"
	echo "[  FAILED  ] 1 test(s), listed above."
	exit 1
}
trap 'stop; rm -rf "$T"' EXIT

host=$(hostname -s)
port=$((20000 + $$ % 20000))

# munge: socket folder 0711, a root-owned 0600 key
mkdir -m 711 "$T/munge"
mungekey -c -k "$T/munge/munge.key" || fail "mungekey"
chmod 600 "$T/munge/munge.key"
setsid munged -F --socket="$T/munge/munge.sock" --key-file="$T/munge/munge.key" \
	--log-file="$T/munged.log" --pid-file="$T/munge/munged.pid" \
	--seed-file="$T/munge/munged.seed" >"$T/munged.out" 2>&1 &
pids+=($!)
for i in $(seq 50); do [ -S "$T/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$T/munge/munge.sock" ] || fail "munged did not start"

mkdir -p "$T/state" "$T/spool" "$T/out" "$T/shards"
export SLURM_CONF=$T/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=pesimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerParameters=batch_sched_delay=0
MinJobAge=5
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=8 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
setsid slurmctld -D -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
pids+=($!)
setsid slurmd -D -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
pids+=($!)
for i in $(seq 100); do
	[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
	sleep 0.1
done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || fail "the node did not come up idle"

# a small sweep: 8 points of a tiny arch and model
cat >"$T/sweep.yaml" <<YAML
name: slurm-test
run:
  arch: $src/tests/data/arch/tiny.yaml
  model: $src/tests/data/models/tiny.yaml
  scenario: prefill:4
vary:
  array.prefill.rows: [1, 2, 4, 8]
  run.scenario: [prefill:4, decode:8]
YAML
job=$(sbatch --parsable --array=0-3 --output="$T/out/task-%A_%a.out" --chdir="$T" \
	--export=ALL,PESIM="$pesim" "$src/scripts/slurm/pesim-sweep.sbatch" \
	"$T/sweep.yaml" "$T/shards") || fail "sbatch"
echo "submitted job array $job"
for i in $(seq 600); do
	[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
	sleep 0.1
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || fail "job $job did not finish in 60 s"
n=$(ls "$T"/shards/shard-*.h5 2>/dev/null | wc -l)
[ "$n" = 4 ] || fail "expected 4 shard files, got $n"

"$pesim" merge "$T"/shards/shard-*.h5 -o "$T/merged.h5" || fail "pesim merge"
"$pesim" sweep "$T/sweep.yaml" -j 2 --quiet -o "$T/local.h5" || fail "local run"
cmp "$T/merged.h5" "$T/local.h5" || fail "the merged shards differ from the local -j 2 run"
rm "$T/shards/shard-2.h5"
resub=$("$pesim" merge "$T"/shards/shard-*.h5 -o "$T/m2.h5" --resubmit 2>/dev/null)
[ "$resub" = 2 ] || fail "merge --resubmit printed '$resub', want 2"
[ ! -e "$T/m2.h5" ] || fail "merge wrote a file with a shard missing"

stop
t1=$(date +%s.%N)
echo "ok: 4-task job array on slurm $(slurmctld -V | awk '{print $2}'), merged = local -j 2 byte for byte; $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s wall"
echo "[  PASSED  ] 1 test(s)."
