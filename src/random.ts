/**
 * `random.*`: the counter-based random numbers every stochastic part of descent draws from.
 *
 * Draw j of (seed, stream, particle, step) is a pure function of those five integers — no
 * generator state exists — so a run's noise does not depend on chunking, workers or shards.
 * The generator is Philox4x32-10 (Salmon et al., SC'11) with key = seed and counter =
 * (⌊j/2⌋, step, particle, stream); uniforms take 53 bits from two 32-bit words, normals come
 * from the Box–Muller transform of one 128-bit block (assembly/random/).
 */
import { run } from '../bindings/engine.ts';
import { invalid, sizedBy } from './errors.ts';
import { integer, options, seed as seedOf, output } from './validate.ts';

const U32_MAX = 0xffffffff;

/** Where in the counter space a sequence of draws starts. */
export interface DrawConfig {
  /** Seed, an integer in [0, 2⁵³). */
  seed: number;
  /** Independent stream (u32). Default 0. */
  stream?: number;
  /** Particle index (u32). Default 0. */
  particle?: number;
  /** Step index (u32). Default 0. */
  step?: number;
  /** Index of the first draw (u32). Default 0. */
  offset?: number;
  /** Number of draws (≥ 0). */
  count: number;
}

/** A normal request may choose the method: Box–Muller (default) or the ziggurat. */
export interface NormalConfig extends DrawConfig {
  /**
   * `'boxMuller'` (default): two normals per Philox block by Box–Muller. `'ziggurat'`: Marsaglia &
   * Tsang's 256-layer ziggurat (the method of ensemble gradient noise), draws from offset 0 only.
   */
  method?: 'boxMuller' | 'ziggurat';
}

interface Counter {
  k0: number;
  k1: number;
  stream: number;
  particle: number;
  step: number;
  offset: number;
  count: number;
}

function counter(config: DrawConfig, what: string, extra: string[] = []): Counter {
  const c = options<DrawConfig>(config, what, ['seed', 'stream', 'particle', 'step', 'offset', 'count', ...extra]);
  const s = seedOf(c.seed, `${what}.seed`);
  const u32 = { min: 0, max: U32_MAX };
  const offset = integer(c.offset, `${what}.offset`, u32, 0);
  const count = integer(c.count, `${what}.count`, { min: 0, max: 2 ** 28 });
  integer(offset + count, `${what}.offset + count`, { max: U32_MAX + 1 }); // draw indices stay u32
  return {
    k0: s % 2 ** 32,
    k1: Math.floor(s / 2 ** 32),
    stream: integer(c.stream, `${what}.stream`, u32, 0),
    particle: integer(c.particle, `${what}.particle`, u32, 0),
    step: integer(c.step, `${what}.step`, u32, 0),
    offset,
    count,
  };
}

type Fill = 'fillUniform' | 'fillNormal';

function draw(fill: Fill, what: string, config: DrawConfig, out: Float64Array | undefined): Float64Array {
  const c = counter(config, what);
  const o = output(out, `${what}: out`, c.count);
  return sizedBy(`${what}.count`, () =>
    run(what, ({ exports, heap }) => {
      const p = heap.allocF64(c.count, 'draws');
      exports[fill](c.k0, c.k1, c.stream, c.particle, c.step, c.offset, c.count, p);
      return heap.copyOutF64(p, c.count, o);
    }),
  );
}

/** `count` uniform doubles in [0, 1), multiples of 2⁻⁵³, into `out` if given. */
export function uniform(config: DrawConfig, out?: Float64Array): Float64Array {
  return draw('fillUniform', 'random.uniform', config, out);
}

/**
 * `count` standard normal doubles, into `out` if given: Box–Muller on Philox blocks, or with
 * `method: 'ziggurat'` the ziggurat that ensemble noise uses (so stream 1, particle p, step t gives
 * exactly the Gaussian noise particle p received at step t, before scaling by σ).
 */
export function normal(config: NormalConfig, out?: Float64Array): Float64Array {
  // Checked here: the destructuring below would meet null or a number as a raw TypeError.
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw invalid('E_CONFIG', 'random.normal', 'an object { seed, count, … }', config);
  const method = (config as NormalConfig | undefined)?.method;
  if (method === undefined || method === 'boxMuller') {
    const { method: _, ...rest } = config;
    return draw('fillNormal', 'random.normal', rest, out);
  }
  if (method !== 'ziggurat') throw invalid('E_CONFIG', 'random.normal.method', "'boxMuller' or 'ziggurat'", method);
  const c = counter(config, 'random.normal', ['method']);
  if (c.offset !== 0) throw invalid('E_CONFIG', 'random.normal.offset', '0 with the ziggurat', c.offset);
  const o = output(out, 'random.normal: out', c.count);
  return sizedBy('random.normal.count', () =>
    run('random.normal', ({ exports, heap }) => {
      const p = heap.allocF64(c.count, 'draws');
      exports.fillZiggurat(c.k0, c.k1, c.stream, c.particle, c.step, c.count, p);
      return heap.copyOutF64(p, c.count, o);
    }),
  );
}

/**
 * The raw Philox4x32-10 block of a 128-bit counter under a 64-bit key, as four u32 — for
 * known-answer tests against Random123's published vectors.
 */
export function philox(counterWords: readonly [number, number, number, number], key: readonly [number, number]): Uint32Array {
  const u32 = { min: 0, max: U32_MAX };
  const c = counterWords.map((w, i) => integer(w, `random.philox: counter[${i}]`, u32, undefined, 'E_INPUT'));
  const k = key.map((w, i) => integer(w, `random.philox: key[${i}]`, u32, undefined, 'E_INPUT'));
  return run('random.philox', ({ exports, heap }) => {
    const p = heap.alloc(16, 'philox block');
    exports.philoxBlock(c[0], c[1], c[2], c[3], k[0], k[1], p);
    return heap.u32(p, 4).slice();
  });
}
