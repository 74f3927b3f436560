// Spectral kernel calls (assembly/spectral/): upload an operator's descriptor and data, lay out an
// algorithm's state block, run it — in one wasm call for operators wasm can apply, or by answering
// its product requests from JS for a user's matvec (reverse communication) — and copy results
// out. Every function runs inside engine.run's heap scope (its caller's). A dense operator's packed
// matrix is the exception: it stays resident in wasm memory between calls (bindings/resident.ts), keyed by
// the operator's `resident` key, so only its first call (per instance) copies it in.

import type { Live } from './engine.ts';
import type { Packed } from './landscapes.ts';
import { DescentError, invalid } from './errors.ts';
import { residentOf } from './resident.ts';

// ---------------------------------------------------------------------------------------------
// Mirrored layouts. MUST MATCH assembly/spectral/{state,operator,lanczos,power,trace,slq,run,
// probes}.ts; test/layout.test.ts checks every id and slot (SPECTRAL_SLOTS) against the module's
// layoutTable, and test/spectral.test.ts the slot counts and work sizes against spectralLayout().

/** Algorithm ids (assembly/spectral/run.ts). */
export const ALGO = { lanczos: 0, power: 1, hutchinson: 2, hutchpp: 3, slq: 4 } as const;
type Algo = (typeof ALGO)[keyof typeof ALGO];

/** Operator kinds (assembly/spectral/operator.ts). */
export const OP_KIND = { hessian: 0, ggn: 1, fisherEmpirical: 2, dense: 3, user: 4 } as const;

/** Probe distributions (assembly/spectral/probes.ts). */
export const DIST = { rademacher: 0, gaussian: 1 } as const;

/** Probe purposes, the counter's particle word (assembly/spectral/probes.ts). */
export const PURPOSE = { lanczos: 0, hutchinson: 1, sketch: 2, slq: 3, power: 4 } as const;

/** STATUS slot values (assembly/spectral/state.ts), by name. */
export const STATUS_NAMES = ['converged', 'maxIter', 'nonFinite', 'eigenSolverFailure'] as const;
export type Status = (typeof STATUS_NAMES)[number];

const OP = { KIND: 0, N: 1, D: 2, OFFSET: 3, LKIND: 4, PARAMS: 5, POINT: 6, SCRATCH: 7, MATRIX: 8, NP: 9, XIN: 10, YOUT: 11, SLOTS: 12 };
const C = { PHASE: 0, REQ_X: 1, REQ_Y: 2, N: 3, K0: 4, K1: 5, MATVECS: 6, STATUS: 7, SLOTS: 8 };
const L = {
  K: 8, NLARGE: 9, NSMALL: 10, TOL: 11, MAXMV: 12, NCV: 13, V: 14, H: 15, WORK: 16, W: 17, VALUES: 18,
  VECTORS: 19, RESID: 20, M: 21, L: 22, BETA: 23, RESTARTS: 24, STARTS: 25, NORM: 26, CONVERGED: 27, BROKE: 28, NEXT: 29,
  RHO: 30, RHOM: 31, CHECKS: 32, SLOTS: 33,
};
const P = { TOL: 8, MAXMV: 9, V: 10, W: 11, R: 12, VALUE: 13, RESID: 14, SLOTS: 15 };
const H = { PROBES: 8, DIST: 9, Z: 10, Y: 11, MEAN: 12, M2: 13, J: 14, DIAG: 15, DIAGM2: 16, EXACT: 17, SAMPLES: 18, SE: 19, SLOTS: 20 };
const PP = {
  S: 8, G: 9, DIST: 10, Q: 11, Y: 12, Z: 13, COEFF: 14, J: 15, RANK: 16, EXACT: 17, MEAN: 18, M2: 19, SAMPLES: 20, COUNT: 21, SE: 22,
  SLOTS: 23,
};
const S = { PROBES: 8, STEPS: 9, V: 10, W: 11, WORK: 12, J: 13, I: 14, NODES: 15, WEIGHTS: 16, COUNTS: 17, NORM: 18, SLOTS: 19 };

/** @internal The slot layouts above, for test/layout.test.ts. */
export const SPECTRAL_SLOTS = { OP, C, L, P, H, PP, S } as const;

/** The slot counts the bindings assume, in spectralLayout's order 0–6 (for the layout test). */
export const MIRRORED_LAYOUT = [OP.SLOTS, C.SLOTS, L.SLOTS, P.SLOTS, H.SLOTS, PP.SLOTS, S.SLOTS] as const;

/** Lanczos work doubles for basis size ncv (assembly/spectral/lanczos.ts, CHUNK = 64). */
export function lanczosWorkSize(ncv: number): number {
  return ncv * ncv + 3 * ncv + 2 * ncv + 2 + ncv * 64 + ncv;
}

/** SLQ work doubles for m steps (assembly/spectral/slq.ts). */
export function slqWorkSize(m: number): number {
  return 3 * m + 2 * (m + 1);
}

// ---------------------------------------------------------------------------------------------
// Operators.

/** What the kernels need to apply an operator (made by src/spectral/operators.ts). */
export interface OperatorSpec {
  /** Kernel kind (OP_KIND). */
  readonly kind: number;
  /** Operator dimension (the block's size when restricted). */
  readonly dim: number;
  /** Dimension of the unrestricted operator. */
  readonly fullDim: number;
  /** First coordinate of the block (0 unless restricted). */
  readonly offset: number;
  /** Landscape or model (hessian, ggn, fisherEmpirical). */
  readonly packed?: (live: Live) => Packed;
  /** The point x or θ (fullDim), already checked finite. */
  readonly point?: Float64Array;
  /** The packed symmetric matrix (dense): packSymmetric's doubles. */
  readonly matrix?: DenseMatrix;
  /**
   * Key of the matrix's resident copy (dense): calls with the same key reuse one copy in wasm
   * memory instead of copying `matrix` in each time. The same key must always come with the same matrix.
   */
  readonly resident?: object;
  /** A user's product v ↦ A v on the full dimension (user). */
  readonly fn?: (v: Float64Array) => ArrayLike<number>;
  /** Name used in messages, e.g. `spectral.matvecOp`. */
  readonly label: string;
}

/**
 * A dense operator's packed matrix (packSymmetric's doubles). `packed` is undefined while the only
 * copy is the resident block that packDense wrote in wasm: the heap hands its doubles over (into
 * `packed`) before it evicts the block or its instance is replaced, so it is there whenever a
 * call needs to copy the matrix in again. Must not reference its operator (the heap holds it).
 */
export interface DenseMatrix { packed: Float64Array | undefined }

/** Padded order of the packed layout. */
export function paddedOrder(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** Doubles of packed storage for an n×n symmetric matrix (assembly/spectral/matvec.ts). */
export function packedSize(n: number): number {
  const np = paddedOrder(n);
  return np * np / 2 + 2 * np;
}

/**
 * Pack the upper triangle of a row-major n×n matrix into the 4-row panel layout of
 * assembly/spectral/matvec.ts (MUST MATCH symPack there; a test compares the two): entry (i, j)
 * is a[i·n + j] for i ≤ j and a[j·n + i] below the diagonal (the lower triangle is never read).
 */
export function packSymmetric(n: number, a: Float64Array): Float64Array {
  const np = paddedOrder(n);
  const out = new Float64Array(packedSize(n));
  let q = 0;
  for (let i0 = 0; i0 < np; i0 += 4) {
    // The panel's 4×4 diagonal block, stored in full (both halves from the upper triangle).
    for (let j = i0; j < i0 + 4; j += 2) {
      for (let r = 0; r < 4; r++) {
        const i = i0 + r;
        for (let c = 0; c < 2; c++) {
          const jj = j + c;
          out[q++] = i < n && jj < n ? (i <= jj ? a[i * n + jj] : a[jj * n + i]) : 0;
        }
      }
    }
    // Columns to the right: rows i0 … i0 + 3, two columns at a time.
    for (let j = i0 + 4; j < np; j += 2) {
      for (let r = 0; r < 4; r++) {
        const i = i0 + r, row = i * n;
        out[q++] = i < n && j < n ? a[row + j] : 0;
        out[q++] = i < n && j + 1 < n ? a[row + j + 1] : 0;
      }
    }
  }
  return out;
}

/**
 * Validate and pack a row-major n×n matrix in wasm (assembly/spectral/pack.ts, one pass), into a
 * block made resident under `key` when it can be (the operator's calls then copy nothing in, and
 * the JS copy is made only if the block is evicted), else onto the stack and copied out. Undefined
 * when an entry is not finite or the matrix is not symmetric to 1e-12·max|a| (the caller finds and
 * reports the entry).
 */
export function packDense(live: Live, n: number, a: Float64Array, key: object): DenseMatrix | undefined {
  const h = live.heap, size = packedSize(n);
  const m: DenseMatrix = { packed: undefined };
  // First, while this call's stack is still empty.
  const resident = residentOf(h).reserve(key, size, (data) => { m.packed = data.slice(); });
  try {
    const full = h.pushF64(a, 'dense matrix');
    const out = resident ?? h.allocF64(size, 'packed matrix');
    const res = h.allocF64(2, 'dense matrix check');
    live.exports.spectralDensePack(n, full, out, res);
    const scale = h.readF64(res), asym = h.readF64(res + 8);
    if (Number.isFinite(scale) && asym <= 1e-12 * scale) {
      if (resident === undefined) m.packed = h.copyOutF64(out, size);
      return m;
    }
  } catch (error) {
    if (resident !== undefined) residentOf(h).drop(key);
    throw error;
  }
  if (resident !== undefined) residentOf(h).drop(key);
  return undefined;
}

interface Uploaded { desc: number; spec: OperatorSpec }

/** Allocate the operator's descriptor and data in the heap (user operators get no descriptor). */
export function uploadOperator(live: Live, spec: OperatorSpec): Uploaded {
  if (spec.kind === OP_KIND.user) return { desc: 0, spec };
  const h = live.heap;
  const slots = new Float64Array(OP.SLOTS);
  slots[OP.KIND] = spec.kind;
  slots[OP.N] = spec.dim;
  slots[OP.D] = spec.fullDim;
  slots[OP.OFFSET] = spec.offset;
  if (spec.kind === OP_KIND.dense) {
    const np = paddedOrder(spec.fullDim);
    // Resident if it can be (see ResidentArena.hold); else onto this call's stack, freed with it.
    const resident = spec.resident ? residentOf(h).hold(spec.resident, () => packedOf(spec)) : undefined;
    slots[OP.MATRIX] = resident ?? h.pushF64(packedOf(spec), 'packed symmetric matrix');
    slots[OP.NP] = np;
    slots[OP.XIN] = h.allocF64(np, 'operator scratch');
    slots[OP.YOUT] = h.allocF64(np, 'operator scratch');
  } else {
    const m = spec.packed!(live);
    slots[OP.LKIND] = m.id;
    slots[OP.PARAMS] = h.pushF64(m.params, 'landscape parameters');
    slots[OP.POINT] = h.pushF64(spec.point!, 'operator point');
    // Hessians go through landscapeHvp (whole landscape scratch); GGN and Fisher products take
    // the finite-sum scratch after the θ | v | result copies (bindings/models.ts).
    const scratch = spec.kind === OP_KIND.hessian ? m.scratch : m.scratch - 3 * m.dim;
    slots[OP.SCRATCH] = h.allocF64(Math.max(scratch, 1), 'operator scratch');
    if (spec.dim !== spec.fullDim) {
      slots[OP.XIN] = h.allocF64(spec.fullDim, 'operator scratch');
      slots[OP.YOUT] = h.allocF64(spec.fullDim, 'operator scratch');
    }
  }
  const desc = h.pushF64(slots, 'operator descriptor');
  return { desc, spec };
}

/** The JS copy of a dense operator's packed matrix (there whenever its resident block is not). */
function packedOf(spec: OperatorSpec): Float64Array {
  const p = spec.matrix!.packed;
  if (!p) {
    throw new DescentError('E_WASM',
      `${spec.label}: the packed matrix is neither resident nor copied out (a bug in descent; please report it)`);
  }
  return p;
}

/** Free the resident copy of a dense matrix (by its key) in this instance, if it has one. */
export function dropResident(live: Live, key: object): void {
  live.heap.resident?.drop(key);
}

/** Whether this instance holds a resident copy for the key (test hook). */
export function isResident(live: Live, key: object): boolean {
  return live.heap.resident?.holds(key) ?? false;
}

/** Answer one product request of a user operator from JS: y = A x on the operator's block. */
function answerUser(live: Live, spec: OperatorSpec, x: number, y: number): void {
  const n = spec.dim;
  let v = live.heap.f64(x, n).slice();
  if (spec.dim !== spec.fullDim) {
    const full = new Float64Array(spec.fullDim);
    full.set(v, spec.offset);
    v = full;
  }
  const r = spec.fn!(v);
  if (r === null || typeof r !== 'object' || typeof (r as ArrayLike<number>).length !== 'number' || r.length !== spec.fullDim) {
    throw invalid('E_INPUT', `${spec.label}: fn(v)`, `an array of ${spec.fullDim} numbers (the product A v)`, r);
  }
  const out = live.heap.f64(y, n); // re-taken after fn: it may have grown memory
  if (spec.dim === spec.fullDim) out.set(r as ArrayLike<number>);
  else for (let i = 0; i < n; i++) out[i] = Number((r as ArrayLike<number>)[spec.offset + i]);
}

/** Run algorithm `algo` on the state at `st` to the end. */
function drive(live: Live, algo: Algo, st: number, op: Uploaded): void {
  if (op.desc !== 0) {
    live.exports.spectralRun(algo, st, op.desc);
    return;
  }
  // Reverse communication: the same state machine, products answered from JS.
  while (live.exports.spectralStep(algo, st) !== 0) {
    const slots = live.heap.f64(st, C.SLOTS);
    answerUser(live, op.spec, slots[C.REQ_X], slots[C.REQ_Y]);
  }
}

function seedWords(seed: number): [number, number] {
  return [seed % 2 ** 32, Math.floor(seed / 2 ** 32)];
}

function newState(size: number, n: number, seed: number): Float64Array {
  const s = new Float64Array(size);
  const [k0, k1] = seedWords(seed);
  s[C.N] = n;
  s[C.K0] = k0;
  s[C.K1] = k1;
  return s;
}

function status(code: number): Status {
  const s = STATUS_NAMES[code];
  if (s === undefined) throw new DescentError('E_WASM', `spectral kernel returned an unknown status ${code}; rebuild descent.wasm`);
  return s;
}

/** y = A v once (v: the operator's dimension). */
export function apply(live: Live, spec: OperatorSpec, v: Float64Array, out: Float64Array): Float64Array {
  if (spec.kind === OP_KIND.user) {
    const x = live.heap.pushF64(v, 'vector');
    const y = live.heap.allocF64(spec.dim, 'product');
    answerUser(live, spec, x, y);
    return live.heap.copyOutF64(y, spec.dim, out);
  }
  const op = uploadOperator(live, spec);
  const x = live.heap.pushF64(v, 'vector');
  const y = live.heap.allocF64(spec.dim, 'product');
  live.exports.spectralApply(op.desc, x, y);
  return live.heap.copyOutF64(y, spec.dim, out);
}

// ---------------------------------------------------------------------------------------------
// Algorithms.

/** Configuration of a Lanczos run (validated by the caller). */
export interface LanczosConfig {
  k: number; nLarge: number; nSmall: number; tol: number; maxIter: number; ncv: number; seed: number; vectors: boolean;
}

/** Raw Lanczos results. */
export interface LanczosRaw {
  values: Float64Array; residuals: Float64Array; vectors: Float64Array[] | undefined;
  matvecs: number; restarts: number; checks: number; converged: number; status: Status; normEstimate: number; starts: number;
}

export function lanczos(live: Live, spec: OperatorSpec, c: LanczosConfig): LanczosRaw {
  const n = spec.dim, h = live.heap;
  const op = uploadOperator(live, spec);
  const s = newState(L.SLOTS, n, c.seed);
  s[L.K] = c.k; s[L.NLARGE] = c.nLarge; s[L.NSMALL] = c.nSmall; s[L.TOL] = c.tol; s[L.MAXMV] = c.maxIter; s[L.NCV] = c.ncv;
  s[L.V] = h.allocF64((c.ncv + 1) * n, 'Lanczos basis');
  s[L.H] = h.allocF64(c.ncv * c.ncv, 'Lanczos projected matrix');
  s[L.WORK] = h.allocF64(lanczosWorkSize(c.ncv), 'Lanczos work');
  s[L.W] = h.allocF64(n, 'Lanczos vector');
  s[L.VALUES] = h.allocF64(c.k, 'eigenvalues');
  s[L.VECTORS] = c.vectors ? h.allocF64(c.k * n, 'eigenvectors') : 0;
  s[L.RESID] = h.allocF64(c.k, 'residuals');
  const st = h.pushF64(s, 'Lanczos state');
  drive(live, ALGO.lanczos, st, op);
  const out = h.f64(st, L.SLOTS).slice();
  const vectors = c.vectors ? Array.from({ length: c.k }, (_, t) => h.copyOutF64(out[L.VECTORS] + 8 * t * n, n)) : undefined;
  return {
    values: h.copyOutF64(out[L.VALUES], c.k), residuals: h.copyOutF64(out[L.RESID], c.k), vectors,
    matvecs: out[C.MATVECS], restarts: out[L.RESTARTS], checks: out[L.CHECKS], converged: out[L.CONVERGED], status: status(out[C.STATUS]),
    normEstimate: out[L.NORM], starts: out[L.STARTS],
  };
}

/** Raw power-iteration results. */
export interface PowerRaw { value: number; residual: number; vector: Float64Array; matvecs: number; status: Status }

export function power(live: Live, spec: OperatorSpec, c: { tol: number; maxIter: number; seed: number }): PowerRaw {
  const n = spec.dim, h = live.heap;
  const op = uploadOperator(live, spec);
  const s = newState(P.SLOTS, n, c.seed);
  s[P.TOL] = c.tol; s[P.MAXMV] = c.maxIter;
  s[P.V] = h.allocF64(n, 'power vector');
  s[P.W] = h.allocF64(n, 'power product');
  s[P.R] = h.allocF64(n, 'power residual');
  const st = h.pushF64(s, 'power state');
  drive(live, ALGO.power, st, op);
  const out = h.f64(st, P.SLOTS).slice();
  return {
    value: out[P.VALUE], residual: out[P.RESID], vector: h.copyOutF64(out[P.V], n), matvecs: out[C.MATVECS], status: status(out[C.STATUS]),
  };
}

/** Raw Hutchinson / exact results. */
export interface HutchinsonRaw {
  mean: number; stdError: number; probes: number; matvecs: number; status: Status;
  diagonal: Float64Array | undefined; diagonalStdError: Float64Array | undefined; samples: Float64Array | undefined;
}

export function hutchinson(live: Live, spec: OperatorSpec,
  c: { probes: number; dist: number; seed: number; diagonal: boolean; exact: boolean }): HutchinsonRaw {
  const n = spec.dim, h = live.heap;
  const op = uploadOperator(live, spec);
  const probes = c.exact ? n : c.probes;
  const s = newState(H.SLOTS, n, c.seed);
  s[H.PROBES] = probes; s[H.DIST] = c.dist; s[H.EXACT] = c.exact ? 1 : 0;
  s[H.Z] = h.allocF64(n, 'probe');
  s[H.Y] = h.allocF64(n, 'product');
  s[H.DIAG] = c.diagonal ? h.allocF64(n, 'diagonal') : 0;
  s[H.DIAGM2] = c.diagonal && !c.exact ? h.allocF64(n, 'diagonal variance') : 0;
  s[H.SAMPLES] = c.exact ? 0 : h.allocF64(probes, 'samples');
  const st = h.pushF64(s, 'Hutchinson state');
  drive(live, ALGO.hutchinson, st, op);
  const out = h.f64(st, H.SLOTS).slice();
  return {
    mean: out[H.MEAN], stdError: out[H.SE], probes: out[H.J], matvecs: out[C.MATVECS], status: status(out[C.STATUS]),
    diagonal: c.diagonal ? h.copyOutF64(out[H.DIAG], n) : undefined,
    diagonalStdError: c.diagonal && !c.exact ? h.copyOutF64(out[H.DIAGM2], n) : undefined,
    samples: c.exact ? undefined : h.copyOutF64(out[H.SAMPLES], out[H.J]),
  };
}

/** Raw Hutch++ results. */
export interface HutchppRaw {
  exact: number; mean: number; stdError: number; count: number; rank: number; sketch: number; matvecs: number; status: Status;
  samples: Float64Array;
}

export function hutchpp(live: Live, spec: OperatorSpec, c: { probes: number; dist: number; seed: number }): HutchppRaw {
  const n = spec.dim, h = live.heap;
  const op = uploadOperator(live, spec);
  const sk = Math.floor(c.probes / 3);
  const s = newState(PP.SLOTS, n, c.seed);
  s[PP.S] = sk; s[PP.G] = c.probes - 2 * sk; s[PP.DIST] = c.dist;
  s[PP.Q] = h.allocF64(sk * n, 'Hutch++ sketch');
  s[PP.Y] = h.allocF64(n, 'product');
  s[PP.Z] = h.allocF64(n, 'probe');
  s[PP.COEFF] = h.allocF64(2 * (sk + 1), 'Hutch++ scratch');
  s[PP.SAMPLES] = h.allocF64(c.probes, 'samples');
  const st = h.pushF64(s, 'Hutch++ state');
  drive(live, ALGO.hutchpp, st, op);
  const out = h.f64(st, PP.SLOTS).slice();
  return {
    exact: out[PP.EXACT], mean: out[PP.MEAN], stdError: out[PP.SE], count: out[PP.COUNT], rank: out[PP.RANK], sketch: sk,
    matvecs: out[C.MATVECS], status: status(out[C.STATUS]), samples: h.copyOutF64(out[PP.SAMPLES], out[PP.COUNT]),
  };
}

/** Raw SLQ results: per probe, `counts[j]` nodes and weights (weights already divided by the probe count). */
export interface SlqRaw { nodes: Float64Array[]; weights: Float64Array[]; counts: Float64Array; matvecs: number; status: Status }

export function slq(live: Live, spec: OperatorSpec, c: { probes: number; steps: number; seed: number }): SlqRaw {
  const n = spec.dim, h = live.heap, m = c.steps;
  const op = uploadOperator(live, spec);
  const s = newState(S.SLOTS, n, c.seed);
  s[S.PROBES] = c.probes; s[S.STEPS] = m;
  s[S.V] = h.allocF64((m + 1) * n, 'SLQ basis');
  s[S.W] = h.allocF64(n, 'SLQ vector');
  s[S.WORK] = h.allocF64(slqWorkSize(m), 'SLQ work');
  s[S.NODES] = h.allocF64(c.probes * m, 'nodes');
  s[S.WEIGHTS] = h.allocF64(c.probes * m, 'weights');
  s[S.COUNTS] = h.allocF64(c.probes, 'steps per probe');
  const st = h.pushF64(s, 'SLQ state');
  drive(live, ALGO.slq, st, op);
  const out = h.f64(st, S.SLOTS).slice();
  const counts = h.copyOutF64(out[S.COUNTS], c.probes);
  const nodes: Float64Array[] = [], weights: Float64Array[] = [];
  for (let j = 0; j < c.probes; j++) {
    nodes.push(h.copyOutF64(out[S.NODES] + 8 * j * m, counts[j]));
    weights.push(h.copyOutF64(out[S.WEIGHTS] + 8 * j * m, counts[j]));
  }
  return { nodes, weights, counts, matvecs: out[C.MATVECS], status: status(out[C.STATUS]) };
}

/**
 * Every eigenvalue of a small operator, ascending: its n×n matrix from n products with the unit
 * vectors (column j = A e_j), symmetrised as ½(A + Aᵀ), then the cyclic Jacobi method
 * (assembly/linalg/symmetricEigen.ts; each eigenvalue within a small multiple of n·2⁻⁵³·‖A‖₂).
 * A non-finite product gives status 'nonFinite' and NaN values.
 */
export function exactSpectrum(live: Live, spec: OperatorSpec): { values: Float64Array; matvecs: number; status: Status } {
  const n = spec.dim, h = live.heap;
  const full = new Float64Array(n * n), e = new Float64Array(n), col = new Float64Array(n);
  let finite = true;
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    const mark = h.mark();
    apply(live, spec, e, col);
    h.release(mark);
    e[j] = 0;
    for (let i = 0; i < n; i++) {
      full[i * n + j] = col[i];
      if (!Number.isFinite(col[i])) finite = false;
    }
  }
  if (!finite) return { values: new Float64Array(n).fill(NaN), matvecs: n, status: 'nonFinite' };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) full[i * n + j] = 0.5 * (full[i * n + j] + full[j * n + i]); // the upper triangle is read
  }
  const a = h.pushF64(full, 'operator matrix'), q = h.allocF64(n * n, 'eigenvectors'), lambda = h.allocF64(n, 'eigenvalues');
  live.exports.symmetricEigen(n, a, q, lambda);
  return { values: h.copyOutF64(lambda, n), matvecs: n, status: 'converged' };
}

/** Gaussian-broadened density of the measure Σ w_k δ(θ_k) at the grid points. */
export function density(live: Live, nodes: Float64Array, weights: Float64Array, sigma: number, grid: Float64Array): Float64Array {
  const h = live.heap;
  const np = h.pushF64(nodes, 'nodes'), wp = h.pushF64(weights, 'weights'), gp = h.pushF64(grid, 'grid');
  const out = h.allocF64(grid.length, 'density');
  live.exports.spectralDensity(np, wp, nodes.length, sigma, gp, grid.length, out);
  return h.copyOutF64(out, grid.length);
}

/** Probe vector `index` of `purpose` (test hook: the exact vectors the estimators use). */
export function probe(live: Live, dist: number, seed: number, purpose: number, index: number, n: number): Float64Array {
  const [k0, k1] = seedWords(seed);
  const out = live.heap.allocF64(n, 'probe');
  live.exports.spectralProbe(dist, k0, k1, purpose, index, n, out);
  return live.heap.copyOutF64(out, n);
}

/** The module's layout numbers, in MIRRORED_LAYOUT's order, plus work sizes (test hook). */
export function layout(live: Live): { slots: number[]; lanczosWork: (ncv: number) => number; slqWork: (m: number) => number } {
  const ex = live.exports;
  return {
    slots: [0, 1, 2, 3, 4, 5, 6].map((w) => ex.spectralLayout(w, 0)),
    lanczosWork: (ncv) => ex.spectralLayout(7, ncv),
    slqWork: (m) => ex.spectralLayout(8, m),
  };
}

/** The wasm packer's output for a row-major matrix (test hook for the layout). */
export function packInWasm(live: Live, a: Float64Array, n: number): Float64Array {
  const h = live.heap;
  const ap = h.pushF64(a, 'matrix');
  const out = h.allocF64(packedSize(n), 'packed matrix');
  live.exports.spectralSymPack(n, ap, out);
  return h.copyOutF64(out, packedSize(n));
}

/** The packed matrix a dense operator multiplies by — its resident block if it has one, else its JS copy (test hook). */
export function packedMatrix(live: Live, spec: OperatorSpec): Float64Array {
  const size = packedSize(spec.fullDim);
  const arena = live.heap.resident;
  if (spec.resident && arena?.holds(spec.resident)) {
    return live.heap.copyOutF64(arena.hold(spec.resident, () => packedOf(spec))!, size);
  }
  return packedOf(spec).slice();
}
