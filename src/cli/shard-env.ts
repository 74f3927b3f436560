/**
 * `--shard i/n` or `--shard auto`: which shard this process runs. `auto` reads the environment
 * of the batch engine it runs under:
 *   Slurm job arrays         SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT
 *                            (submit with --array=0-(n−1); a step other than 1 is refused)
 *   Kubernetes Indexed Jobs  JOB_COMPLETION_INDEX of --shard-count (the Job's completions)
 *   AWS Batch array jobs     AWS_BATCH_JOB_ARRAY_INDEX of AWS_BATCH_JOB_ARRAY_SIZE
 */
import { DescentError } from '../errors.ts';
import type { ShardSpec } from '../shard.ts';

type Env = Record<string, string | undefined>;

function int(v: string | undefined, what: string): number {
  if (v === undefined || !/^\d+$/.test(v.trim()))
    throw new DescentError('E_CONFIG', `${what} must be a non-negative integer, got ${JSON.stringify(v)}`, { path: '--shard', actual: v });
  return Number(v.trim());
}

function checked(index: number, count: number, source: string): ShardSpec & { source: string } {
  if (count < 1)
    throw new DescentError('E_CONFIG', `--shard: ${source} gives ${count} shards; need at least 1`, { path: '--shard', actual: count });
  if (index >= count)
    throw new DescentError('E_CONFIG', `--shard: ${source} gives shard index ${index}, not below the count ${count}`, {
      path: '--shard',
      actual: index,
    });
  return { index, count, source };
}

/** Resolve `--shard` (undefined: the whole run). `shardCount` is `--shard-count`, needed for Kubernetes. */
export function resolveShard(arg: string | undefined, env: Env, shardCount?: string): (ShardSpec & { source: string }) | undefined {
  if (arg === undefined) return undefined;
  if (arg !== 'auto') {
    const m = /^(\d+)\/(\d+)$/.exec(arg.trim());
    if (!m)
      throw new DescentError('E_CONFIG', `--shard must be i/n (e.g. 0/4) or auto, got ${JSON.stringify(arg)}`, {
        path: '--shard',
        actual: arg,
      });
    return checked(Number(m[1]), Number(m[2]), `--shard ${arg}`);
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = int(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID');
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : int(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN');
    const step = env.SLURM_ARRAY_TASK_STEP === undefined ? 1 : int(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP');
    if (step !== 1)
      throw new DescentError('E_CONFIG', `--shard auto: the Slurm array has step ${step}; submit a contiguous array, --array=0-(n-1)`, {
        path: '--shard',
        actual: step,
      });
    const count = shardCount !== undefined ? int(shardCount, '--shard-count') : int(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT');
    return checked(id - min, count, 'Slurm (SLURM_ARRAY_TASK_ID)');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (shardCount === undefined)
      throw new DescentError('E_CONFIG', "--shard auto under a Kubernetes Indexed Job needs --shard-count (the Job's completions)", {
        path: '--shard-count',
      });
    return checked(
      int(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX'),
      int(shardCount, '--shard-count'),
      'Kubernetes (JOB_COMPLETION_INDEX)',
    );
  }
  if (env.AWS_BATCH_JOB_ARRAY_INDEX !== undefined) {
    const count =
      shardCount !== undefined ? int(shardCount, '--shard-count') : int(env.AWS_BATCH_JOB_ARRAY_SIZE, 'AWS_BATCH_JOB_ARRAY_SIZE');
    return checked(int(env.AWS_BATCH_JOB_ARRAY_INDEX, 'AWS_BATCH_JOB_ARRAY_INDEX'), count, 'AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX)');
  }
  throw new DescentError(
    'E_CONFIG',
    '--shard auto found no job array: none of SLURM_ARRAY_TASK_ID (Slurm), JOB_COMPLETION_INDEX (Kubernetes Indexed Job), ' +
      'AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch) is set; pass --shard i/n',
    { path: '--shard' },
  );
}
