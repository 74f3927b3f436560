// A dense operator's packed matrix stays resident in wasm memory between calls (bindings/resident.ts
// ResidentArena.hold, bindings/spectral.ts uploadOperator): repeated calls, two operators interleaved, calls
// after memory grew, after a trap replaced the instance, under a small memory limit (LRU eviction),
// and dispose(). Oracles: matrices with known spectra (H D H for a Householder reflector H, so the
// eigenvalues are D to rounding), products against a plain-JS matvec, and the same operator run
// with its matrix copied in at every call (a memory limit too small for residency): every result
// must be the same bits either way.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { run } from '../bindings/engine.ts';
import { residentOf } from '../bindings/resident.ts';
import * as kernels from '../bindings/spectral.ts';
import { close, rng, throwsDescent, uniformArray } from './util.ts';

const S = descent.spectral;
const res = suite('spectral: resident dense matrices');
res.before(() => descent.init());

const MiB = 1024 * 1024;
const DEFAULT_LIMIT = 1024 * MiB;

/** A = H D H with H = I − 2uuᵀ (u a random unit vector): symmetric, eigenvalues D (to rounding). */
function reflected(D: number[], seed: number): Float64Array {
  const n = D.length, next = rng(seed);
  const u = uniformArray(next, n);
  let q = 0;
  for (const x of u) q += x * x;
  q = Math.sqrt(q);
  for (let i = 0; i < n; i++) u[i] /= q;
  // (I − 2uuᵀ) D (I − 2uuᵀ) = D − 2u(Du)ᵀ − 2(Du)uᵀ + 4(uᵀDu) uuᵀ
  const Du = u.map((x, i) => D[i] * x);
  let c = 0;
  for (let i = 0; i < n; i++) c += u[i] * Du[i];
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = (i === j ? D[i] : 0) - 2 * u[i] * Du[j] - 2 * Du[i] * u[j] + 4 * c * u[i] * u[j];
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
  return A;
}

function jsMatvec(A: Float64Array, n: number, v: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * v[j]; y[i] = s; }
  return y;
}

const n = 122; // not a multiple of 4: the packed layout's padding is exercised too
const DA = Array.from({ length: n }, (_, i) => 1 + 0.05 * i); // top: 7.05, 7.00, 6.95, …
const DB = Array.from({ length: n }, (_, i) => -3 + 0.02 * i * (i % 3 === 0 ? 2 : 1));
const A = reflected(DA, 1), B = reflected(DB, 2);
const topOf = (D: number[], k: number) => [...D].sort((a, b) => b - a).slice(0, k);
const OPTS = { k: 4, tol: 1e-11 } as const;

/** Everything a call returns that residency could corrupt, as one fingerprint. */
function fingerprint(r: descent.spectral.EigenResult): string {
  return descent.hashFloat64(r.eigenvalues, r.residuals, ...r.eigenvectors, [r.iterations, r.restarts]);
}

const resident = (op: descent.spectral.SpectralOperator) => run('test', (live) => kernels.isResident(live, op.spec().resident!));
const heapInfo = () => run('test', ({ heap, exports }) => ({ resident: heap.resident?.bytes ?? 0, limit: residentOf(heap).limit, used: heap.used, memory: exports.memory.buffer.byteLength }));

/** The same computation with the matrix copied in at every call: a memory limit whose resident quarter is smaller than it. */
function perCallCopy<T>(body: () => T): Promise<T> {
  return (async () => {
    await descent.init({ memoryLimit: 4 * kernels.packedSize(n) * 8 - 1024 });
    try {
      return body();
    } finally {
      await descent.init({ memoryLimit: DEFAULT_LIMIT });
    }
  })();
}

res('repeated calls on one denseOp: resident from creation, the same bits as copying every call, right answers', async () => {
  const op = S.denseOp(A);
  assert.is(resident(op), true, 'denseOp packs in wasm straight into the resident block');
  assert.is(descent.__testing.heapUsed(), 0, 'the full matrix it packed from is not left on the stack');
  const first = S.topEigenvalues(op, OPTS);
  assert.ok(first.converged, first.status);
  close(first.eigenvalues, topOf(DA, 4), 1e-10, 'eigenvalues = D');
  assert.is(resident(op), true, 'resident after the first call');
  assert.is(descent.__testing.heapUsed(), 0, 'the resident copy is not left on the stack');
  const fp = fingerprint(first);
  for (let i = 0; i < 3; i++) assert.is(fingerprint(S.topEigenvalues(op, OPTS)), fp, `call ${i + 2}: same bits`);
  // Other methods on the same resident copy, against plain JS and between repeats.
  const v = uniformArray(rng(5), n);
  close(op.apply(v), jsMatvec(A, n, v), 1e-13, 'A v');
  assert.equal(Array.from(op.apply(v)), Array.from(op.apply(v)), 'A v twice: same bits');
  const t1 = S.trace(op, { probes: 10, seed: 3 }), t2 = S.trace(op, { probes: 10, seed: 3 });
  assert.equal(Array.from(t1.samples), Array.from(t2.samples), 'Hutchinson samples twice');
  // Without residency (copied in at every call) the same bits.
  const copied = await perCallCopy(() => {
    const fresh = S.denseOp(A);
    const r = S.topEigenvalues(fresh, OPTS);
    assert.is(resident(fresh), false, 'too large for the small limit: copied per call');
    return { fp: fingerprint(r), av: fresh.apply(v) };
  });
  assert.is(copied.fp, fp, 'resident and per-call copies give the same bits');
  assert.equal(Array.from(copied.av), Array.from(op.apply(v)), 'A v: the same bits');
  assert.is(fingerprint(S.topEigenvalues(op, OPTS)), fp, 'and again after the limit was restored (re-copied if evicted)');
});

res('two dense operators interleaved: each its own answer, each resident', () => {
  const a = S.denseOp(A), b = S.denseOp(B);
  const v = uniformArray(rng(7), n);
  const Av = jsMatvec(A, n, v), Bv = jsMatvec(B, n, v);
  let fa: string | undefined, fb: string | undefined;
  for (let round = 0; round < 3; round++) {
    const ra = S.topEigenvalues(a, OPTS);
    close(a.apply(v), Av, 1e-13, `round ${round}: A v`);
    const rb = S.topEigenvalues(b, OPTS);
    close(b.apply(v), Bv, 1e-13, `round ${round}: B v`);
    close(ra.eigenvalues, topOf(DA, 4), 1e-10, `round ${round}: eigenvalues of A`);
    close(rb.eigenvalues, topOf(DB, 4), 1e-10, `round ${round}: eigenvalues of B`);
    fa ??= fingerprint(ra);
    fb ??= fingerprint(rb);
    assert.is(fingerprint(ra), fa, `round ${round}: A's bits`);
    assert.is(fingerprint(rb), fb, `round ${round}: B's bits`);
  }
  assert.ok(resident(a) && resident(b), 'both resident');
  // A restriction shares its operator's resident copy: a block of A.
  const blk = a.restrict(10, 50);
  const sub = new Float64Array(50 * 50);
  for (let i = 0; i < 50; i++) for (let j = 0; j < 50; j++) sub[i * 50 + j] = A[(10 + i) * n + 10 + j];
  const rblk = S.topEigenvalues(blk, { k: 2, tol: 1e-11 });
  close(rblk.eigenvalues, S.topEigenvalues(S.denseOp(sub), { k: 2, tol: 1e-11 }).eigenvalues, 1e-10, 'restricted = the dense block');
  S.topEigenvalues(b, OPTS);
  assert.is(fingerprint(S.topEigenvalues(blk, { k: 2, tol: 1e-11 })), fingerprint(rblk), 'restricted, after B ran: same bits');
});

res('calls after wasm memory grew (views detach, addresses do not move) and after a trap replaced the instance', async () => {
  const op = S.denseOp(A);
  const fp = fingerprint(S.topEigenvalues(op, OPTS));
  const before = heapInfo().memory;
  // A call that needs more memory than the instance has: memory grows under the resident copy.
  run('test', ({ heap, exports }) => { heap.alloc(exports.memory.buffer.byteLength, 'test'); });
  assert.ok(heapInfo().memory > before, `memory grew: ${before} → ${heapInfo().memory}`);
  assert.is(fingerprint(S.topEigenvalues(op, OPTS)), fp, 'same bits after memory grew');
  // An operator whose first copy-in grows memory itself, then the first one again.
  const big = S.denseOp(reflected(Array.from({ length: 700 }, (_, i) => i / 100), 3));
  const mem = heapInfo().memory;
  close(S.topEigenvalues(big, { k: 2, tol: 1e-11 }).eigenvalues, [6.99, 6.98], 1e-10, 'n = 700');
  assert.ok(resident(big) && resident(op));
  assert.ok(heapInfo().memory >= mem);
  assert.is(fingerprint(S.topEigenvalues(op, OPTS)), fp, 'same bits with another matrix resident above it');
  // A dense operator first used inside another call that holds stack memory (from a matvecOp
  // function, during its Lanczos run) cannot move the stack: correct all the same.
  const b = S.denseOp(B);
  const wrapped = S.matvecOp((v) => b.apply(v), n);
  close(S.topEigenvalues(wrapped, OPTS).eigenvalues, topOf(DB, 4), 1e-10, 'dense operator used inside a matvecOp');
  assert.is(fingerprint(S.topEigenvalues(wrapped, OPTS)), fingerprint(S.topEigenvalues(b, OPTS)), 'the same bits as the operator itself');
  // A trap replaces the instance and its memory: the next call copies the matrix in again.
  const generation = descent.__testing.generation();
  throwsDescent(() => descent.__testing.trap(), 'E_TRAP');
  await descent.__testing.ready();
  assert.ok(descent.__testing.generation() > generation, 'instance replaced');
  assert.is(resident(op), false, 'the new instance holds nothing');
  assert.is(fingerprint(S.topEigenvalues(op, OPTS)), fp, 'same bits in the new instance');
  assert.is(resident(op), true);
});

res('bounded: resident copies stay within a quarter of the memory limit, least recently used evicted', async () => {
  // 8 MiB limit: 2 MiB for resident copies; each packed 400×400 matrix takes 0.62 MiB, so 3 fit.
  await descent.init({ memoryLimit: 8 * MiB });
  try {
    assert.is(heapInfo().limit, 2 * MiB);
    assert.ok(heapInfo().resident <= 2 * MiB, 'lowering the limit evicted what no longer fits');
    const ops = [0, 1, 2, 3].map((s) => S.denseOp(reflected(Array.from({ length: 400 }, (_, i) => s + i / 100), 10 + s)));
    const fps = ops.map((op, s) => {
      const r = S.topEigenvalues(op, { k: 2, tol: 1e-11 });
      close(r.eigenvalues, [s + 3.99, s + 3.98], 1e-10, `operator ${s}`);
      assert.ok(heapInfo().resident <= 2 * MiB, `after operator ${s}: ${heapInfo().resident} bytes resident`);
      return fingerprint(r);
    });
    assert.equal(ops.map(resident), [false, true, true, true], 'the least recently used one was evicted');
    assert.is(fingerprint(S.topEigenvalues(ops[0], { k: 2, tol: 1e-11 })), fps[0], 'an evicted operator copies itself in again: same bits');
    assert.equal(ops.map(resident), [true, false, true, true], 'now the next least recently used is out');
    assert.is(descent.__testing.heapUsed(), 0);
  } finally {
    await descent.init({ memoryLimit: DEFAULT_LIMIT });
  }
});

res('dispose(): frees the resident copy; any later use is E_CONFIG naming the call; others unaffected', () => {
  const op = S.denseOp(A), other = S.denseOp(B);
  const blk = op.restrict(0, 30);
  const fpOther = fingerprint(S.topEigenvalues(other, OPTS));
  S.topEigenvalues(op, OPTS);
  const held = heapInfo().resident;
  assert.is(op.disposed, false);
  op.dispose();
  assert.is(op.disposed, true);
  assert.is(blk.disposed, true, 'a restriction shares the matrix, so it is disposed too');
  assert.is(heapInfo().resident, held - kernels.packedSize(n) * 8, 'its resident bytes are freed');
  op.dispose(); // again: nothing happens
  throwsDescent(() => S.topEigenvalues(op, OPTS), 'E_CONFIG', 'spectral.topEigenvalues: op');
  throwsDescent(() => S.topEigenvalues(blk), 'E_CONFIG', 'spectral.topEigenvalues: op');
  throwsDescent(() => S.trace(op), 'E_CONFIG', 'spectral.trace: op');
  throwsDescent(() => S.density(op), 'E_CONFIG', 'spectral.density: op');
  throwsDescent(() => S.powerIteration(op), 'E_CONFIG', 'spectral.powerIteration: op');
  throwsDescent(() => S.conditionNumber(op), 'E_CONFIG', 'spectral.conditionNumber: op');
  throwsDescent(() => op.apply(new Float64Array(n)), 'E_CONFIG', 'spectral.denseOp.apply: op');
  throwsDescent(() => op.restrict(0, 3), 'E_CONFIG', 'spectral.denseOp.restrict: op');
  try {
    S.topEigenvalues(op);
  } catch (e) {
    assert.match((e as Error).message, /disposed/);
  }
  assert.is(fingerprint(S.topEigenvalues(other, OPTS)), fpOther, 'another operator is untouched');
  assert.is(descent.__testing.heapUsed(), 0);
});

res('the heap: a block dropped while in use is freed when the outermost scope closes; compaction keeps data', () => {
  run('test', ({ heap }) => {
    const k = {}, d = Float64Array.from({ length: 100 }, (_, i) => i);
    const p = residentOf(heap).hold(k, d)!;
    const held = residentOf(heap).bytes;
    residentOf(heap).drop(k); // pinned: in use in this scope
    assert.is(residentOf(heap).holds(k), false);
    assert.is(residentOf(heap).hold(k, d), undefined, 'not brought back while pinned and dropped');
    heap.allocF64(1000, 'test'); // the stack goes on above it
    assert.equal(Array.from(heap.f64(p, 100)), Array.from(d), 'its memory is untouched until the scope closes');
    assert.is(residentOf(heap).bytes, held);
  });
  const [k1, k2, k3] = [{}, {}, {}];
  const d2 = Float64Array.from({ length: 300 }, (_, i) => -i), d3 = Float64Array.from({ length: 50 }, (_, i) => 0.5 * i);
  const before = run('test', ({ heap }) => residentOf(heap).bytes);
  run('test', ({ heap }) => { residentOf(heap).hold(k1, new Float64Array(200)); residentOf(heap).hold(k2, d2); });
  run('test', ({ heap }) => residentOf(heap).drop(k1)); // a gap below k2
  run('test', ({ heap }) => {
    const p3 = residentOf(heap).hold(k3, d3)!; // fits the gap
    const p2 = residentOf(heap).hold(k2, d2)!;
    assert.ok(p3 < p2, 'first fit in the gap');
    assert.equal(Array.from(heap.f64(p2, 300)), Array.from(d2));
    assert.equal(Array.from(heap.f64(p3, 50)), Array.from(d3));
    residentOf(heap).drop(k2); residentOf(heap).drop(k3);
  });
  assert.is(run('test', ({ heap }) => residentOf(heap).bytes), before, 'all freed');
  assert.is(descent.__testing.heapUsed(), 0);
});

res('denseOp validates and packs in wasm: the packed doubles equal the JS packing bit for bit; bad matrices are named', () => {
  // Orders 1 … 9, around a panel (63–65) and a tile (64, 128) boundary, 130: every padding and
  // both the SIMD pairs and the entry-by-entry edges of assembly/spectral/pack.ts. Lower
  // triangles differ from the upper ones by up to 1e-12·max|a| (accepted; the upper is stored).
  const packed = (op: descent.spectral.SpectralOperator) => run('test', (live) => kernels.packedMatrix(live, op.spec()));
  for (const m of [1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65, 128, 130]) {
    const next = rng(300 + m);
    const M = uniformArray(next, m * m, -3, 3);
    let scale = 0;
    for (const x of M) scale = Math.max(scale, Math.abs(x));
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) M[i * m + j] = M[j * m + i] + (next() - 0.5) * 1.9e-12 * scale;
    const op = S.denseOp(M);
    assert.equal(Array.from(packed(op)), Array.from(kernels.packSymmetric(m, M)), `packed doubles, n = ${m}`);
    const rows = Array.from({ length: m }, (_, i) => Array.from(M.subarray(i * m, (i + 1) * m)));
    assert.equal(Array.from(packed(S.denseOp(rows))), Array.from(kernels.packSymmetric(m, M)), `packed doubles from rows, n = ${m}`);
    const v = uniformArray(next, m);
    const sym = Float64Array.from(M, (x, k) => (Math.floor(k / m) <= k % m ? x : M[(k % m) * m + Math.floor(k / m)]));
    close(op.apply(v), jsMatvec(sym, m, v), 1e-13, `A v, n = ${m}`);
    op.dispose();
    if (m < 2) continue;
    // A non-finite entry anywhere (diagonal block, upper, lower, last row and column): the first in row-major order is named.
    for (const [i, j, x] of [[0, 0, NaN], [m - 1, m - 1, Infinity], [0, m - 1, -Infinity], [m - 1, 0, NaN], [m >> 1, (m >> 1) + 1, NaN]] as const) {
      if (j >= m) continue;
      const bad = M.slice(); bad[i * m + j] = x;
      if (i !== j) bad[j * m + i] = 1; // only one non-finite entry
      throwsDescent(() => S.denseOp(bad), 'E_INPUT', `spectral.denseOp: matrix[${i}][${j}]`);
    }
    // Asymmetry just past the tolerance, in the SIMD part and at the edges: named by the upper entry.
    for (const [i, j] of [[0, 1], [0, m - 1], [m - 2, m - 1], [1, m >> 1]] as const) {
      if (i >= j) continue;
      const bad = M.slice(); bad[j * m + i] = bad[i * m + j] + 3e-12 * scale;
      throwsDescent(() => S.denseOp(bad), 'E_INPUT', `spectral.denseOp: matrix[${i}][${j}]`);
    }
  }
  assert.is(descent.__testing.heapUsed(), 0);
});

res('a dense operator whose only copy was resident survives eviction and a trap with the same bits', async () => {
  const op = S.denseOp(A);
  assert.is(op.spec().matrix!.packed, undefined, 'no JS copy while resident');
  const fp = fingerprint(S.topEigenvalues(op, OPTS));
  throwsDescent(() => descent.__testing.trap(), 'E_TRAP');
  await descent.__testing.ready();
  assert.ok(op.spec().matrix!.packed !== undefined, 'copied out when its instance was discarded');
  assert.is(fingerprint(S.topEigenvalues(op, OPTS)), fp, 'after the trap: same bits');
  const other = S.denseOp(B);
  await perCallCopy(() => assert.ok(other.spec().matrix!.packed !== undefined, 'copied out when evicted by the lower limit'));
  close(other.apply(A.subarray(0, n)), jsMatvec(B, n, A.subarray(0, n)), 1e-13, 'B v after eviction');
});

res.run();
