/**
 * Sharded runs: `simulate(config, { shard: { index, count } })` allocates, initialises and runs
 * only shard `index`'s contiguous range of whole particle blocks and returns a
 * {@link ShardResult}: the range's mergeable summary (src/summary.ts) — O(log particles) dyadic
 * nodes of moments per record row and at the end, the quantile sketches and histograms — plus
 * what the config asks to keep of the first m particles (trajectories, sharpness track). Its
 * size does not grow with the shard's particles. {@link save} and {@link load} move it through a
 * compact binary file; {@link merge} (or a {@link Merger}, one shard at a time, for 10⁴ files)
 * turns all `count` shards into exactly the {@link EnsembleSummary} of the unsharded run — the
 * same bits and the same `hash` — because the dyadic tree of block indices, not the split,
 * decides the merge order. Per-particle final states are streamed by `onParticles` (the CLI
 * writes Apache Parquet files), never carried by a shard.
 *
 * @example
 * // on machine i of n (see the CLI, `descent run --shard auto`, for job arrays)
 * const part = await descent.simulate(config, { shard: { index: i, count: n } });
 * writeFileSync(`shard-${i}.descent`, descent.save(part));
 * // anywhere, afterwards
 * const r = await descent.merge(files.map((f) => descent.load(readFileSync(f))));
 *
 * File format (all numbers little-endian): a JSON header and flat typed arrays, so any language
 * can read it (Apache Arrow or Parquet would buy nothing for a handful of small arrays; the per-particle
 * outputs, which are large and tabular, are Parquet).
 * ```
 * offset 0   8 bytes   magic "DSCNSHRD"
 *        8   u32       format version (3)
 *       12   u32       header length H (bytes of UTF-8 JSON)
 *       16   16 bytes  checksum: FNV-1a 64 (hex) of every byte from offset 32 to the end
 *       32   H bytes   header: { version, configHash, shard, blocks, particles, shape, config,
 *                      arrays: [{ name, type: 'f64' | 'i32', length }] }
 *            …         zero padding to a multiple of 8, then each array (padded to 8 bytes) in order
 * ```
 */
import { dedicated, runOn, type Live } from '../bindings/engine.ts';
import { finalWidth, partialWidth, type BlockRange } from '../bindings/ensemble.ts';
import { DescentError, describe, invalid } from './errors.ts';
import { hashBytes } from './hash.ts';
import {
  assembleSummary,
  blockCount,
  combineBounded,
  particlesOf,
  recordRows,
  trackRowsOf,
  trackWidthOf,
  type Bounded,
  type EnsembleShape,
  type EnsembleSummary,
} from './result.ts';
import { layoutOf } from './scale.ts';
import { Accumulator, addInto, type SummaryPart } from './summary.ts';
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

/**
 * Blocks of shard `index` of `count` over `blocks` blocks: [⌊index·blocks/count⌋, ⌊(index+1)·blocks/count⌋) (empty when there are more
 * shards than blocks).
 */
export function shardRange(blocks: number, index: number, count: number): BlockRange {
  return { first: Math.floor((index * blocks) / count), end: Math.floor(((index + 1) * blocks) / count) };
}

/** One shard of a run: the summary of its blocks and its share of the bounded per-particle records. */
export interface ShardResult {
  readonly kind: 'descent.shard';
  /** Library version that computed it; {@link merge} accepts only its own. */
  readonly version: string;
  /** FNV-1a 64 of the normalised config's JSON: equal for shards of one run. */
  readonly configHash: string;
  /** The normalised config (as in {@link EnsembleSummary.config}). */
  readonly config: Record<string, unknown>;
  readonly shard: ShardSpec;
  /** Blocks [first, end) of `total`, `size` particles each. */
  readonly blocks: { first: number; end: number; total: number; size: number };
  /** Particles [first, end) of `total`. */
  readonly particles: { first: number; end: number; total: number };
  /** Shape of the whole run (dimension, steps, record settings). */
  readonly shape: EnsembleShape;
  /** The mergeable summary of the shard's blocks (src/summary.ts). */
  readonly summary: SummaryPart;
  /** x_0 … x_T of this shard's particles among the first m: (steps + 1) × those × dim. */
  readonly trajectories: Float64Array;
  /** Sharpness track of this shard's particles among the tracked ones (empty without tracking). */
  readonly sharpness: Float64Array;
}

const utf8 = new TextEncoder();

function configHash(config: Record<string, unknown>): string {
  return hashBytes(utf8.encode(JSON.stringify(config)));
}

/**
 * The unmerged summary an accumulator holds (what a shard stores): every row's node stack, in
 * row order and blocks ascending, its sketch and the histograms.
 */
export function summaryPart(acc: Accumulator): SummaryPart {
  const { stacks, sketches, hist, xhist } = acc.state;
  const nodes: number[] = [],
    data: Float64Array[] = [],
    offsets = new Int32Array(acc.layout.rows + 2);
  const keys: Int32Array[] = [],
    counts: Float64Array[] = [];
  let K = 0;
  stacks.forEach((st, r) => {
    st.h.forEach((h, k) => {
      nodes.push(r, h, st.i[k]);
      data.push(st.data[k]);
    });
    const sk = sketches[r].sparse();
    keys.push(sk.keys);
    counts.push(sk.counts);
    offsets[r] = K;
    K += sk.keys.length;
  });
  offsets[acc.layout.rows + 1] = K;
  return {
    nodes: Int32Array.from(nodes),
    data: concat(data, (n) => new Float64Array(n)),
    offsets,
    keys: concat(keys, (n) => new Int32Array(n)),
    counts: concat(counts, (n) => new Float64Array(n)),
    hist: hist.slice(),
    xhist: xhist.slice(),
  };
}

/** Add a stored summary (a shard's) of the next block range to `acc`: the inverse of {@link summaryPart}. */
export function addSummaryPart(acc: Accumulator, part: SummaryPart): void {
  const { sketches, hist, xhist } = acc.state;
  let at = 0;
  for (let k = 0; k < part.nodes.length; k += 3) {
    const r = part.nodes[k],
      w = acc.width(r);
    acc.push(r, part.nodes[k + 1], part.nodes[k + 2], part.data.slice(at, at + w));
    at += w;
  }
  for (let r = 0; r <= acc.layout.rows; r++) sketches[r].add(part.keys, part.counts, part.offsets[r], part.offsets[r + 1]);
  // Histograms are (rows + 1) × bins and dim × bins, element for element: integer counts, added.
  if (hist.length) addInto(hist, part.hist);
  if (xhist.length) addInto(xhist, part.xhist);
}

/** The arrays one after another, in one array that `make` allocates. */
function concat<A extends Float64Array | Int32Array>(parts: A[], make: (n: number) => A): A {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * @internal What `simulate` needs to run one shard, brought by the entry points that offer
 * shards (descent's `simulate`; descent/simulate refuses them, see src/namespaces/simulate.ts).
 */
export const sharding = {
  check: checkShard,
  range: shardRange,
  /** Package a shard's run: its accumulator's unmerged summary and its bounded records. */
  finish(config: Record<string, unknown>, shape: EnsembleShape, shard: ShardSpec, range: BlockRange, acc: Accumulator, bounded: Bounded) {
    return makeShard(config, shape, shard, range, summaryPart(acc), bounded);
  },
};

/** Package a shard's run. */
function makeShard(
  config: Record<string, unknown>,
  shape: EnsembleShape,
  shard: ShardSpec,
  range: BlockRange,
  summary: SummaryPart,
  bounded: Bounded,
): ShardResult {
  const { p0, p1 } = particlesOf(shape, range);
  return {
    kind: 'descent.shard',
    version,
    configHash: configHash(config),
    config,
    shard,
    blocks: { first: range.first, end: range.end, total: blockCount(shape), size: shape.block },
    particles: { first: p0, end: p1, total: shape.particles },
    shape,
    summary,
    trajectories: bounded.trajectories,
    sharpness: bounded.sharpness ?? new Float64Array(0),
  };
}

const MAGIC = 'DSCNSHRD';
const FORMAT = 3; // 3: summaries (dyadic nodes, sketches, histograms) instead of per-particle arrays
const ARRAYS = [
  ['nodes', 'i32'],
  ['data', 'f64'],
  ['offsets', 'i32'],
  ['keys', 'i32'],
  ['counts', 'f64'],
  ['hist', 'f64'],
  ['xhist', 'f64'],
  ['trajectories', 'f64'],
  ['sharpness', 'f64'],
] as const;
type ArrayName = (typeof ARRAYS)[number][0];

function arrayOf(s: ShardResult, name: ArrayName): Float64Array | Int32Array {
  return name === 'trajectories' || name === 'sharpness' ? s[name] : s.summary[name];
}

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
  const header = utf8.encode(
    JSON.stringify({
      version: shard.version,
      configHash: shard.configHash,
      shard: shard.shard,
      blocks: shard.blocks,
      particles: shard.particles,
      shape: shard.shape,
      config: shard.config,
      arrays: ARRAYS.map(([name, type]) => ({ name, type, length: arrayOf(shard, name).length })),
    }),
  );
  const start = 32 + pad8(header.length);
  const total = ARRAYS.reduce((n, [name]) => n + pad8(arrayOf(shard, name).byteLength), start);
  const out = new Uint8Array(total);
  out.set(utf8.encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FORMAT, true);
  view.setUint32(12, header.length, true);
  out.set(header, 32);
  let at = start;
  for (const [name] of ARRAYS) {
    const a = arrayOf(shard, name);
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
  const format = view.getUint32(8, true),
    H = view.getUint32(12, true);
  if (format !== FORMAT) throw corrupt(`shard file format ${format} is not supported by descent ${version} (it reads format ${FORMAT})`);
  if (32 + H > b.length) throw corrupt(`truncated: the header needs ${32 + H} bytes, the file has ${b.length}`);
  let header: {
    version: string;
    configHash: string;
    shard: ShardSpec;
    blocks: ShardResult['blocks'];
    particles: ShardResult['particles'];
    shape: EnsembleShape;
    config: Record<string, unknown>;
    arrays: { name: ArrayName; type: 'f64' | 'i32'; length: number }[];
  };
  try {
    header = JSON.parse(text.decode(b.subarray(32, 32 + H)));
  } catch {
    throw corrupt('corrupted: the header is not valid JSON');
  }
  const arrays = Array.isArray(header?.arrays) ? header.arrays : [];
  const known =
    arrays.length === ARRAYS.length &&
    ARRAYS.every(
      ([name, type], i) =>
        arrays[i]?.name === name && arrays[i]?.type === type && Number.isInteger(arrays[i]?.length) && arrays[i].length >= 0,
    );
  if (!known) throw corrupt('corrupted: the header does not list the arrays of a shard');
  const start = 32 + pad8(H);
  const expected = arrays.reduce((n, a) => n + pad8(a.length * (a.type === 'f64' ? 8 : 4)), start);
  if (b.length < expected) throw corrupt(`truncated: ${b.length} bytes, the header describes ${expected}`);
  if (b.length > expected) throw corrupt(`corrupted: ${b.length - expected} bytes beyond the ${expected} the header describes`);
  const stored = text.decode(b.subarray(16, 32)),
    actual = hashBytes(b.subarray(32));
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
  // The checksum proves the bytes are as written, not that the header's config is the one that
  // ran: a header edited and re-checksummed would merge a shard under a config it never ran.
  if (header.config === null || typeof header.config !== 'object' || configHash(header.config) !== header.configHash) {
    throw corrupt(
      `its config does not match its configHash ${describe(header.configHash)} (the config in the header was changed after the run); ` +
        `re-run the shard`,
    );
  }
  const f = (n: ArrayName) => data[n] as Float64Array,
    i = (n: ArrayName) => data[n] as Int32Array;
  return {
    kind: 'descent.shard',
    version: header.version,
    configHash: header.configHash,
    config: header.config,
    shard: header.shard,
    blocks: header.blocks,
    particles: header.particles,
    shape: header.shape,
    summary: {
      nodes: i('nodes'),
      data: f('data'),
      offsets: i('offsets'),
      keys: i('keys'),
      counts: f('counts'),
      hist: f('hist'),
      xhist: f('xhist'),
    },
    trajectories: f('trajectories'),
    sharpness: f('sharpness'),
  };
}

function mismatch(message: string): DescentError {
  return new DescentError('E_SHARD', `merge: ${message}`);
}

/** Check that a shard's arrays have the lengths its shape and ranges imply (a shard built or edited by hand). */
function checkLengths(s: ShardResult, where: string): void {
  const sh = s.shape,
    d = sh.dim,
    R = recordRows(sh),
    sm = s.summary;
  const fail = (what: string, got: number, want: string) => {
    throw mismatch(`shard ${s.shard.index} of ${s.shard.count} (${where}) has ${what} ${got}, expected ${want}`);
  };
  const mine = Math.max(0, Math.min(sh.trajectories, s.particles.end) - s.particles.first);
  if (s.trajectories?.length !== (sh.steps + 1) * mine * d)
    fail('trajectories of length', s.trajectories?.length, String((sh.steps + 1) * mine * d));
  const tracked = sh.track
    ? trackRowsOf(sh) * Math.max(0, Math.min(sh.track.particles, s.particles.end) - s.particles.first) * trackWidthOf(sh)
    : 0;
  if (s.sharpness?.length !== tracked) fail('sharpness of length', s.sharpness?.length, String(tracked));
  if (!(sm?.nodes instanceof Int32Array) || sm.nodes.length % 3 !== 0)
    fail('summary nodes of length', sm?.nodes?.length, 'a multiple of 3');
  let width = 0;
  for (let k = 0; k < sm.nodes.length; k += 3) {
    const r = sm.nodes[k];
    if (!(r >= 0 && r <= R)) fail('a summary node of row', r, `0 … ${R}`);
    width += r < R ? partialWidth(d) : finalWidth(d, sh.regions);
  }
  if (sm.data?.length !== width) fail('summary data of length', sm.data?.length, String(width));
  if (sm.offsets?.length !== R + 2 || sm.offsets[R + 1] !== sm.keys?.length || sm.counts?.length !== sm.keys.length)
    fail('sketch arrays of lengths', sm.offsets?.length, `${R + 2} offsets ending at the ${sm.keys?.length} keys, and as many counts`);
  const hist = sh.edges.length ? (R + 1) * (sh.edges.length + 1) : 0;
  if (sm.hist?.length !== hist) fail('histograms of length', sm.hist?.length, String(hist));
  const xhist = sh.paramEdges.length ? d * (sh.paramEdges.length + 1) : 0;
  if (sm.xhist?.length !== xhist) fail('coordinate histograms of length', sm.xhist?.length, String(xhist));
}

/**
 * Merge shards one at a time, in bounded memory: the whole set is never held (each shard's
 * summary is folded into an accumulator in block order; shards that arrive early wait, and they
 * are small). `add` checks each shard against the first (version, config, shard count, range,
 * duplicates, array lengths); `result` checks that none is missing and returns exactly the
 * unsharded run's summary. Use it to merge 10⁴ shard files; {@link merge} wraps it.
 *
 * @example
 * const m = await descent.merger();
 * for (const f of files) m.add(descent.load(readFileSync(f)));
 * const summary = m.result();
 */
export class Merger {
  readonly #live: Live;
  #first?: ShardResult;
  #acc?: Accumulator;
  #next = 0;
  readonly #waiting = new Map<number, ShardResult>();
  readonly #seen = new Map<number, string>();
  readonly #bounded: { range: BlockRange; piece: Bounded }[] = [];
  #done = false;

  /** @internal Use {@link merger}. */
  constructor(live: Live) {
    this.#live = live;
  }

  /** How many shards have been added. */
  get added(): number {
    return this.#seen.size;
  }

  /** Add one shard (`where` names it in errors, e.g. its file). Throws E_SHARD when it does not belong to the set. */
  add(s: ShardResult, where = `shards[${this.#seen.size}]`): void {
    if (this.#done) throw new DescentError('E_INPUT', 'merge: add after result()');
    if (!isShard(s)) throw invalid('E_INPUT', `merge: ${where}`, 'a shard result from simulate(config, { shard }) or load()', s);
    // As load does for files: a shard object whose config was edited would be merged as another run.
    if (s.config === null || typeof s.config !== 'object' || configHash(s.config) !== s.configHash)
      throw mismatch(`${where}: its config does not match its configHash ${describe(s.configHash)} (the config was changed after the run)`);
    if (s.version !== version)
      throw mismatch(
        `${where} was computed by descent ${s.version}, this is descent ${version}; re-run it with this version (numbers may differ ` +
          `between versions)`,
      );
    const first = this.#first ?? s;
    if (s.configHash !== first.configHash)
      throw mismatch(
        `${where} ran another config (hash ${s.configHash}) than ${this.#seen.get(first.shard.index)} (hash ${first.configHash}): ` +
          `shards of different runs cannot be merged`,
      );
    if (s.shard.count !== first.shard.count)
      throw mismatch(`${where} is one of ${s.shard.count} shards, ${this.#seen.get(first.shard.index)} one of ${first.shard.count}`);
    const count = first.shard.count,
      k = s.shard.index;
    if (this.#seen.has(k)) throw mismatch(`shard ${k} of ${count} is given twice (${this.#seen.get(k)} and ${where})`);
    const nb = blockCount(first.shape),
      r = shardRange(nb, k, count);
    if (s.blocks.first !== r.first || s.blocks.end !== r.end || s.blocks.total !== nb) {
      throw mismatch(`shard ${k} of ${count} covers blocks [${s.blocks.first}, ${s.blocks.end}), expected [${r.first}, ${r.end}) of ${nb}`);
    }
    checkLengths(s, where);
    if (!this.#first) {
      this.#first = s;
      this.#acc = runOn(this.#live, 'merge', (l) => new Accumulator(l, layoutOf(s.shape)));
    }
    this.#seen.set(k, where);
    this.#waiting.set(k, s);
    while (this.#waiting.has(this.#next)) {
      const t = this.#waiting.get(this.#next)!;
      this.#waiting.delete(this.#next);
      runOn(this.#live, 'merge', () => addSummaryPart(this.#acc!, t.summary));
      if (t.trajectories.length || t.sharpness.length)
        this.#bounded.push({ range: t.blocks, piece: { trajectories: t.trajectories, sharpness: t.sharpness } });
      this.#next++;
    }
  }

  /** The merged summary: bit-identical to the unsharded run's. Throws E_SHARD if a shard is missing. */
  result(): EnsembleSummary {
    const first = this.#first;
    if (!first) throw invalid('E_INPUT', 'merge: shards', 'at least one shard', []);
    const count = first.shard.count;
    const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !this.#seen.has(k));
    if (missing.length)
      throw mismatch(
        `missing shard${missing.length > 1 ? 's' : ''} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''} of ${count}`,
      );
    this.#done = true;
    const shape = first.shape;
    const bounded = combineBounded(shape, this.#bounded, { first: 0, end: blockCount(shape) });
    return runOn(this.#live, 'merge', () => assembleSummary(shape, first.config, this.#acc!.statistics(), bounded));
  }
}

/** A {@link Merger} with its own wasm instance. Needs `await descent.init()`. */
export async function merger(): Promise<Merger> {
  return new Merger(await dedicated('merge'));
}

/**
 * Merge all shards of one run into its {@link EnsembleSummary} — bit-identical to the unsharded
 * run, `hash` included. The shards may come in any order. Throws E_SHARD when they are not
 * exactly the shards 0 … count−1 of one config computed by this library version. Needs
 * `await descent.init()`.
 */
export async function merge(shards: readonly ShardResult[]): Promise<EnsembleSummary> {
  if (!Array.isArray(shards) || shards.length === 0)
    throw invalid('E_INPUT', 'merge: shards', 'a non-empty array of shard results', shards);
  const m = await merger();
  // A loop, not forEach, which skips the holes of a sparse array (merge(new Array(3)) must say shards[0] is missing).
  for (let i = 0; i < shards.length; i++) m.add(shards[i], `shards[${i}]`);
  return m.result();
}
