#!/usr/bin/env bash
# A real Slurm job array of a sharded descent run, on a single-node cluster on localhost
# (recipe: docs/slurm.md; Debian 12, root, no systemd):
#   1. install Debian's Slurm and munge if missing; start munged, slurmctld and slurmd unless a
#      controller already answers (then it is used, and left running);
#   2. run the study (examples/scaling/sharp-flat.json at 10⁷ trajectories × 100 steps) in one
#      process (`descent run --workers 2`) for the reference hash;
#   3. sbatch --array=0-99 of `descent run --shard auto --out shards/` (the CLI reads
#      SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT), wait for all 100 tasks;
#   4. `descent merge shards/` and compare its hash with the reference;
#   5. stop every daemon this script started (by PID) and remove its files, also on failure.
# Prints one line per check and ends with `N passed, N failed`. Needs root and the build
# (node scripts/build.mjs). Usage: bash scripts/test-slurm.sh
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLI="$ROOT/build/descent.cli.mjs"
NODE="$(command -v node)"
WORK="$(mktemp -d /tmp/descent-slurm-XXXXXX)"
passed=0; failed=0; started=()

ok() { passed=$((passed + 1)); echo "✓ slurm: $1"; }
bad() { failed=$((failed + 1)); echo "✘ slurm: $1"; [ -n "${2:-}" ] && sed 's/^/  | /' <<<"$2"; }

stop_pidfile() { # stop the daemon whose pid file this is, and wait for it to go
  local pid; pid="$(cat "$1" 2>/dev/null)" || return 0
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
}
finish() {
  local i
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do stop_pidfile "${started[$i]}"; done
  if [ ${#started[@]} -gt 0 ]; then
    local left=""
    for p in "${started[@]}"; do pid="$(cat "$p" 2>/dev/null)"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && left+=" $p"; done
    if [ -z "$left" ]; then ok "stopped every daemon this script started (${#started[@]})"; else bad "daemons still running:$left"; fi
  fi
  rm -rf "$WORK"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then bad "needs root (it installs and starts Slurm daemons)"; exit 1; fi
if [ ! -x "$CLI" ]; then bad "$CLI is missing: run node scripts/build.mjs first"; exit 1; fi

# 1. Slurm and munge, from Debian's packages.
export DEBIAN_FRONTEND=noninteractive
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  pkgs=(slurmctld slurmd slurm-client munge)
  if ! apt-get install -y --no-install-recommends "${pkgs[@]}" >"$WORK/apt.log" 2>&1; then
    apt-get update >>"$WORK/apt.log" 2>&1
    apt-get install -y --no-install-recommends "${pkgs[@]}" >>"$WORK/apt.log" 2>&1 || { bad "apt-get install ${pkgs[*]} failed" "$(tail -5 "$WORK/apt.log")"; exit 1; }
  fi
fi
ok "Slurm $(dpkg-query -W -f='${Version}' slurmctld 2>/dev/null) and munge $(dpkg-query -W -f='${Version}' munge 2>/dev/null) are installed"

if scontrol ping 2>/dev/null | grep -q 'is UP'; then
  ok "a Slurm controller is already up: using it (and leaving it running)"
else
  install -d -o munge -g munge -m 0755 /run/munge
  [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey -c
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged && started+=(/run/munge/munged.pid)
  fi
  munge -n | unmunge >/dev/null 2>&1 || { bad "munge does not work"; exit 1; }
  H="$(hostname -s)"
  rm -rf /var/spool/slurmctld /var/spool/slurmd # a clean start (no state of an earlier run)
  install -d /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/slurm
  cat >/etc/slurm/slurm.conf <<EOF
ClusterName=local
SlurmctldHost=$H(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -i && started+=(/run/slurmctld.pid)
  slurmd && started+=(/run/slurmd.pid)
  for _ in $(seq 150); do [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break; sleep 0.2; done
  if [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; then ok "single-node cluster up (node $H idle)"
  else bad "the node did not become idle" "$(sinfo -R 2>&1; tail -n 5 /var/log/slurm/*.log 2>&1)"; exit 1; fi
fi

# 2. The reference: one process (two worker threads) of the scaling study at 10⁷ trajectories.
TASKS=100
sed 's/"particles": 1000000000/"particles": 10000000/' "$ROOT/examples/scaling/sharp-flat.json" >"$WORK/study.json"
grep -q '"particles": 10000000,' "$WORK/study.json" || { bad "could not set 10⁷ particles in examples/scaling/sharp-flat.json"; exit 1; }
t0=$(date +%s.%N)
single="$(cd "$WORK" && "$NODE" "$CLI" run study.json --workers 2 --json --quiet)"
ref="$(sed -n 's/.*"hash":"\([0-9a-f]*\)".*/\1/p' <<<"$single")"
secs=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }")
if [ -n "$ref" ]; then ok "single-process run of 10⁷ trajectories × 100 steps: hash $ref in $secs s"; else bad "the single-process run failed" "$single"; exit 1; fi

# 3. The job array.
mkdir -p "$WORK/logs" "$WORK/shards"
t0=$(date +%s.%N)
job="$(cd "$WORK" && sbatch --parsable --array=0-$((TASKS - 1)) -o "$WORK/logs/task_%A_%a.txt" \
  --wrap "'$NODE' '$CLI' run study.json --shard auto --out shards --quiet --json" 2>&1)"
if ! [[ "$job" =~ ^[0-9]+$ ]]; then bad "sbatch failed" "$job"; exit 1; fi
for _ in $(seq 2400); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 0.5; done
states="$(scontrol -o show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ')"
secs=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }")
if [ "$(scontrol -o show job "$job" | grep -c 'JobState=COMPLETED')" = "$TASKS" ]; then ok "job array $job: $TASKS tasks COMPLETED in $secs s"
else bad "job array $job did not complete: $states" "$(cat "$WORK"/logs/* 2>&1 | tail -20)"; fi
from_slurm="$(cat "$WORK"/logs/task_* 2>/dev/null | grep -o "\"shard\":\"[0-9]*/$TASKS\",\"source\":\"Slurm" | sort -u | wc -l)"
peak="$(cat "$WORK"/logs/task_* 2>/dev/null | sed -n 's/.*"peakRssMB":\([0-9]*\).*/\1/p' | sort -n | tail -1)"
if [ "$(ls "$WORK/shards" | grep -c '\.descent$')" = "$TASKS" ] && [ "$from_slurm" = "$TASKS" ]; then
  ok "each of the $TASKS tasks found its shard in SLURM_ARRAY_TASK_ID/COUNT and wrote it (peak RSS of a task: ${peak:-?} MB)"
else bad "expected $TASKS shard files written by tasks that read Slurm's variables (found $from_slurm)" "$(ls "$WORK/shards" | head; cat "$WORK"/logs/* 2>&1 | tail -20)"; fi

# 4. Merge and compare.
merged="$(cd "$WORK" && "$NODE" "$CLI" merge shards --json 2>&1)"
got="$(sed -n 's/.*"hash":"\([0-9a-f]*\)".*/\1/p' <<<"$merged")"
if [ -n "$got" ] && [ "$got" = "$ref" ]; then ok "descent merge of the $TASKS shards: hash $got equals the single-process run"
else bad "merged hash ${got:-none} differs from the single-process $ref" "$merged"; fi
