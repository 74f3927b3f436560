/**
 * Sharded runs: `simulate(config, { shard: { index, count } })` runs only shard `index`'s
 * contiguous range of whole particle blocks and returns a {@link ShardResult}; {@link save} and
 * {@link load} move it through a compact binary file; {@link merge} turns all `count` shards into
 * exactly the {@link EnsembleResult} of the unsharded run — the same bits and the same `hash` —
 * because statistics are reduced from the shards' per-block partials in block order, as one
 * run does, never from per-shard statistics.
 *
 * @example
 * // on machine i of n (see the CLI, `descent run --shard auto`, for job arrays)
 * const part = await descent.simulate(config, { shard: { index: i, count: n } });
 * writeFileSync(`shard-${i}.descent`, descent.save(part));
 * // anywhere, afterwards
 * const r = await descent.merge(files.map((f) => descent.load(readFileSync(f))));
 *
 * File format (all numbers little-endian), chosen over Apache Arrow IPC because a shard is a
 * handful of flat typed arrays plus metadata: Arrow would add a large dependency (or a hand-made
 * flatbuffer writer) and buy nothing a reader needs; here any language can read the JSON header
 * and then the arrays at the offsets it gives.
 * ```
 * offset 0   8 bytes   magic "DSCNSHRD"
 *        8   u32       format version (1)
 *       12   u32       header length H (bytes of UTF-8 JSON)
 *       16   16 bytes  checksum: FNV-1a 64 (hex) of every byte from offset 32 to the end
 *       32   H bytes   header: { version, configHash, shard, blocks, particles, shape, rows,
 *                      config, arrays: [{ name, type: 'f64' | 'i32', length }] }
 *            …         zero padding to a multiple of 8, then each array (padded to 8 bytes) in order
 * ```
 */
import { dedicated, runOn } from '../bindings/engine.ts';
import { partialWidth, type BlockFinal, type BlockRange } from '../bindings/ensemble.ts';
import { Reducer } from '../bindings/reduce.ts';
import { DescentError, invalid } from './errors.ts';
import { hashBytes } from './hash.ts';
import { assemble, blockCount, combineFinals, particlesOf, recordRows, scatterRows, trackRowsOf, trackWidthOf, type EnsembleShape, type RawRows } from './result.ts';
import type { EnsembleResult } from './simulate.ts';
import { integer, options } from './validate.ts';
import { version } from './version.ts';

/** Which shard to run: `index` in [0, count). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Most shards of one run. */
const MAX_SHARDS = 1_000_000;

/** Validate a `shard` option (undefined: the whole run). */
export function checkShard(v: unknown, path: string): ShardSpec | undefined {
  if (v === undefined) return undefined;
  const o = options<ShardSpec>(v as ShardSpec, path, ['index', 'count']);
  const count = integer(o.count, `${path}.count`, { min: 1, max: MAX_SHARDS });
  const index = integer(o.index, `${path}.index`, { min: 0, max: count - 1 });
  return { index, count };
}

/** Blocks of shard `index` of `count` over `blocks` blocks: [⌊index·blocks/count⌋, ⌊(index+1)·blocks/count⌋) (empty when there are more shards than blocks). */
export function shardRange(blocks: number, index: number, count: number): BlockRange {
  return { first: Math.floor((index * blocks) / count), end: Math.floor(((index + 1) * blocks) / count) };
}

/** One shard of a run: its particles' final state and every record row's raw per-block partials. */
export interface ShardResult {
  readonly kind: 'descent.shard';
  /** Library version that computed it; {@link merge} accepts only its own. */
  readonly version: string;
  /** FNV-1a 64 of the normalised config's JSON: equal for shards of one run. */
  readonly configHash: string;
  /** The normalised config (as in {@link EnsembleResult.config}). */
  readonly config: Record<string, unknown>;
  readonly shard: ShardSpec;
  /** Blocks [first, end) of `total`, `size` particles each. */
  readonly blocks: { first: number; end: number; total: number; size: number };
  /** Particles [first, end) of `total`. */
  readonly particles: { first: number; end: number; total: number };
  /** Shape of the whole run (dimension, steps, record settings). */
  readonly shape: EnsembleShape;
  /** Record rows of the whole run (0 without `record.every`). */
  readonly rows: number;
  /** Final positions of this shard's particles (particles × dim). */
  readonly x: Float64Array;
  readonly loss: Float64Array;
  /** Per particle: 0 running, 1 diverged, 2 stopped. */
  readonly status: Int32Array;
  /** Step of divergence or stop, −1. */
  readonly event: Int32Array;
  readonly region: Int32Array;
  /** x_0 … x_T of this shard's particles among the first m: (steps + 1) × those × dim. */
  readonly trajectories: Float64Array;
  /** Accepted proposals per particle (samplers.mala; empty otherwise). */
  readonly accepted: Int32Array;
  /** Sharpness track of this shard's particles among the tracked ones (empty without tracking). */
  readonly sharpness: Float64Array;
  /** rows × this shard's blocks × (6 + 2·dim): per-block record partials. */
  readonly partials: Float64Array;
  /** rows × this shard's particles: the losses the quantiles are taken over (NaN: not counted). */
  readonly losses: Float64Array;
}

const utf8 = new TextEncoder();

function configHash(config: Record<string, unknown>): string {
  return hashBytes(utf8.encode(JSON.stringify(config)));
}

/** @internal Package a shard's run (src/scale.ts). */
export function makeShard(config: Record<string, unknown>, shape: EnsembleShape, shard: ShardSpec, range: BlockRange, final: BlockFinal, raw: RawRows): ShardResult {
  const { p0, p1 } = particlesOf(shape, range);
  return {
    kind: 'descent.shard', version, configHash: configHash(config), config, shard,
    blocks: { first: range.first, end: range.end, total: blockCount(shape), size: shape.block },
    particles: { first: p0, end: p1, total: shape.particles }, shape, rows: recordRows(shape),
    x: final.x, loss: final.loss, status: final.status, event: final.event, region: final.region, trajectories: final.trajectories,
    accepted: final.accepted ?? new Int32Array(0), sharpness: final.sharpness ?? new Float64Array(0), partials: raw.partials, losses: raw.losses,
  };
}

const MAGIC = 'DSCNSHRD';
const FORMAT = 2; // 2: adds `accepted` and `sharpness`
const ARRAYS = [
  ['x', 'f64'], ['loss', 'f64'], ['status', 'i32'], ['event', 'i32'], ['region', 'i32'], ['trajectories', 'f64'], ['accepted', 'i32'], ['sharpness', 'f64'], ['partials', 'f64'], ['losses', 'f64'],
] as const;
type ArrayName = (typeof ARRAYS)[number][0];

const pad8 = (n: number) => Math.ceil(n / 8) * 8;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkEndian(what: string): void {
  if (!littleEndian) throw new DescentError('E_SHARD', `${what}: shard files are little-endian and this platform is not`);
}

/** Whether `v` looks like a {@link ShardResult}. */
export function isShard(v: unknown): v is ShardResult {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'descent.shard';
}

/** Write a shard as bytes (the format above). Needs `await descent.init()` (the checksum is computed in wasm). */
export function save(shard: ShardResult): Uint8Array {
  if (!isShard(shard)) throw invalid('E_INPUT', 'save: shard', 'a shard result from simulate(config, { shard })', shard);
  checkEndian('save');
  const header = utf8.encode(JSON.stringify({
    version: shard.version, configHash: shard.configHash, shard: shard.shard, blocks: shard.blocks, particles: shard.particles,
    shape: shard.shape, rows: shard.rows, config: shard.config,
    arrays: ARRAYS.map(([name, type]) => ({ name, type, length: shard[name].length })),
  }));
  const start = 32 + pad8(header.length);
  const total = ARRAYS.reduce((n, [name]) => n + pad8(shard[name].byteLength), start);
  const out = new Uint8Array(total);
  out.set(utf8.encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FORMAT, true);
  view.setUint32(12, header.length, true);
  out.set(header, 32);
  let at = start;
  for (const [name] of ARRAYS) {
    const a = shard[name];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  out.set(utf8.encode(hashBytes(out.subarray(32))), 16);
  return out;
}

function corrupt(message: string): DescentError {
  return new DescentError('E_SHARD', `load: ${message}`);
}

/**
 * Read a shard written by {@link save}. Throws E_SHARD for anything that is not an intact shard
 * file: wrong magic, unknown format version, truncated, trailing bytes, checksum mismatch.
 */
export function load(bytes: Uint8Array | ArrayBuffer): ShardResult {
  const b = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(b instanceof Uint8Array)) throw invalid('E_INPUT', 'load: bytes', 'a Uint8Array or ArrayBuffer', bytes);
  checkEndian('load');
  if (b.length < 32) throw corrupt(`truncated: ${b.length} bytes is less than the 32-byte prefix of a shard file`);
  const text = new TextDecoder('utf-8', { fatal: false });
  if (text.decode(b.subarray(0, 8)) !== MAGIC) throw corrupt('not a descent shard file (its first bytes are not "DSCNSHRD")');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const format = view.getUint32(8, true), H = view.getUint32(12, true);
  if (format !== FORMAT) throw corrupt(`shard file format ${format} is not supported by descent ${version} (it reads format ${FORMAT})`);
  if (32 + H > b.length) throw corrupt(`truncated: the header needs ${32 + H} bytes, the file has ${b.length}`);
  let header: {
    version: string; configHash: string; shard: ShardSpec; blocks: ShardResult['blocks']; particles: ShardResult['particles'];
    shape: EnsembleShape; rows: number; config: Record<string, unknown>; arrays: { name: ArrayName; type: 'f64' | 'i32'; length: number }[];
  };
  try {
    header = JSON.parse(text.decode(b.subarray(32, 32 + H)));
  } catch {
    throw corrupt('corrupted: the header is not valid JSON');
  }
  const arrays = Array.isArray(header?.arrays) ? header.arrays : [];
  const known = arrays.length === ARRAYS.length && ARRAYS.every(([name, type], i) => arrays[i]?.name === name && arrays[i]?.type === type && Number.isInteger(arrays[i]?.length) && arrays[i].length >= 0);
  if (!known) throw corrupt('corrupted: the header does not list the arrays of a shard');
  const start = 32 + pad8(H);
  const expected = arrays.reduce((n, a) => n + pad8(a.length * (a.type === 'f64' ? 8 : 4)), start);
  if (b.length < expected) throw corrupt(`truncated: ${b.length} bytes, the header describes ${expected}`);
  if (b.length > expected) throw corrupt(`corrupted: ${b.length - expected} bytes beyond the ${expected} the header describes`);
  const stored = text.decode(b.subarray(16, 32)), actual = hashBytes(b.subarray(32));
  if (stored !== actual) throw corrupt(`corrupted: checksum ${actual} does not match the stored ${JSON.stringify(stored)}`);
  // Copies (aligned, independent of `bytes`).
  let at = start;
  const data = {} as Record<ArrayName, Float64Array | Int32Array>;
  for (const a of arrays) {
    const n = a.length * (a.type === 'f64' ? 8 : 4);
    const copy = new ArrayBuffer(n); // not b.slice(): a Node Buffer's slice is a view of a shared pool
    new Uint8Array(copy).set(b.subarray(at, at + n));
    data[a.name] = a.type === 'f64' ? new Float64Array(copy) : new Int32Array(copy);
    at += pad8(n);
  }
  return {
    kind: 'descent.shard', version: header.version, configHash: header.configHash, config: header.config, shard: header.shard,
    blocks: header.blocks, particles: header.particles, shape: header.shape, rows: header.rows,
    x: data.x as Float64Array, loss: data.loss as Float64Array, status: data.status as Int32Array, event: data.event as Int32Array,
    region: data.region as Int32Array, trajectories: data.trajectories as Float64Array, accepted: data.accepted as Int32Array, sharpness: data.sharpness as Float64Array, partials: data.partials as Float64Array, losses: data.losses as Float64Array,
  };
}

function mismatch(message: string): DescentError {
  return new DescentError('E_SHARD', `merge: ${message}`);
}

/** Check that each shard's arrays have the lengths its shape and ranges imply (a shard built or edited by hand). */
function checkLengths(s: ShardResult, i: number): void {
  const sh = s.shape, d = sh.dim, np = s.particles.end - s.particles.first, own = s.blocks.end - s.blocks.first;
  const mine = Math.max(0, Math.min(sh.trajectories, s.particles.end) - s.particles.first);
  const want: Record<ArrayName, number> = {
    x: np * d, loss: np, status: np, event: np, region: np, trajectories: (sh.steps + 1) * mine * d,
    accepted: sh.accepts ? np : 0,
    sharpness: sh.track ? trackRowsOf(sh) * Math.max(0, Math.min(sh.track.particles, s.particles.end) - s.particles.first) * trackWidthOf(sh) : 0, partials: s.rows * own * partialWidth(d), losses: s.rows * np,
  };
  for (const [name] of ARRAYS) {
    if (s[name]?.length !== want[name]) throw mismatch(`shard ${s.shard.index} of ${s.shard.count} (shards[${i}]) has ${name} of length ${s[name]?.length}, expected ${want[name]}`);
  }
}

/**
 * Merge all shards of one run into its {@link EnsembleResult} — bit-identical to the unsharded
 * run, `hash` included. The shards may come in any order. Throws E_SHARD when they are not
 * exactly the shards 0 … count−1 of one config computed by this library version. Needs
 * `await descent.init()`.
 */
export async function merge(shards: readonly ShardResult[]): Promise<EnsembleResult> {
  if (!Array.isArray(shards) || shards.length === 0) throw invalid('E_INPUT', 'merge: shards', 'a non-empty array of shard results', shards);
  shards.forEach((s, i) => {
    if (!isShard(s)) throw invalid('E_INPUT', `merge: shards[${i}]`, 'a shard result from simulate(config, { shard }) or load()', s);
  });
  const first = shards[0];
  for (const [i, s] of shards.entries()) {
    if (s.version !== version) throw mismatch(`shards[${i}] was computed by descent ${s.version}, this is descent ${version}; re-run it with this version (numbers may differ between versions)`);
    if (s.configHash !== first.configHash) throw mismatch(`shards[${i}] ran another config (hash ${s.configHash}) than shards[0] (hash ${first.configHash}): shards of different runs cannot be merged`);
    if (s.shard.count !== first.shard.count) throw mismatch(`shards[${i}] is one of ${s.shard.count} shards, shards[0] one of ${first.shard.count}`);
  }
  const count = first.shard.count;
  const byIndex = new Map<number, ShardResult>();
  for (const [i, s] of shards.entries()) {
    if (byIndex.has(s.shard.index)) throw mismatch(`shard ${s.shard.index} of ${count} is given twice (shards[${shards.indexOf(byIndex.get(s.shard.index)!)}] and shards[${i}])`);
    byIndex.set(s.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !byIndex.has(k));
  if (missing.length) throw mismatch(`missing shard${missing.length > 1 ? 's' : ''} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''} of ${count}`);
  const ordered = Array.from({ length: count }, (_, k) => byIndex.get(k)!);
  const shape = first.shape, nb = blockCount(shape);
  for (const [k, s] of ordered.entries()) {
    const r = shardRange(nb, k, count);
    if (s.blocks.first !== r.first || s.blocks.end !== r.end || s.blocks.total !== nb) {
      throw mismatch(`shard ${k} of ${count} covers blocks [${s.blocks.first}, ${s.blocks.end}), expected [${r.first}, ${r.end}) of ${nb}`);
    }
    checkLengths(s, shards.indexOf(s));
  }

  const live = await dedicated('merge');
  const fin = combineFinals(shape, ordered.map((s) => ({ range: s.blocks, final: s })));
  const R = recordRows(shape), chunks: Float64Array[] = [];
  let width = 0;
  if (R > 0) {
    // Rows in batches of ≤ 64 MiB of partials and losses (each row is reduced on its own, so batching cannot change it).
    const perRow = 8 * (shape.particles + nb * partialWidth(shape.dim));
    const batch = Math.max(1, Math.min(R, Math.floor((64 * 1024 * 1024) / perRow)));
    const reducer = runOn(live, 'merge', (l) => new Reducer(l, { dim: shape.dim, blocks: nb, particles: shape.particles, quantiles: Float64Array.from(shape.levels), rows: batch }));
    width = reducer.width;
    for (let r0 = 0; r0 < R; r0 += batch) {
      const n = Math.min(batch, R - r0), views = reducer.views(n);
      for (const s of ordered) scatterRows(shape, s.blocks, s, r0, n, views);
      chunks.push(runOn(live, 'merge', () => reducer.reduce(n)));
    }
  }
  return assemble(shape, first.config, fin, chunks, R, width);
}
