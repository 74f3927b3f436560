// spectral.*: Lanczos, power iteration, Hutchinson / Hutch++ traces, diagonals, SLQ densities and
// per-layer blocks, against NumPy / SciPy (test/fixtures/spectral.py → spectral.json: eigh of
// explicit Hessians and dense matrices, scipy.sparse.linalg.eigsh, a simulated SLQ error
// distribution) and against an independent cyclic-Jacobi eigensolver written below (for model
// Hessians, Gauss–Newton and Fisher matrices assembled from their products).
//
// Tolerances: Lanczos runs at tol 1e-10 (relative residual), so each eigenvalue is within
// ‖r‖ ≤ 1e-10·|λ| of an exact one; compared at 1e-8·max|λ|. Statistical checks state their
// pass probability next to the assertion.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { run } from '../bindings/engine.ts';
import * as kernels from '../bindings/spectral.ts';
import fixtures from './fixtures/spectral.json';
import { close, rng, throwsDescent, uniformArray } from './util.ts';

const S = descent.spectral;
const spec = suite('spectral');
spec.before(() => descent.init());

interface Recipe { type: 'spiked' | 'householder' | 'laplacian' | 'lowrank'; n?: number; seed?: number; thetas?: number[]; D?: number[]; reflectors?: number; r?: number }
interface DenseCase {
  name: string; recipe: Recipe; n: number; eigenvalues: number[]; trace: number; frobenius2: number; diagonal: number[];
  eigsh: { LA: number[]; SA: number[]; BE: number[] };
}
interface HessianCase { name: string; landscape: 'rosenbrock' | 'quadratic' | 'sum'; config?: { dim: number }; A?: number[][]; x: number[]; eigenvalues: number[]; trace: number; diagonal: number[] }
interface SlqCase { name: string; probes: number; steps: number; trials: number; w1: { median: number; q999: number; max: number } }
const fx = fixtures as unknown as { hessians: HessianCase[]; dense: DenseCase[]; slq: SlqCase[] };

// ---------------------------------------------------------------------------------------------
// Oracles and helpers (plain JS, independent of the code under test).

/** The dense matrices of spectral.py's recipes (same mulberry32 streams, same formulas). */
function build(r: Recipe): { A: Float64Array; n: number } {
  if (r.type === 'spiked') {
    const n = r.n!, next = rng(r.seed!), s = Math.sqrt(3) / Math.sqrt(n);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { const v = (2 * next() - 1) * s; A[i * n + j] = v; A[j * n + i] = v; }
    for (const th of r.thetas!) {
      const u = unit(Float64Array.from({ length: n }, () => 2 * next() - 1));
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += th * u[i] * u[j];
    }
    return { A, n };
  }
  if (r.type === 'householder') {
    const D = r.D!, n = D.length, next = rng(r.seed!);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) A[i * n + i] = D[i];
    for (let k = 0; k < r.reflectors!; k++) {
      const u = unit(Float64Array.from({ length: n }, () => 2 * next() - 1));
      const w = matvec(A, n, u);
      let c = 0;
      for (let i = 0; i < n; i++) c += u[i] * w[i];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += -2 * u[i] * w[j] - 2 * w[i] * u[j] + 4 * c * u[i] * u[j];
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { const m = (A[i * n + j] + A[j * n + i]) / 2; A[i * n + j] = m; A[j * n + i] = m; }
    return { A, n };
  }
  if (r.type === 'laplacian') {
    const n = r.n!, A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) { A[i * n + i] = 2; if (i > 0) A[i * n + i - 1] = -1; if (i < n - 1) A[i * n + i + 1] = -1; }
    return { A, n };
  }
  const n = r.n!, rk = r.r!, next = rng(r.seed!);
  const B = Array.from({ length: rk }, () => Float64Array.from({ length: n }, () => 2 * next() - 1));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < rk; k++) s += B[k][i] * B[k][j]; A[i * n + j] = s / rk; }
  return { A, n };
}

function unit(u: Float64Array): Float64Array {
  let q = 0;
  for (const x of u) q += x * x;
  q = Math.sqrt(q);
  for (let i = 0; i < u.length; i++) u[i] /= q;
  return u;
}

function matvec(A: Float64Array, n: number, v: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * v[j]; y[i] = s; }
  return y;
}

/** Eigenvalues (ascending) of a symmetric matrix by cyclic Jacobi (Golub & Van Loan §8.5): an oracle independent of tred2/tql2. */
function jacobiEigenvalues(M: Float64Array, n: number): number[] {
  const a = Float64Array.from(M);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-30 * (1 + a.reduce((s, x) => s + x * x, 0))) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]).sort((x, y) => x - y);
}

/** The dense matrix of an operator, column by column from its products. */
function dense(op: descent.spectral.SpectralOperator): Float64Array {
  const n = op.dim, M = new Float64Array(n * n), e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0); e[j] = 1;
    const col = op.apply(e);
    for (let i = 0; i < n; i++) M[i * n + j] = col[i];
  }
  return M;
}

/** What topEigenvalues should return, from all eigenvalues (ascending), in its output order. */
function expected(all: number[], k: number, which: 'largest' | 'smallest' | 'both'): number[] {
  const top = (c: number) => all.slice(all.length - c).reverse();
  if (which === 'largest') return top(k);
  if (which === 'smallest') return all.slice(0, k);
  const nl = Math.ceil(k / 2);
  return [...top(nl), ...all.slice(0, k - nl).reverse()];
}

/** ‖A y − λ y‖ for each returned pair, by the operator's own product. */
function trueResiduals(op: descent.spectral.SpectralOperator, r: descent.spectral.EigenResult): number[] {
  return r.eigenvectors.map((y, t) => {
    const Ay = op.apply(y);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (Ay[i] - r.eigenvalues[t] * y[i]) ** 2;
    return Math.sqrt(s);
  });
}

/** Wasserstein-1 distance between Σ w δ_nodes and the uniform measure on `lambda`: ∫ |F − G|. */
function wasserstein1(nodes: ArrayLike<number>, weights: ArrayLike<number>, lambda: number[]): number {
  const pts: [number, number][] = [];
  for (let i = 0; i < nodes.length; i++) pts.push([nodes[i], weights[i]]);
  for (const l of lambda) pts.push([l, -1 / lambda.length]);
  pts.sort((a, b) => a[0] - b[0]);
  let cdf = 0, w = 0;
  for (let i = 0; i < pts.length - 1; i++) { cdf += pts[i][1]; w += Math.abs(cdf) * (pts[i + 1][0] - pts[i][0]); }
  return w;
}

const maxAbsOf = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

const denseOps = new Map<string, { op: descent.spectral.SpectralOperator; A: Float64Array; n: number }>();
function denseCase(c: DenseCase) {
  let d = denseOps.get(c.name);
  if (!d) { const { A, n } = build(c.recipe); d = { op: S.denseOp(A), A, n }; denseOps.set(c.name, d); }
  return d;
}

function landscapeOf(c: HessianCase): descent.Landscape {
  const L = descent.landscapes;
  if (c.landscape === 'rosenbrock') return L.rosenbrock(c.config);
  if (c.landscape === 'quadratic') return L.quadratic({ A: c.A! });
  return L.sum([L.rosenbrock({ dim: c.x.length }), L.quadratic({ A: c.A! })]);
}

// ---------------------------------------------------------------------------------------------
// Layouts mirrored between bindings/spectral.ts and assembly/spectral/.

spec('the bindings mirror the module: slot counts, work sizes, the packed matrix layout', () => {
  run('test', (live) => {
    const l = kernels.layout(live);
    assert.equal(l.slots, [...kernels.MIRRORED_LAYOUT], 'slot counts (operator, common, lanczos, power, hutchinson, hutch++, slq)');
    for (const c of [2, 20, 57]) assert.is(kernels.lanczosWorkSize(c), l.lanczosWork(c), `Lanczos work for ncv = ${c}`);
    for (const m of [1, 40]) assert.is(kernels.slqWorkSize(m), l.slqWork(m), `SLQ work for m = ${m}`);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 13]) {
      const A = uniformArray(rng(n), n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
      const js = kernels.packSymmetric(n, A);
      assert.equal(Array.from(js), Array.from(kernels.packInWasm(live, A, n)), `packed layout, n = ${n}`);
    }
  });
});

spec('the dense symmetric product (both panel sweeps) equals a plain row-by-row product for every panel shape', () => {
  // n = 1 … 17 covers panels with 0, 2, 4, … off-diagonal column pairs (the peeled first and
  // last pairs, the two-pair loop, none at all) and every padding of n to a multiple of 4, in
  // the ascending sweep; n ≥ 1 597 (padded order ≥ 1 600) takes the descending one.
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 64, 1596, 1597, 1603]) {
    const next = rng(100 + n);
    const A = uniformArray(next, n * n, -1, 1);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
    const v = uniformArray(next, n, -1, 1);
    const op = S.denseOp(A);
    const y = op.apply(v);
    const want = new Float64Array(n);
    let scale = 0;
    for (let i = 0; i < n; i++) {
      let s = 0, a = 0;
      for (let j = 0; j < n; j++) { s += A[i * n + j] * v[j]; a += Math.abs(A[i * n + j] * v[j]); }
      want[i] = s;
      scale = Math.max(scale, a);
    }
    for (let i = 0; i < n; i++) assert.ok(Math.abs(y[i] - want[i]) <= 4 * n * 2 ** -52 * scale, `n = ${n}, row ${i}: ${y[i]} vs ${want[i]}`);
    op.dispose();
  }
});

spec('Rademacher probes are ±1 from stream 8; Hutchinson samples are exactly zᵀAz of those probes', () => {
  const c = fx.dense.find((d) => d.name === 'spiked-n400')!;
  const { op, A, n } = denseCase(c);
  const z = run('test', (live) => kernels.probe(live, kernels.DIST.rademacher, 5, kernels.PURPOSE.hutchinson, 3, n));
  assert.ok(z.every((x) => x === 1 || x === -1), 'entries ±1');
  const plus = z.filter((x) => x === 1).length;
  // Binomial(400, ½): |plus − 200| ≤ 60 fails with probability < 1e-9.
  assert.ok(Math.abs(plus - n / 2) <= 60, `balanced signs: ${plus} of ${n}`);
  const r = S.trace(op, { probes: 4, seed: 5 });
  const Az = matvec(A, n, z);
  let zAz = 0;
  for (let i = 0; i < n; i++) zAz += z[i] * Az[i];
  close(r.samples[3], zAz, 1e-12, 'sample 3 = zᵀAz');
});

// ---------------------------------------------------------------------------------------------
// Lanczos against NumPy's eigh of explicit Hessians.

for (const c of fx.hessians) {
  spec(`${c.name}: Hessian top/bottom/both eigenvalues vs numpy eigh, exact trace and diagonal`, () => {
    const f = landscapeOf(c);
    const op = S.hessianOp(f, c.x);
    const scale = maxAbsOf(c.eigenvalues);
    for (const [which, k] of [['largest', 3], ['smallest', 3], ['both', 4]] as const) {
      const r = S.topEigenvalues(op, { k, which, tol: 1e-10 });
      assert.ok(r.converged, `${which}: converged (${r.status}, ${r.iterations} products)`);
      close(r.eigenvalues, expected(c.eigenvalues, k, which), 1e-9, `${c.name} ${which}`, 0);
      for (const [t, res] of trueResiduals(op, r).entries()) {
        assert.ok(res <= 1e-9 * scale, `${which} pair ${t}: true residual ${res} vs estimate ${r.residuals[t]}`);
        assert.ok(Math.abs(res - r.residuals[t]) <= 1e-12 * scale, `${which} pair ${t}: the residual estimate is the true residual`);
      }
    }
    close(S.trace(op, { method: 'exact' }).estimate, c.trace, 1e-12, `${c.name} exact trace`);
    close(S.diagonal(op, { method: 'exact' }).diagonal, c.diagonal, 1e-12, `${c.name} exact diagonal`);
  });
}

// ---------------------------------------------------------------------------------------------
// Dense matrices against scipy.sparse.linalg.eigsh (and eigh).

for (const c of fx.dense) {
  spec(`${c.name}: top-5, bottom-3 and both-ends-4 vs scipy eigsh`, () => {
    const { op } = denseCase(c);
    const scale = maxAbsOf(c.eigenvalues);
    // The low-rank case asks for 3 copies of the eigenvalue 0 (multiplicity 130): a single
    // Krylov sequence holds one, and the others arrive through breakdowns, which need a basis
    // larger than the rank + 1 (see topEigenvalues' doc); ncv = 40 > 21.
    const ncv = c.recipe.type === 'lowrank' ? 40 : undefined;
    for (const [which, k, key] of [['largest', 5, 'LA'], ['smallest', 3, 'SA'], ['both', 4, 'BE']] as const) {
      const r = S.topEigenvalues(op, { k, which, tol: 1e-10, maxIter: 5000, ...(ncv ? { ncv } : {}) });
      assert.ok(r.converged, `${which}: converged (${r.status}, ${r.iterations} products, ${r.restarts} restarts)`);
      const got = Array.from(r.eigenvalues).sort((a, b) => a - b);
      close(got, c.eigsh[key], 1e-8, `${c.name} ${which} vs eigsh`, 1e-13 * scale);
      close(r.eigenvalues, expected(c.eigenvalues, k, which), 1e-8, `${c.name} ${which} vs eigh`, 1e-13 * scale);
      for (const [t, res] of trueResiduals(op, r).entries()) assert.ok(res <= 2e-10 * scale, `${which} pair ${t}: true residual ${res}`);
      // Eigenvectors orthonormal.
      for (let a = 0; a < k; a++) for (let b = a; b < k; b++) {
        let d = 0;
        for (let i = 0; i < c.n; i++) d += r.eigenvectors[a][i] * r.eigenvectors[b][i];
        assert.ok(Math.abs(d - (a === b ? 1 : 0)) < 1e-10, `${which}: yᵀy [${a}][${b}] = ${d}`);
      }
    }
  });
}

spec('degenerate spectra: every copy of a repeated extreme eigenvalue, and exact breakdowns', () => {
  const deg = fx.dense.find((d) => d.name === 'degenerate-n300')!;
  const { op } = denseCase(deg);
  const top = S.topEigenvalues(op, { k: 3, tol: 1e-10 });
  close(top.eigenvalues, [7, 7, 7], 1e-10, 'triple 7');
  const bottom = S.topEigenvalues(op, { k: 3, which: 'smallest', tol: 1e-10 });
  close(bottom.eigenvalues, [-4, -4, -4], 1e-10, 'triple −4');
  // Few distinct eigenvalues: the Krylov space of a start vector is invariant after 2 steps;
  // each breakdown continues with a fresh random vector, which brings the next copy.
  const n = 60;
  const { A } = build({ type: 'householder', D: [5, 5, 5, ...new Array(n - 3).fill(1)], seed: 3, reflectors: 2 });
  const few = S.topEigenvalues(S.denseOp(A), { k: 4 });
  assert.ok(few.converged, few.status);
  close(few.eigenvalues, [5, 5, 5, 1], 1e-10, 'three 5s then 1');
  // A multiple of the identity: every vector is an eigenvector.
  const I = new Float64Array(25 * 25);
  for (let i = 0; i < 25; i++) I[i * 25 + i] = 2.5;
  const id = S.topEigenvalues(S.denseOp(I), { k: 3, which: 'both' });
  assert.ok(id.converged, id.status);
  close(id.eigenvalues, [2.5, 2.5, 2.5], 1e-14, 'cI');
  // The zero operator.
  const z = S.topEigenvalues(S.matvecOp(() => new Float64Array(9), 9), { k: 2 });
  assert.ok(z.converged);
  close(z.eigenvalues, [0, 0], 0, 'zero operator');
});

spec('convergence checks follow the observed rate: far fewer checks than products, yet the run stops at the first passing product count', () => {
  const { net, theta } = smallMlp();
  const cases: [string, descent.spectral.SpectralOperator, descent.spectral.TopEigenvaluesOptions][] = [
    ['spiked-n400 top-5', denseCase(fx.dense.find((d) => d.name === 'spiked-n400')!).op, { k: 5, tol: 1e-10 }],
    ['clustered-n300 top-4', denseCase(fx.dense.find((d) => d.name === 'clustered-n300')!).op, { k: 4, tol: 1e-10 }],
    ['MLP Hessian both-3', S.hessianOp(net, theta), { k: 3, which: 'both' }],
    ['spiked-n400 smallest-3', denseCase(fx.dense.find((d) => d.name === 'spiked-n400')!).op, { k: 3, which: 'smallest', tol: 1e-8 }],
  ];
  for (const [name, op, o] of cases) {
    const r = S.topEigenvalues(op, { ...o, vectors: false });
    assert.ok(r.converged, `${name}: ${r.status}`);
    assert.ok(r.checks >= 1 && r.checks <= 0.6 * r.iterations, `${name}: ${r.checks} checks for ${r.iterations} products`);
    // One product fewer: the test (made by finalize on the same basis) must not yet pass, or the
    // schedule checked too late.
    const short = S.topEigenvalues(op, { ...o, vectors: false, maxIter: r.iterations - 1 });
    assert.is(short.status, 'maxIter', name);
    assert.ok(short.convergedCount < r.options.k, `${name}: all ${short.convergedCount} pairs had converged one product earlier`);
  }
});

spec('clustered spectra: a cluster 10, 9.99, 9.98, 9.97 resolved, with convergence reported per pair', () => {
  const c = fx.dense.find((d) => d.name === 'clustered-n300')!;
  const { op } = denseCase(c);
  const r = S.topEigenvalues(op, { k: 4, tol: 1e-10 });
  assert.ok(r.converged, `${r.status} after ${r.iterations} products`);
  close(r.eigenvalues, [10, 9.99, 9.98, 9.97], 1e-11, 'cluster');
  // A budget too small is reported, never hidden: converged false, residuals above tolerance.
  const short = S.topEigenvalues(op, { k: 4, tol: 1e-10, maxIter: 12 });
  assert.is(short.converged, false);
  assert.is(short.status, 'maxIter');
  assert.is(short.iterations, 12);
  assert.ok(short.convergedCount < 4);
  assert.ok(Array.from(short.residuals).some((x) => x > 1e-10 * 10), 'some residual above tol·|λ|');
  assert.ok(short.eigenvalues.every(Number.isFinite), 'the best estimates so far are returned');
  // Without restarts (ncv = n) the same answer.
  const full = S.topEigenvalues(op, { k: 4, tol: 1e-10, ncv: 300 });
  assert.is(full.restarts, 0);
  close(full.eigenvalues, r.eigenvalues, 1e-12, 'with and without thick restarts');
});

spec('powerIteration: the dominant eigenvalue, and an honest non-convergence when ±λ tie', () => {
  const c = fx.dense.find((d) => d.name === 'spiked-n400')!;
  const { op } = denseCase(c);
  const p = S.powerIteration(op, { tol: 1e-10, maxIter: 5000 });
  assert.ok(p.converged, p.status);
  close(p.eigenvalue, c.eigenvalues[c.n - 1], 1e-12, 'λ_max');
  assert.ok(p.residual <= 1e-10 * Math.abs(p.eigenvalue));
  const tie = S.denseOp([[1, 0, 0], [0, -1, 0], [0, 0, 0.5]]);
  const q = S.powerIteration(tie, { maxIter: 50 });
  assert.is(q.converged, false);
  assert.is(q.status, 'maxIter');
  assert.is(q.iterations, 50);
});

spec('conditionNumber: λmax/λmin of a PD matrix; singular and top-k forms of a low-rank PSD one', () => {
  const { A } = build({ type: 'householder', D: Array.from({ length: 80 }, (_, i) => 0.5 + i * 0.25), seed: 9, reflectors: 2 });
  const k = S.conditionNumber(S.denseOp(A), { tol: 1e-10 });
  assert.ok(k.converged);
  close(k.value, (0.5 + 79 * 0.25) / 0.5, 1e-9, 'κ');
  const lr = fx.dense.find((d) => d.name === 'lowrank-n150-r20')!;
  const { op } = denseCase(lr);
  const s = S.conditionNumber(op, { tol: 1e-10 });
  assert.is(s.singular, true);
  assert.is(s.value, Infinity);
  const top = S.conditionNumber(op, { k: 20, tol: 1e-10, ncv: 40 });
  close(top.value, lr.eigenvalues[149] / lr.eigenvalues[130], 1e-8, 'κ over the nonzero top-20');
});

// ---------------------------------------------------------------------------------------------
// Traces and diagonals.

spec('trace: exact; Hutchinson within 4 standard errors for 20 seeds; SE as theory; Hutch++', () => {
  const c = fx.dense.find((d) => d.name === 'spiked-n400')!;
  const { op } = denseCase(c);
  close(S.trace(op, { method: 'exact' }).estimate, c.trace, 1e-12, 'exact');
  let sumDiag2 = 0;
  for (const a of c.diagonal) sumDiag2 += a * a;
  const sdRademacher = Math.sqrt(2 * (c.frobenius2 - sumDiag2)), sdGauss = Math.sqrt(2 * c.frobenius2);
  // 20 seeds × P(|Z| > 4) = 20 × 6.3e-5: the loop fails with probability ≈ 1.3e-3 (normal
  // approximation of a mean of 100 i.i.d. quadratic forms).
  for (let seed = 1; seed <= 20; seed++) {
    for (const distribution of ['rademacher', 'gaussian'] as const) {
      const r = S.trace(op, { probes: 100, seed, distribution });
      assert.is(r.iterations, 100);
      assert.ok(Math.abs(r.estimate - c.trace) <= 4 * r.stdError, `seed ${seed} ${distribution}: ${r.estimate} vs ${c.trace} ± ${r.stdError}`);
      // The sample SD of 100 quadratic forms is within ±40% of the exact one (about 6 of its SEs).
      const ratio = r.stdError * 10 / (distribution === 'rademacher' ? sdRademacher : sdGauss);
      assert.ok(ratio > 0.6 && ratio < 1.4, `seed ${seed} ${distribution}: SE ratio to theory ${ratio}`);
    }
  }
  // Hutch++ on a rank-20 PSD matrix: a sketch of 22 ≥ rank captures it exactly (its basis has
  // rank 20: two sketch columns are dependent and dropped).
  const lr = fx.dense.find((d) => d.name === 'lowrank-n150-r20')!;
  const pp = S.trace(denseCase(lr).op, { method: 'hutchpp', probes: 66, seed: 1 });
  assert.is(pp.sketch!.rank, 20);
  close(pp.estimate, lr.trace, 1e-10, 'Hutch++ exact on low rank');
  assert.ok(pp.stdError < 1e-12 * lr.trace, `deflated part ≈ 0: SE ${pp.stdError}`);
  assert.ok(pp.iterations <= 66);
  // On the spiked matrix: within 4 SE, and its SE below plain Hutchinson's at the same budget.
  const pps = S.trace(op, { method: 'hutchpp', probes: 99, seed: 2 });
  assert.ok(Math.abs(pps.estimate - c.trace) <= 4 * pps.stdError, `Hutch++: ${pps.estimate} vs ${c.trace} ± ${pps.stdError}`);
});

spec('diagonal: exact; Hutchinson per coordinate within 5.5 SE; its sum is the trace estimate', () => {
  const c = fx.dense.find((d) => d.name === 'spiked-n400')!;
  const { op, n } = denseCase(c);
  close(S.diagonal(op, { method: 'exact' }).diagonal, c.diagonal, 1e-13, 'exact diagonal');
  const d = S.diagonal(op, { probes: 100, seed: 4 });
  // 400 coordinates, t with 99 d.f.: P(any |t| > 5.5) < 1e-4.
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(d.diagonal[i] - c.diagonal[i]) <= 5.5 * d.stdError[i], `coordinate ${i}: ${d.diagonal[i]} vs ${c.diagonal[i]} ± ${d.stdError[i]}`);
  }
  let sum = 0;
  for (const x of d.diagonal) sum += x;
  close(sum, S.trace(op, { probes: 100, seed: 4 }).estimate, 1e-12, 'Σ diagonal = trace estimate (same probes)');
});

// ---------------------------------------------------------------------------------------------
// SLQ density.

spec('density (SLQ): W1 to the exact spectrum within the simulated bound; weights and mass', () => {
  for (const ref of fx.slq) {
    const c = fx.dense.find((d) => d.name === ref.name)!;
    const { op } = denseCase(c);
    for (const seed of [1, 2, 3]) {
      const r = S.density(op, { probes: ref.probes, lanczosSteps: ref.steps, seed });
      let wsum = 0;
      for (const w of r.weights) wsum += w;
      close(wsum, 1, 1e-12, 'weights sum to 1');
      assert.is(r.nodes.length, ref.probes * ref.steps);
      assert.is(r.iterations, ref.probes * ref.steps);
      const lo = c.eigenvalues[0], hi = c.eigenvalues[c.n - 1], span = hi - lo;
      assert.ok(r.nodes.every((x) => x >= lo - 1e-9 * span && x <= hi + 1e-9 * span), 'Ritz nodes inside the spectrum');
      // Metric: Wasserstein-1 between the SLQ measure Σ w δ_θ and (1/n) Σ δ_λ. The bound is 1.5 ×
      // the 99.9th percentile of 400 NumPy SLQ runs (spectral.py): a run of descent's SLQ
      // exceeds it with probability < 1e-3 if it is the same estimator.
      const w1 = wasserstein1(r.nodes, r.weights, c.eigenvalues);
      assert.ok(w1 <= 1.5 * ref.w1.q999, `${ref.name} seed ${seed}: W1 = ${w1} > 1.5 × ${ref.w1.q999} (median ${ref.w1.median})`);
      // The broadened density integrates to 1 over its grid (trapezoid rule).
      let mass = 0;
      for (let i = 1; i < r.grid.length; i++) mass += (r.grid[i] - r.grid[i - 1]) * (r.density[i] + r.density[i - 1]) / 2;
      close(mass, 1, 2e-3, 'density mass');
    }
  }
  // An invariant probe space ends early: every probe of cI stops after one step, exactly.
  const I = new Float64Array(16 * 16);
  for (let i = 0; i < 16; i++) I[i * 16 + i] = 3;
  const r = S.density(S.denseOp(I), { probes: 3, lanczosSteps: 10, grid: [2, 3, 4], sigma: 0.5 });
  assert.equal(Array.from(r.steps), [1, 1, 1]);
  close(r.nodes, [3, 3, 3], 1e-15, 'nodes');
  close(r.density, [Math.exp(-2) / (0.5 * Math.sqrt(2 * Math.PI)), 1 / (0.5 * Math.sqrt(2 * Math.PI)), Math.exp(-2) / (0.5 * Math.sqrt(2 * Math.PI))], 1e-13, 'density of δ_3');
});

spec("density (method 'exact'): every eigenvalue vs numpy eigh, weights 1/n, the exact smoothed density (1/n) Σ N(t; λ_i, σ²)", () => {
  const cases: [string, descent.spectral.SpectralOperator, number[]][] = [
    ...fx.dense.map((c): [string, descent.spectral.SpectralOperator, number[]] => [c.name, denseCase(c).op, c.eigenvalues]),
    ...fx.hessians.map((c): [string, descent.spectral.SpectralOperator, number[]] =>
      [c.name, S.hessianOp(landscapeOf(c), c.x), c.eigenvalues]),
  ];
  for (const [name, op, eig] of cases) {
    const lam = [...eig].sort((a, b) => a - b), n = lam.length, scale = maxAbsOf(lam), sigma = 0.03 * scale;
    const grid = Array.from({ length: 41 }, (_, i) => lam[0] - 3 * sigma + (i / 40) * (lam[n - 1] - lam[0] + 6 * sigma));
    const r = S.density(op, { method: 'exact', sigma, grid });
    assert.is(r.method, 'exact');
    assert.is(r.status, 'converged');
    assert.is(r.iterations, n, `${name}: n products`);
    assert.is(r.probes, 0);
    close(r.nodes, lam, 0, `${name} eigenvalues`, 1e-11 * scale); // Jacobi: within a small multiple of n·u·‖A‖ of eigh's
    assert.ok(r.weights.every((w) => w === 1 / n), `${name}: weights 1/n`);
    const gauss = (t: number, l: number) => Math.exp(-((t - l) ** 2) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    const want = grid.map((t) => lam.reduce((acc, l) => acc + gauss(t, l), 0) / n);
    close(r.density, want, 1e-10, `${name} density`, 1e-12 * Math.max(...want));
  }
  // Exact beats SLQ's randomness: a 4 × 4 diagonal operator, σ small, each peak at height 1/(4σ√(2π)).
  const D = new Float64Array(16);
  [1, 2, 4, 8].forEach((v, i) => (D[i * 5] = v));
  const r = S.density(S.denseOp(D), { method: 'exact', grid: [1, 2, 4, 8], sigma: 0.01 });
  close(r.density, [1, 1, 1, 1].map(() => 1 / (4 * 0.01 * Math.sqrt(2 * Math.PI))), 1e-12, 'peaks');
  // Bad options.
  throwsDescent(() => S.density(S.denseOp(D), { method: 'exact', probes: 3 }), 'E_CONFIG', 'spectral.density.probes');
  throwsDescent(() => S.density(S.denseOp(D), { method: 'exact', seed: 3 }), 'E_CONFIG', 'spectral.density.seed');
  throwsDescent(() => S.density(S.denseOp(D), { method: 'eigh' as never }), 'E_CONFIG', 'spectral.density.method');
  const big = S.hessianOp(descent.landscapes.rosenbrock({ dim: S.EXACT_MAX_DIM + 1 }), new Float64Array(S.EXACT_MAX_DIM + 1));
  throwsDescent(() => S.density(big, { method: 'exact' }), 'E_CONFIG', 'spectral.density.method');
});

// ---------------------------------------------------------------------------------------------
// Models: Hessian, Gauss–Newton and Fisher operators, and per-layer blocks.

function smallMlp() {
  const next = rng(77);
  const n = 12, m = 3;
  const X = uniformArray(next, n * m), y = uniformArray(next, n * 2);
  const data = descent.data.from({ X, inputs: m, y });
  const net = descent.models.mlp({ widths: [3, 5, 2], activation: 'tanh', loss: 'mse', data });
  const theta = uniformArray(next, net.dim, -0.8, 0.8);
  return { net, theta };
}

spec("a model's Hessian: top eigenvalues vs a Jacobi eigensolver of its dense hessian(θ)", () => {
  const { net, theta } = smallMlp();
  const H = net.hessian(theta);
  const all = jacobiEigenvalues(H, net.dim);
  const op = S.hessianOp(net, theta);
  for (const [which, k] of [['largest', 3], ['both', 4]] as const) {
    const r = S.topEigenvalues(op, { k, which, tol: 1e-11 });
    assert.ok(r.converged, r.status);
    close(r.eigenvalues, expected(all, k, which), 1e-9, `MLP Hessian ${which}`);
  }
  close(S.trace(op, { method: 'exact' }).estimate, Array.from({ length: net.dim }, (_, i) => H[i * net.dim + i]).reduce((a, b) => a + b), 1e-12, 'trace');
});

spec('Gauss–Newton and Fisher operators: eigenvalues of the dense matrices of their products; PSD', () => {
  const { net, theta } = smallMlp();
  const p = net.dim;
  const ggn = S.ggnOp(net, theta);
  const G = new Float64Array(p * p), F = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0); e[j] = 1;
    const g = net.ggnvp(theta, e), f = net.fisherVp(theta, e, { type: 'empirical' });
    for (let i = 0; i < p; i++) { G[i * p + j] = g[i]; F[i * p + j] = f[i]; }
  }
  close(dense(ggn), G, 1e-14, 'ggnOp products = model.ggnvp');
  const gAll = jacobiEigenvalues(G, p), fAll = jacobiEigenvalues(F, p);
  const rg = S.topEigenvalues(ggn, { k: 3, tol: 1e-11 });
  close(rg.eigenvalues, expected(gAll, 3, 'largest'), 1e-9, 'GGN');
  const rt = S.topEigenvalues(S.fisherOp(net, theta), { k: 3, tol: 1e-11 });
  assert.equal(Array.from(rt.eigenvalues), Array.from(rg.eigenvalues), 'true Fisher = GGN, same bits');
  const re = S.topEigenvalues(S.fisherOp(net, theta, { kind: 'empirical' }), { k: 3, tol: 1e-11 });
  close(re.eigenvalues, expected(fAll, 3, 'largest'), 1e-9, 'empirical Fisher');
  // GGN of mse is PSD with rank ≤ n·k = 24 < p = 32: singular; its top-k condition number is finite.
  assert.ok(p > 24);
  const kappa = S.conditionNumber(ggn, { tol: 1e-10 });
  assert.is(kappa.singular, true);
  const k10 = S.conditionNumber(ggn, { k: 10, tol: 1e-10 });
  close(k10.value, gAll[p - 1] / gAll[p - 10], 1e-8, 'κ over the top 10');
});

spec('per-layer blocks: names and ranges from model.blocks; block eigenvalues, traces, diagonals', () => {
  const { net, theta } = smallMlp();
  const p = net.dim;
  const H = net.hessian(theta);
  const op = S.hessianOp(net, theta);
  const layers = S.blocks(op);
  assert.equal(layers.map((b) => [b.block!.name, b.block!.offset, b.block!.size]), [['layers.0', 0, 20], ['layers.1', 20, 12]]);
  assert.equal(S.blocks(op, { group: 'parameter' }).map((b) => b.block!.name), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
  const res = S.perBlock(op, { topEigenvalues: { k: 2, tol: 1e-11 }, trace: { method: 'exact' }, diagonal: { method: 'exact' } });
  for (const b of res) {
    const sub = new Float64Array(b.size * b.size);
    for (let i = 0; i < b.size; i++) for (let j = 0; j < b.size; j++) sub[i * b.size + j] = H[(b.offset + i) * p + b.offset + j];
    const all = jacobiEigenvalues(sub, b.size);
    close(b.topEigenvalues!.eigenvalues, expected(all, 2, 'largest'), 1e-9, `${b.name} top-2`);
    const diag = Array.from({ length: b.size }, (_, i) => sub[i * b.size + i]);
    close(b.diagonal!.diagonal, diag, 1e-13, `${b.name} diagonal`);
    close(b.trace!.estimate, diag.reduce((a, x) => a + x, 0), 1e-12, `${b.name} trace`);
  }
  // A 1-coordinate block (a bias of one output) has its entry as eigenvalue.
  const one = S.perBlock(S.hessianOp(descent.models.linearRegression({ data: descent.data.from({ X: [[1], [2]], y: [1, 0] }) }), [0.3, 0.1]),
    { group: 'parameter', trace: { method: 'exact' } });
  assert.equal(one.map((b) => b.size), [1, 1]);
  assert.ok(one.every((b) => b.topEigenvalues!.converged));
  // restrict() composes: a block of a block.
  const r = op.restrict(2, 10).restrict(3, 4);
  assert.equal([r.block!.offset, r.block!.size], [5, 4]);
});

// ---------------------------------------------------------------------------------------------
// The JS-function operator (reverse communication) and bad input.

spec('matvecOp runs the same kernels: identical bits to the wasm operator it wraps', () => {
  const c = fx.dense.find((d) => d.name === 'spiked-n400')!;
  const { op } = denseCase(c);
  const js = S.matvecOp((v) => op.apply(v), op.dim);
  const same = (a: Float64Array[], b: Float64Array[], what: string) => assert.is(descent.hashFloat64(...a), descent.hashFloat64(...b), what);
  const a = S.topEigenvalues(op, { k: 3, which: 'both' }), b = S.topEigenvalues(js, { k: 3, which: 'both' });
  same([a.eigenvalues, a.residuals, ...a.eigenvectors], [b.eigenvalues, b.residuals, ...b.eigenvectors], 'Lanczos');
  assert.is(a.iterations, b.iterations);
  same([S.powerIteration(op).eigenvector], [S.powerIteration(js).eigenvector], 'power');
  same([S.trace(op, { method: 'hutchpp', probes: 30 }).samples], [S.trace(js, { method: 'hutchpp', probes: 30 }).samples], 'Hutch++');
  same([S.diagonal(op, { probes: 5 }).diagonal], [S.diagonal(js, { probes: 5 }).diagonal], 'diagonal');
  const da = S.density(op, { probes: 2, lanczosSteps: 15 }), db = S.density(js, { probes: 2, lanczosSteps: 15 });
  same([da.nodes, da.weights, da.density], [db.nodes, db.weights, db.density], 'SLQ');
  // A restricted JS operator: the function sees full-length vectors.
  const blk = js.restrict(10, 50), wblk = op.restrict(10, 50);
  same([S.topEigenvalues(blk, { k: 2 }).eigenvalues], [S.topEigenvalues(wblk, { k: 2 }).eigenvalues], 'restricted');
});

spec('non-finite products are reported (status nonFinite), never silent; no memory is kept', () => {
  const bad = S.matvecOp((v) => v.map((x, i) => (i === 3 ? NaN : 2 * x)), 10);
  const r = S.topEigenvalues(bad, { k: 2 });
  assert.is(r.status, 'nonFinite');
  assert.is(r.converged, false);
  assert.ok(r.eigenvalues.every(Number.isNaN));
  assert.is(S.trace(bad, { probes: 4 }).status, 'nonFinite');
  assert.is(S.powerIteration(bad).status, 'nonFinite');
  // A simplex-KL model outside the simplex has non-finite curvature.
  const kl = descent.models.simplexKL({ target: [0.2, 0.3, 0.5], parameterization: 'expectation' });
  const s = S.topEigenvalues(S.hessianOp(kl, [0.9, 0.9]), { k: 1 });
  assert.is(s.status, 'nonFinite');
  assert.is(descent.__testing.heapUsed(), 0, 'every call freed its memory');
});

spec('bad input: DescentError with the path of the offending value', () => {
  const op = S.denseOp([[2, 1, 0], [1, 2, 0], [0, 0, 1]]);
  throwsDescent(() => S.topEigenvalues(op, { k: 3 }), 'E_CONFIG', 'spectral.topEigenvalues.k');
  throwsDescent(() => S.topEigenvalues(op, { k: 0 }), 'E_CONFIG', 'spectral.topEigenvalues.k');
  throwsDescent(() => S.topEigenvalues(op, { which: 'top' as never }), 'E_CONFIG', 'spectral.topEigenvalues.which');
  throwsDescent(() => S.topEigenvalues(op, { tol: -1 }), 'E_CONFIG', 'spectral.topEigenvalues.tol');
  throwsDescent(() => S.topEigenvalues(op, { ncv: 1 }), 'E_CONFIG', 'spectral.topEigenvalues.ncv');
  throwsDescent(() => S.topEigenvalues(op, { k: 2, maxIter: 1 }), 'E_CONFIG', 'spectral.topEigenvalues.maxIter');
  throwsDescent(() => S.topEigenvalues(op, { kk: 1 } as never), 'E_CONFIG', 'spectral.topEigenvalues.kk');
  throwsDescent(() => S.topEigenvalues({} as never), 'E_CONFIG', 'spectral.topEigenvalues: op');
  throwsDescent(() => S.denseOp([[1, 2], [2.5, 1]]), 'E_INPUT', 'spectral.denseOp: matrix[0][1]');
  throwsDescent(() => S.denseOp([[1, NaN], [NaN, 1]]), 'E_INPUT', 'spectral.denseOp: matrix[0][1]');
  throwsDescent(() => S.denseOp([[1, 2], [2]]), 'E_INPUT', 'spectral.denseOp: matrix[1]');
  throwsDescent(() => S.denseOp(new Float64Array(5)), 'E_INPUT', 'spectral.denseOp: matrix');
  const f = descent.landscapes.rosenbrock({ dim: 4 });
  throwsDescent(() => S.hessianOp(f, [0, 1, NaN, 0]), 'E_INPUT', 'spectral.hessianOp: x[2]');
  throwsDescent(() => S.hessianOp(f, [0, 1]), 'E_INPUT', 'spectral.hessianOp: x');
  throwsDescent(() => S.hessianOp(f, Float64Array.of(0, Infinity, 0, 0)), 'E_INPUT', 'spectral.hessianOp: x[1]');
  throwsDescent(() => S.ggnOp(f as never, [0, 0, 0, 0]), 'E_CONFIG', 'spectral.ggnOp: model');
  const { net, theta } = smallMlp();
  throwsDescent(() => S.fisherOp(net, theta, { kind: 'exact' as never }), 'E_CONFIG', 'spectral.fisherOp.kind');
  throwsDescent(() => S.ggnOp(net, theta.map((x, i) => (i === 7 ? NaN : x))), 'E_INPUT', 'spectral.ggnOp: theta[7]');
  throwsDescent(() => S.blocks(S.denseOp([[1, 0], [0, 1]])), 'E_CONFIG', 'spectral.blocks: op');
  throwsDescent(() => S.trace(op, { probes: 1 }), 'E_CONFIG', 'spectral.trace.probes');
  throwsDescent(() => S.trace(op, { method: 'hutchpp', probes: 5 }), 'E_CONFIG', 'spectral.trace.probes');
  throwsDescent(() => S.density(op, { lanczosSteps: 4 }), 'E_CONFIG', 'spectral.density.lanczosSteps');
  throwsDescent(() => S.density(op, { sigma: 0 }), 'E_CONFIG', 'spectral.density.sigma');
  throwsDescent(() => S.matvecOp(5 as never, 3), 'E_CONFIG', 'spectral.matvecOp: fn');
  throwsDescent(() => S.topEigenvalues(S.matvecOp(() => [1, 2], 3), { k: 1 }), 'E_INPUT', 'spectral.matvecOp: fn(v)');
  throwsDescent(() => op.apply([1, 2]), 'E_INPUT', 'spectral.denseOp.apply: v');
  assert.is(descent.__testing.heapUsed(), 0);
});

spec('determinism: a fixed set of spectral computations hashes the same in every runtime', () => {
  const c = fx.dense.find((d) => d.name === 'spiked-n400')!;
  const { op } = denseCase(c);
  const { net, theta } = smallMlp();
  const H = S.hessianOp(net, theta);
  const e1 = S.topEigenvalues(op, { k: 5, tol: 1e-10 });
  const e2 = S.topEigenvalues(H, { k: 3, which: 'both' });
  const p = S.powerIteration(S.ggnOp(net, theta), { maxIter: 200 });
  const t1 = S.trace(op, { probes: 20, seed: 3 }), t2 = S.trace(H, { method: 'hutchpp', probes: 12, distribution: 'gaussian' });
  const dg = S.diagonal(H, { probes: 7 });
  const de = S.density(op, { probes: 2, lanczosSteps: 30 });
  const h = descent.hashFloat64(e1.eigenvalues, e1.residuals, ...e1.eigenvectors, e2.eigenvalues, ...e2.eigenvectors, p.eigenvector,
    [p.eigenvalue, t1.estimate, t1.stdError, t2.estimate, t2.stdError], dg.diagonal, dg.stdError, de.nodes, de.weights, de.density);
  console.log(`DETERMINISM spectral ${h}`);
  assert.is(h, descent.hashFloat64(e1.eigenvalues, e1.residuals, ...e1.eigenvectors, e2.eigenvalues, ...e2.eigenvectors, p.eigenvector,
    [p.eigenvalue, t1.estimate, t1.stdError, t2.estimate, t2.stdError], dg.diagonal, dg.stdError, de.nodes, de.weights, de.density));
});

spec.run();
