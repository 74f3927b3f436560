/**
 * Per-particle final states as Apache Arrow IPC files (the "file" format, `.arrow`, which pandas
 * (`pyarrow.feather.read_table` / `pd.read_feather`), polars (`pl.read_ipc`) and DuckDB
 * (`read_arrow` / the arrow extension) open directly). One file per range of particles as
 * `simulate`'s `onParticles` hands them over (a segment of a run, or of a shard), named by the
 * global particle range so a merge can check that the files tile the run:
 *
 *   particles-<first>-<end>.arrow      (first, end: zero-padded to 10 digits)
 *
 * Columns: particle (int32, global index), x0 … x{d−1} (float64), loss (float64, f(x_T)),
 * status (int8: 0 running, 1 diverged, 2 stopped), event (int32: step of divergence or stop,
 * −1), region (int32: region stopped in, −1), and accepted (int32, samplers.mala only).
 *
 * Written with @uwdata/flechette (a small, dependency-free Arrow encoder), which lives in the CLI
 * bundle only: the library itself stays free of runtime dependencies.
 */
import { tableFromArrays, tableToIPC } from '@uwdata/flechette';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ParticleColumns } from '../simulate.ts';
import { writeAtomic } from './io.ts';

const NAME = /^particles-(\d{10})-(\d{10})\.arrow$/;

/** The file name of particles [first, end). */
export function particleFileName(first: number, end: number): string {
  return `particles-${String(first).padStart(10, '0')}-${String(end).padStart(10, '0')}.arrow`;
}

/** The Arrow IPC bytes of one range's particle columns (d coordinates each). */
export function particlesToArrow(c: ParticleColumns, d: number): Uint8Array {
  const n = c.loss.length;
  const cols: Record<string, ArrayLike<number>> = { particle: Int32Array.from({ length: n }, (_, k) => c.first + k) };
  for (let j = 0; j < d; j++) {
    const xj = new Float64Array(n);
    for (let k = 0; k < n; k++) xj[k] = c.x[k * d + j];
    cols[`x${j}`] = xj;
  }
  cols.loss = c.loss;
  cols.status = Int8Array.from(c.status);
  cols.event = c.event;
  cols.region = c.region;
  if (c.accepted) cols.accepted = c.accepted;
  return tableToIPC(tableFromArrays(cols as never), { format: 'file' })!;
}

/** Write one range's columns into `dir`; returns the file written. */
export function writeParticles(dir: string, c: ParticleColumns, d: number): string {
  const file = join(dir, particleFileName(c.first, c.first + c.loss.length));
  writeAtomic(file, particlesToArrow(c, d));
  return file;
}

/** A manifest of the per-particle files in a directory. */
export interface ParticleManifest {
  format: 'arrow-ipc-file';
  particles: number;
  files: { file: string; first: number; end: number }[];
}

/**
 * The manifest of `dir`'s per-particle files, or undefined when there are none. Throws (with a
 * message naming the gap or the overlap) when they do not tile particles [0, P) exactly.
 */
export function particleManifest(dir: string, particles: number): ParticleManifest | undefined {
  const files = readdirSync(dir).map((file) => ({ file, m: NAME.exec(file) })).filter((f) => f.m)
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
  return { format: 'arrow-ipc-file', particles, files };
}
