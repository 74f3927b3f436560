// Fused block kernels: for the common runs — a landscape with a two-lane gradient (quadratic and
// Rosenbrock in any d; the 2-d Himmelblau, Beale, six-hump camel and monkey saddle) × an
// optimiser with a lane rule (optimizers/laneRules.ts: SGD, momentum, Nesterov, Adam, AdamW, heavy
// ball) × no noise or Gaussian noise — each step is ONE
// pass over the block, eight lanes at a time: gradient, noise, update and the divergence test
// while the lanes are in registers and L1, instead of the pipeline's (run/pipeline.ts) separate
// passes with a dispatch per pass. The step's scalars (η_t, m_t, bias corrections) are tabulated
// once per window of steps for all blocks. Generic in the landscape and the rule, so the compiler
// writes each combination's loop from the kernels the pipeline itself uses.
//
// Same bits as the pipeline (test/fused.test.ts runs every combination both ways):
//   - each lane sees the pipeline's operations in its order: the landscape's grad2, the noise's
//     zigguratNormals8 draws added as g + (m_t σ_j)·z, the optimiser's own two-lane update;
//   - the table holds what the pipeline's calls compute (learningRate, noiseScale, the rule's
//     scalars with optimizerStep's expressions);
//   - statuses: the divergence test and marking are the pipeline's (run/block.ts divergence), and
//     a block stops at the step where it has no active lane, as there.
// Steps the fused loop does not take go to the pipeline one at a time: record steps (t mod every
// = 0), SGD momentum's first step. Runs with stop conditions, sharpness tracking, other noise
// kinds or rules never come here (fusedCase), nor do blocks recording trajectories (fusedBlock).
//
// Work space (descriptor slot FUSED; bindings/ensemble.ts allocates fusedWorkDoubles):
//   table     SEGMENT × ROW_COEFS v128   the rule's scalars per step of a window
//   scales    SEGMENT doubles            m_t, the noise annealing per step

import * as D from './descriptor';
import { f, u, i, key } from './descriptor';
import { ACTIVE, countStatus, divergence } from './block';
import { pipelineBlock } from './pipeline';
import { learningRate } from '../schedules';
import * as LK from '../landscapes/kinds';
import { Quadratic } from '../landscapes/quadratic';
import { Rosenbrock } from '../landscapes/rosenbrock';
import { Himmelblau } from '../landscapes/himmelblau';
import { Beale } from '../landscapes/beale';
import { SixHumpCamel } from '../landscapes/sixHumpCamel';
import { MonkeySaddle } from '../landscapes/monkeySaddle';
import { LinkedBlock } from '../landscapes/linked';
import * as R from '../optimizers/laneRules';
import {
  SgdSimpleRule, SgdPlainRule, SgdMomentumRule, SgdNesterovRule, AdamRule, AdamWRule, HeavyBallRule, ROW_COEFS, laneRule, firstStepSpecial,
} from '../optimizers/laneRules';
import { GAUSSIAN } from '../noise/kinds';
import { noiseScale, addNoise8 } from '../noise/apply';
import { zigguratNormals8 } from '../random/ziggurat';
import { NOISE, NOISE_RETRY } from '../random/streams';

/** Steps per segment (the coefficient table's length): longer stretches run as several segments. */
const SEGMENT = 128;
const ROW_BYTES: usize = <usize>ROW_COEFS << 4;

/** Steps of one table window: ensembleRun fills the table, then runs every block, per window. */
export const FUSED_WINDOW = SEGMENT;

/** Doubles of FUSED work space. */
export function fusedWorkDoubles(): i32 {
  return SEGMENT * ROW_COEFS * 2 + SEGMENT;
}

// Eight particles' normals of one coordinate pair (random/ziggurat.ts zigguratNormals8).
const NZ: usize = memory.data(128, 16);

/**
 * zigguratNormals8 into NZ, as one function every fused loop calls (inlined into each, the
 * generator would be copied 28 times: the module's size matters to embedders, and a call per
 * sixteen normals costs little beside them).
 */
function normals8(blk: u32, t: u32, p: u32, k0: u32, k1: u32, both: bool): void {
  zigguratNormals8(NOISE, NOISE_RETRY, blk, t, p, k0, k1, both, NZ);
}

/**
 * Which fused kernel serves this run, or 0: landscape (1 quadratic, 2 Rosenbrock, 3 Himmelblau,
 * 4 Beale, 5 six-hump camel, 6 monkey saddle, 7 linked) · 16 + rule (1 … 7) · 2 + (Gaussian noise ? 1 : 0).
 */
export function fusedCase(desc: usize): i32 {
  if (u(desc, D.FUSED) == 0) return 0; // no work space: the bindings want the pipeline
  if (i(desc, D.B) % 8 != 0) return 0;
  if (f(desc, D.GRADTOL) > 0.0 || i(desc, D.NREG) > 0 || u(desc, D.FROZEN) != 0 || u(desc, D.SHW) != 0) return 0;
  const nk = i(desc, D.NK);
  if (nk != 0 && nk != GAUSSIAN) return 0;
  const lk = i(desc, D.LK);
  const l = lk == LK.QUADRATIC ? 1 : lk == LK.ROSENBROCK ? 2 : lk == LK.HIMMELBLAU ? 3 : lk == LK.BEALE ? 4
    : lk == LK.SIX_HUMP_CAMEL ? 5 : lk == LK.MONKEY_SADDLE ? 6 : lk == LK.LINKED ? 7 : 0;
  const rule = laneRule(i(desc, D.OK), u(desc, D.HP));
  if (l == 0 || rule == 0) return 0;
  // A linked landscape (an expression compiled at run time) computes the block's gradient in one
  // call; then one pass for noise, update and the divergence test. Plain SGD only (as beyond d = 2).
  if (l == 7 && rule != R.SGD_SIMPLE) return 0;
  // Beyond d = 2 only plain SGD is fused: for the other rules the group loop measured no faster
  // than the pipeline (their update, not the passes, is the cost), so it is not worth its bytes.
  if (i(desc, D.DIM) != 2 && rule != R.SGD_SIMPLE) return 0;
  return l * 16 + rule * 2 + (nk == GAUSSIAN ? 1 : 0);
}

/**
 * Fill the step table for steps [w0, w1) (w1 − w0 ≤ SEGMENT): the rule's scalars and the noise's
 * m_t, once per window for every block.
 */
export function fusedTable(desc: usize, which: i32, w0: i32, w1: i32): void {
  const table = u(desc, D.FUSED), scales = table + <usize>SEGMENT * ROW_BYTES;
  const hp = u(desc, D.HP), sk = i(desc, D.SK), sq = u(desc, D.SQ);
  const rule = (which >> 1) & 7;
  for (let t = w0; t < w1; t++) {
    const row = table + <usize>(t - w0) * ROW_BYTES;
    const lr = learningRate(sk, sq, t);
    if (rule == R.SGD_SIMPLE) changetype<SgdSimpleRule>(0).coefs(hp, t, lr, row);
    else if (rule == R.SGD_PLAIN) changetype<SgdPlainRule>(0).coefs(hp, t, lr, row);
    else if (rule == R.SGD_MOMENTUM) changetype<SgdMomentumRule>(0).coefs(hp, t, lr, row);
    else if (rule == R.SGD_NESTEROV) changetype<SgdNesterovRule>(0).coefs(hp, t, lr, row);
    else if (rule == R.ADAM) changetype<AdamRule>(0).coefs(hp, t, lr, row);
    else if (rule == R.ADAMW) changetype<AdamWRule>(0).coefs(hp, t, lr, row);
    else changetype<HeavyBallRule>(0).coefs(hp, t, lr, row);
    store<f64>(scales + (<usize>(t - w0) << 3), noiseScale(desc, t));
  }
}

/**
 * Steps [w0, w1) of local block b (a table window, fusedTable) through fused kernel `which`,
 * record steps and the rule's special first step through the pipeline. Returns false (nothing
 * done) when the block records trajectories, which only the pipeline writes.
 */
export function fusedBlock(desc: usize, which: i32, b: i32, w0: i32, w1: i32, row0: i32): bool {
  const trajM = i(desc, D.TRAJM);
  if (trajM > 0 && D.firstParticle(desc, b) < trajM) return false;
  const every = i(desc, D.EVERY), rule = (which >> 1) & 7;
  let t = w0;
  while (t < w1) {
    if ((every > 0 && t % every == 0) || (t == 0 && firstStepSpecial(rule))) {
      pipelineBlock(desc, b, t, t + 1, row0);
      t++;
      continue;
    }
    const te = every > 0 ? min(w1, (t / every + 1) * every) : w1;
    if (!segment(desc, which, b, w0, t, te)) return true; // no active lane left: the pipeline would stop too
    t = te;
  }
  return true;
}

/** Steps [ta, tb) of block b, no record step inside (table rows from w0). Returns false once no lane is active. */
function segment(desc: usize, which: i32, b: i32, w0: i32, ta: i32, tb: i32): bool {
  const l = which >> 4, rule = (which >> 1) & 7, noisy = (which & 1) != 0;
  if (l == 1) return forRule<Quadratic>(desc, rule, noisy, b, w0, ta, tb);
  if (l == 2) return forRule<Rosenbrock>(desc, rule, noisy, b, w0, ta, tb);
  if (l == 3) return forRule<Himmelblau>(desc, rule, noisy, b, w0, ta, tb);
  if (l == 4) return forRule<Beale>(desc, rule, noisy, b, w0, ta, tb);
  if (l == 5) return forRule<SixHumpCamel>(desc, rule, noisy, b, w0, ta, tb);
  if (l == 7) return run<LinkedBlock, SgdSimpleRule>(desc, noisy, b, w0, ta, tb);
  return forRule<MonkeySaddle>(desc, rule, noisy, b, w0, ta, tb);
}

@inline function forRule<L>(desc: usize, rule: i32, noisy: bool, b: i32, w0: i32, ta: i32, tb: i32): bool {
  if (noisy) {
    if (rule == R.SGD_SIMPLE) return run<L, SgdSimpleRule>(desc, true, b, w0, ta, tb);
    if (rule == R.SGD_PLAIN) return run<L, SgdPlainRule>(desc, true, b, w0, ta, tb);
    if (rule == R.SGD_MOMENTUM) return run<L, SgdMomentumRule>(desc, true, b, w0, ta, tb);
    if (rule == R.SGD_NESTEROV) return run<L, SgdNesterovRule>(desc, true, b, w0, ta, tb);
    if (rule == R.ADAM) return run<L, AdamRule>(desc, true, b, w0, ta, tb);
    if (rule == R.ADAMW) return run<L, AdamWRule>(desc, true, b, w0, ta, tb);
    return run<L, HeavyBallRule>(desc, true, b, w0, ta, tb);
  }
  if (rule == R.SGD_SIMPLE) return run<L, SgdSimpleRule>(desc, false, b, w0, ta, tb);
  if (rule == R.SGD_PLAIN) return run<L, SgdPlainRule>(desc, false, b, w0, ta, tb);
  if (rule == R.SGD_MOMENTUM) return run<L, SgdMomentumRule>(desc, false, b, w0, ta, tb);
  if (rule == R.SGD_NESTEROV) return run<L, SgdNesterovRule>(desc, false, b, w0, ta, tb);
  if (rule == R.ADAM) return run<L, AdamRule>(desc, false, b, w0, ta, tb);
  if (rule == R.ADAMW) return run<L, AdamWRule>(desc, false, b, w0, ta, tb);
  return run<L, HeavyBallRule>(desc, false, b, w0, ta, tb);
}

/** Lanes of v with |x| ≤ bound (NaN is not): an i64x2 mask. */
@inline function inside(v: v128, vb: v128): v128 { return f64x2.le(f64x2.abs(v), vb); }

/**
 * The fused loop (not inlined: each instantiation is one function with its own registers): steps
 * [ta, tb) of block b, each one pass over groups of eight lanes doing gradient (L.grad2), Gaussian
 * noise when `noisy`, the rule's update and the divergence test; then, if a lane left, the
 * pipeline's divergence marking. Returns false when no lane is active any more (the pipeline's
 * loop stops there too).
 */
function run<L, O>(desc: usize, noisy: bool, b: i32, w0: i32, ta: i32, tb: i32): bool {
  if (isDefined(changetype<L>(0).gradPair2)) {
    if (i(desc, D.DIM) == 2) {
      // The plain-SGD loops get a copy with and one without noise (10% faster without it than
      // with a run-time test); the other rules test at run time, so the module stays small.
      if (isDefined(changetype<O>(0).ownNoiseCopies)) {
        return noisy ? runPairs<L, O>(desc, true, b, w0, ta, tb) : runPairs<L, O>(desc, false, b, w0, ta, tb);
      }
      return runPairs<L, O>(desc, noisy, b, w0, ta, tb);
    }
  }
  if (isDefined(changetype<L>(0).grad2) || isDefined(changetype<L>(0).gradBlock)) {
    if (isDefined(changetype<O>(0).ownNoiseCopies)) return runGroups<L, O>(desc, noisy, b, w0, ta, tb);
  }
  unreachable(); // a 2-d-only landscape (no grad2) has d = 2: runPairs took it
  return false;
}

/** Any d, landscapes with grad2: groups of eight lanes (see run). */
@inline function runGroups<L, O>(desc: usize, noisy: bool, b: i32, w0: i32, ta: i32, tb: i32): bool {
  const l = changetype<L>(0), o = changetype<O>(0);
  const d = i(desc, D.DIM), B = i(desc, D.B), slots = i(desc, D.SLOTS), n = d * B;
  const stride = <usize>n << 3, row = <usize>B << 3;
  const lp = u(desc, D.LP), lw = u(desc, D.LW), q = u(desc, D.NQ);
  const x = u(desc, D.X) + <usize>b * stride;
  const s = u(desc, D.S) + <usize>(b * slots) * stride;
  const g = u(desc, D.G);
  const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
  const table = u(desc, D.FUSED), scales = table + <usize>SEGMENT * ROW_BYTES;
  const vb = f64x2.splat(f(desc, D.BOUND));
  const p0 = <u32>D.firstParticle(desc, b), k0 = key(desc, D.K0), k1 = key(desc, D.K1);
  let active = countStatus(status, B, ACTIVE);
  for (let t = ta; t < tb; t++) {
    if (active == 0) return false;
    const coefs = table + <usize>(t - w0) * ROW_BYTES;
    const m = load<f64>(scales + (<usize>(t - w0) << 3));
    // The step's scalars, in registers for the whole pass (a rule reads the ones it needs).
    const c0 = v128.load(coefs), c1 = v128.load(coefs, 16), c2 = v128.load(coefs, 32), c3 = v128.load(coefs, 48), c4 = v128.load(coefs, 64);
    const c5 = v128.load(coefs, 80), c6 = v128.load(coefs, 96), c7 = v128.load(coefs, 112);
    const c8 = v128.load(coefs, 128), c9 = v128.load(coefs, 144);
    let ok = i64x2.splat(-1);
    if (isDefined(l.gradBlock)) l.gradBlock(lp, d, B, x, row, g, lw);
    for (let g0 = 0; g0 < B; g0 += 8) {
      const off = <usize>g0 << 3;
      const xg = x + off, gg = g + off, sg = s + off;
      if (!isDefined(l.gradBlock)) l.grad2(lp, d, xg, row, gg, lw, false, 0, 4);
      if (noisy) {
        for (let j = 0; j < d; j += 2) {
          const both = j + 1 < d;
          normals8(<u32>(j >> 1), <u32>t, p0 + <u32>g0, k0, k1, both);
          const gj = gg + <usize>j * row;
          addNoise8(gj, NZ, f64x2.splat(m * load<f64>(q + (<usize>j << 3))));
          if (both) addNoise8(gj + row, NZ + 64, f64x2.splat(m * load<f64>(q + (<usize>(j + 1) << 3))));
        }
      }
      for (let j = 0; j < d; j++) {
        const oj = <usize>j * row;
        const xa = update<O>(xg, gg, sg, stride, oj, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
        const xb = update<O>(xg, gg, sg, stride, oj + 16, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
        const xc = update<O>(xg, gg, sg, stride, oj + 32, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
        const xd = update<O>(xg, gg, sg, stride, oj + 48, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
        ok = v128.and(ok, v128.and(v128.and(inside(xa, vb), inside(xb, vb)), v128.and(inside(xc, vb), inside(xd, vb))));
      }
    }
    // Some lane (active, diverged or padding) is out of bounds: the pipeline's lane-by-lane test.
    if (!v128.all_true<i64>(ok)) active -= divergence(desc, b, t, x, status, d, B);
  }
  return active > 0;
}

/**
 * d = 2 with a landscape's loop-free pair gradient (gradPair2; its constants hoisted out of every
 * loop): per step one pass over the block, four lane pairs unrolled per group of eight lanes (the
 * noise's unit). Small loops with run-time trip counts (grad2 over d, the update over coordinates)
 * cost more than their bodies here: V8 checks for interrupts on every back edge.
 */
@inline function runPairs<L, O>(desc: usize, noisy: bool, b: i32, w0: i32, ta: i32, tb: i32): bool {
  const l = changetype<L>(0);
  const B = i(desc, D.B), slots = i(desc, D.SLOTS);
  const stride = <usize>(2 * B) << 3, row = <usize>B << 3;
  const lp = u(desc, D.LP), q = u(desc, D.NQ);
  const x = u(desc, D.X) + <usize>b * stride;
  const s = u(desc, D.S) + <usize>(b * slots) * stride;
  const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
  const table = u(desc, D.FUSED), scales = table + <usize>SEGMENT * ROW_BYTES;
  const vb = f64x2.splat(f(desc, D.BOUND));
  const p0 = <u32>D.firstParticle(desc, b), k0 = key(desc, D.K0), k1 = key(desc, D.K1);
  const l0 = l.pairConst(lp, 0), l1 = l.pairConst(lp, 1), l2 = l.pairConst(lp, 2), l3 = l.pairConst(lp, 3);
  const l4 = l.pairConst(lp, 4), l5 = l.pairConst(lp, 5);
  const sigma0 = noisy ? load<f64>(q) : 0.0, sigma1 = noisy ? load<f64>(q, 8) : 0.0;
  let active = countStatus(status, B, ACTIVE);
  for (let t = ta; t < tb; t++) {
    if (active == 0) return false;
    const coefs = table + <usize>(t - w0) * ROW_BYTES;
    const m = load<f64>(scales + (<usize>(t - w0) << 3));
    const c0 = v128.load(coefs), c1 = v128.load(coefs, 16), c2 = v128.load(coefs, 32), c3 = v128.load(coefs, 48), c4 = v128.load(coefs, 64);
    const c5 = v128.load(coefs, 80), c6 = v128.load(coefs, 96), c7 = v128.load(coefs, 112);
    const c8 = v128.load(coefs, 128), c9 = v128.load(coefs, 144);
    const n0 = f64x2.splat(m * sigma0), n1 = f64x2.splat(m * sigma1); // noise.ts normalLoop's m·σ_j
    let ok = i64x2.splat(-1);
    for (let g0 = 0; g0 < B; g0 += 8) {
      const off = <usize>g0 << 3;
      if (noisy) normals8(0, <u32>t, p0 + <u32>g0, k0, k1, true);
      ok = v128.and(ok, v128.and(
        v128.and(
          pair<L, O>(noisy, x + off, s + off, row, stride, NZ, n0, n1, l0, l1, l2, l3, l4, l5,
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, vb),
          pair<L, O>(noisy, x + off + 16, s + off + 16, row, stride, NZ + 16, n0, n1, l0, l1, l2, l3, l4, l5,
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, vb)),
        v128.and(
          pair<L, O>(noisy, x + off + 32, s + off + 32, row, stride, NZ + 32, n0, n1, l0, l1, l2, l3, l4, l5,
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, vb),
          pair<L, O>(noisy, x + off + 48, s + off + 48, row, stride, NZ + 48, n0, n1, l0, l1, l2, l3, l4, l5,
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, vb))));
    }
    if (!v128.all_true<i64>(ok)) active -= divergence(desc, b, t, x, status, 2, B);
  }
  return active > 0;
}

/** Two lanes at byte offset o of x and g (in memory): the rule's update, stored; the new x. */
@inline function update<O>(x: usize, g: usize, s: usize, stride: usize, o: usize,
                           c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
  const xn = changetype<O>(0).lanes(v128.load(x + o), v128.load(g + o), s, stride, o, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
  v128.store(x + o, xn);
  return xn;
}

/**
 * One lane pair, d = 2, x at x and x + row: gradient in registers, noise (z of coordinate 0 at z,
 * of coordinate 1 at z + 64, as noise/apply.ts addNoise8 adds it: g + c·z), update, stored x;
 * returns the in-bounds mask.
 */
@inline function pair<L, O>(noisy: bool, x: usize, s: usize, row: usize, stride: usize, z: usize, n0: v128, n1: v128,
                            l0: v128, l1: v128, l2: v128, l3: v128, l4: v128, l5: v128,
                            c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, c7: v128, c8: v128, c9: v128,
                            vb: v128): v128 {
  const l = changetype<L>(0), o = changetype<O>(0);
  const x0 = v128.load(x), x1 = v128.load(x + row);
  let g0 = l.gradPair2(0, x0, x1, l0, l1, l2, l3, l4, l5), g1 = l.gradPair2(1, x0, x1, l0, l1, l2, l3, l4, l5);
  if (noisy) {
    g0 = f64x2.add(g0, f64x2.mul(n0, v128.load(z)));
    g1 = f64x2.add(g1, f64x2.mul(n1, v128.load(z, 64)));
  }
  const xa = o.lanes(x0, g0, s, stride, 0, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
  const xb = o.lanes(x1, g1, s, stride, row, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
  v128.store(x, xa);
  v128.store(x + row, xb);
  return v128.and(inside(xa, vb), inside(xb, vb));
}
