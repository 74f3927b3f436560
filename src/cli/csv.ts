/**
 * A result's arrays as CSV files beside its result.json, for tools that read tables (pandas,
 * R, a spreadsheet): `<base>.final.csv` (one row per particle: final x, loss, divergence and stop
 * steps, region), `<base>.record.csv` (one row per recorded step: every statistic), and
 * `<base>.trajectories.csv` (one row per step and recorded particle). Numbers are written in
 * JavaScript's shortest round-trip form, so they read back to the same float64 bits; non-finite
 * values are `NaN`, `Infinity`, `-Infinity` (what Python's float() and numpy read).
 *
 * Files are written a block of rows at a time (never one string of the whole file: 10⁶
 * particles × 100 coordinates would not fit in one), to a temporary name, then renamed.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import type { EnsembleResult, EnsembleSummary } from '../simulate.ts';

/** Write `rows` lines made by `line(i)` after `header`, atomically. */
function writeRows(file: string, header: string[], rows: number, line: (i: number) => string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, header.join(',') + '\n');
    const BLOCK = 4096;
    for (let i0 = 0; i0 < rows; i0 += BLOCK) {
      let chunk = '';
      for (let i = i0; i < Math.min(rows, i0 + BLOCK); i++) chunk += line(i) + '\n';
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

const coords = (prefix: string, d: number) => Array.from({ length: d }, (_, j) => `${prefix}${j}`);

/** A number as CSV text: shortest round-trip form; −0 keeps its sign (String(−0) is "0"). */
const num = (v: number) => (v === 0 && 1 / v < 0 ? '-0' : String(v));

/** Row i of a row-major matrix with `cols` columns, comma-joined. */
function rowOf(a: ArrayLike<number>, i: number, cols: number): string {
  let s = '';
  for (let j = 0; j < cols; j++) s += (j ? ',' : '') + num(a[i * cols + j]);
  return s;
}

/** Write the result's CSV files as `<base>.final.csv` (only when the result kept its particles), … ; returns the files written. */
export function writeCSV(result: EnsembleSummary | EnsembleResult, base: string): string[] {
  const d = result.dim,
    written: string[] = [];
  if ('x' in result) {
    const r = result,
      finalFile = `${base}.final.csv`;
    writeRows(
      finalFile,
      ['particle', ...coords('x', d), 'loss', 'divergedAt', 'stoppedAt', 'region', ...(r.accepted ? ['accepted'] : [])],
      r.particles,
      (p) =>
        `${p},${rowOf(r.x, p, d)},${num(r.loss[p])},${r.divergedAt[p]},${r.stoppedAt[p]},${r.region[p]}` +
        `${r.accepted ? ',' + r.accepted[p] : ''}`,
    );
    written.push(finalFile);
  }
  const r = result;
  if (r.record) {
    const rec = r.record,
      levels = rec.lossQuantiles.levels,
      nq = levels.length;
    const file = `${base}.record.csv`;
    writeRows(
      file,
      [
        'step',
        'count',
        'lossMean',
        'lossVariance',
        'lossMin',
        'lossMax',
        ...levels.map((l) => `lossQ${l}`),
        'gradNormMean',
        ...coords('mean_x', d),
        ...coords('var_x', d),
      ],
      rec.steps.length,
      (i) =>
        `${rec.steps[i]},${rec.count[i]},${num(rec.lossMean[i])},${num(rec.lossVariance[i])},${num(rec.lossMin[i])},` +
        `${num(rec.lossMax[i])},${rowOf(rec.lossQuantiles.values, i, nq)},${num(rec.gradNormMean[i])},` +
        `${rowOf(rec.paramMean, i, d)},${rowOf(rec.paramVariance, i, d)}`,
    );
    written.push(file);
  }
  if (r.trajectories) {
    const m = r.trajectories.particles,
      data = r.trajectories.data;
    const file = `${base}.trajectories.csv`;
    // Row i is step ⌊i/m⌋ of recorded particle i mod m: data is (T + 1) × m × d.
    writeRows(file, ['step', 'particle', ...coords('x', d)], data.length / d, (i) => `${Math.floor(i / m)},${i % m},${rowOf(data, i, d)}`);
    written.push(file);
  }
  return written;
}
