/**
 * Per-particle final states as Apache Parquet files, which pandas (`pd.read_parquet`), polars
 * (`pl.read_parquet`) and DuckDB (`read_parquet('dir/*.parquet')`) open directly. One file per
 * range of particles as `simulate`'s `onParticles` hands them over (a segment of a run, or of a
 * shard), named by the global particle range so a merge can check that the files tile the run:
 *
 *   particles-<first>-<end>.parquet      (first, end: zero-padded to 10 digits)
 *
 * Columns (non-nullable): particle (INT32, global index), x0 … x{d−1} (DOUBLE), loss (DOUBLE,
 * f(x_T)), status (INT32: 0 running, 1 diverged, 2 stopped), event (INT32: step of divergence or
 * stop, −1), region (INT32: region stopped in, −1), and accepted (INT32, samplers.mala only).
 * Snappy-compressed, one row group per 10⁶ rows.
 *
 * Written with hyparquet-writer (pure JS, one small dependency), which lives in the CLI bundle
 * only: the library itself stays free of runtime dependencies. Parquet rather than Arrow IPC
 * because DuckDB reads it without an extension.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ParticleColumns } from '../simulate.ts';
import { writeAtomic } from './io.ts';

const NAME = /^particles-(\d{10})-(\d{10})\.parquet$/;

/** The file name of particles [first, end). */
export function particleFileName(first: number, end: number): string {
  return `particles-${String(first).padStart(10, '0')}-${String(end).padStart(10, '0')}.parquet`;
}

/** The Parquet bytes of one range's particle columns (d coordinates each). */
export function particlesToParquet(c: ParticleColumns, d: number): Uint8Array {
  const n = c.loss.length;
  const col = (name: string, data: Float64Array | Int32Array, type: 'DOUBLE' | 'INT32') => ({ name, data, type, nullable: false });
  const columns = [
    col(
      'particle',
      Int32Array.from({ length: n }, (_, k) => c.first + k),
      'INT32',
    ),
  ];
  for (let j = 0; j < d; j++) {
    const xj = new Float64Array(n);
    for (let k = 0; k < n; k++) xj[k] = c.x[k * d + j];
    columns.push(col(`x${j}`, xj, 'DOUBLE'));
  }
  columns.push(
    col('loss', c.loss, 'DOUBLE'),
    col('status', c.status, 'INT32'),
    col('event', c.event, 'INT32'),
    col('region', c.region, 'INT32'),
  );
  if (c.accepted) columns.push(col('accepted', c.accepted, 'INT32'));
  return new Uint8Array(parquetWriteBuffer({ columnData: columns, rowGroupSize: 1_000_000, createdBy: 'descent' }));
}

/** Write one range's columns into `dir`; returns the file written. */
export function writeParticles(dir: string, c: ParticleColumns, d: number): string {
  const file = join(dir, particleFileName(c.first, c.first + c.loss.length));
  writeAtomic(file, particlesToParquet(c, d));
  return file;
}

/** A manifest of the per-particle files in a directory. */
export interface ParticleManifest {
  format: 'parquet';
  particles: number;
  files: { file: string; first: number; end: number }[];
}

/**
 * The manifest of `dir`'s per-particle files, or undefined when there are none. Throws (with a
 * message naming the gap or the overlap) when they do not tile particles [0, P) exactly.
 */
export function particleManifest(dir: string, particles: number): ParticleManifest | undefined {
  const files = readdirSync(dir)
    .map((file) => ({ file, m: NAME.exec(file) }))
    .filter((f) => f.m)
    .map(({ file, m }) => ({ file, first: Number(m![1]), end: Number(m![2]) }))
    .sort((a, b) => a.first - b.first);
  if (!files.length) return undefined;
  let at = 0;
  for (const f of files) {
    if (f.first > at) throw new Error(`per-particle files in ${dir} miss particles ${at}–${f.first - 1}`);
    if (f.first < at) throw new Error(`per-particle files in ${dir} overlap at particle ${f.first} (${f.file})`);
    at = f.end;
  }
  if (at !== particles) throw new Error(`per-particle files in ${dir} cover particles 0–${at - 1} of ${particles}`);
  return { format: 'parquet', particles, files };
}
