#!/usr/bin/env bash
# The scaling study as a Slurm job array on a running cluster: TASKS tasks of `descent run
# --shard auto` over sharp-flat.json (10⁹ SGD trajectories × 100 steps), then one streaming
# `descent merge`, then the table (report.mjs). Prints wall time, each task's peak RSS (the CLI
# reports it), and the merge's time and peak RSS (GNU time).
#   bash examples/scaling/billion.sh [TASKS] [PARTICLES]      (defaults 1000 and 10⁹)
# Needs: a Slurm cluster (scripts/test-slurm.sh shows how to start a single-node one), node on
# PATH for the tasks, and the build (node scripts/build.mjs).
set -euo pipefail
TASKS="${1:-1000}"; PARTICLES="${2:-1000000000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CLI="$ROOT/build/descent.cli.mjs"; NODE="$(command -v node)"
WORK="${WORK:-$(mktemp -d /tmp/descent-billion-XXXXXX)}"
mkdir -p "$WORK/logs" "$WORK/shards"
sed "s/\"particles\": 1000000000/\"particles\": $PARTICLES/" "$ROOT/examples/scaling/sharp-flat.json" >"$WORK/study.json"
echo "study: $PARTICLES trajectories in $TASKS tasks; work directory $WORK"
t0=$(date +%s.%N)
job="$(cd "$WORK" && sbatch --parsable --array=0-$((TASKS - 1)) -o "$WORK/logs/task_%A_%a.txt" \
  --wrap "'$NODE' '$CLI' run study.json --shard auto --out shards --quiet --json")"
while [ -n "$(squeue -h -j "$job" 2>/dev/null)" ]; do sleep 2; done
wall=$(awk "BEGIN { printf \"%.0f\", $(date +%s.%N) - $t0 }")
# Slurm forgets finished jobs after MinJobAge (300 s): count the tasks' own reports instead.
done_tasks="$(cat "$WORK"/logs/task_* 2>/dev/null | grep -c '"wrote":"shards/' || true)"
echo "job array $job: $done_tasks of $TASKS tasks wrote their shard; $wall s wall"
cat "$WORK"/logs/task_* | node -e '
  const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const rss = lines.map((l) => l.peakRssMB).sort((a, b) => a - b), secs = lines.map((l) => l.seconds).sort((a, b) => a - b);
  const q = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))];
  console.log(`tasks reporting: ${lines.length}; peak RSS per task (MB): median ${q(rss, 0.5)}, max ${rss.at(-1)}; compute seconds per task: median ${q(secs, 0.5)}, max ${secs.at(-1)}, sum ${secs.reduce((a, b) => a + b, 0).toFixed(0)}`);'
/usr/bin/time -f 'merge: %e s wall, peak RSS %M KB' "$NODE" "$CLI" merge "$WORK/shards" --out "$WORK/result.json" --json --quiet
"$NODE" "$ROOT/examples/scaling/report.mjs" "$WORK/result.json"
