// Diagnostic (run with `node bench/run.mjs --diagnostics`): the same gradient workloads as
// bench/gradients.mjs, but calling build/descent.wasm's `landscapeGrad` export directly on a
// private instance with buffers already in wasm memory, so no validation, no copies, no
// allocation: what the kernel alone costs. The gap between these rows and the public-API rows
// is the bindings' overhead.
//
// This uses the internal ABI (bindings/exports.ts, bindings/kinds.ts) and will need updating
// when that changes; the runner's correctness check against the JS twins catches a stale id or
// signature (wrong numbers → exit 1 before timing).
import { readFileSync } from 'node:fs';
import {
  points, rosenbrockGrad, rosenbrockGradBatch, rastriginGrad, rastriginGradBatch,
} from './gradients.mjs';

/** bindings/kinds.ts */
const KIND = { rosenbrock: 1, rastrigin: 2 };

export const name = 'kernels';
export const description = 'raw wasm landscapeGrad (no bindings) vs the same plain-JS twins';

export function workloads(descent) {
  const bytes = readFileSync(new URL('../build/descent.wasm', import.meta.url));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const ex = instance.exports;
  const { a, b } = descent.landscapes.rosenbrock({ dim: 2 }).params;
  const { A } = descent.landscapes.rastrigin({ dim: 2 }).params;

  const specs = [
    { id: 'rosenbrock-d2-single', title: 'raw kernel: Rosenbrock d=2, single point ×1000 calls', kind: 'rosenbrock', dim: 2, evals: 1000, seed: 1, single: true },
    { id: 'rosenbrock-d2-batch', title: 'raw kernel: Rosenbrock d=2, batch n=100 000', kind: 'rosenbrock', dim: 2, evals: 100_000, seed: 2 },
    { id: 'rosenbrock-d1000-single', title: 'raw kernel: Rosenbrock d=1000, single point', kind: 'rosenbrock', dim: 1000, evals: 1, seed: 3, single: true },
    { id: 'rosenbrock-d1000-batch', title: 'raw kernel: Rosenbrock d=1000, batch n=1000', kind: 'rosenbrock', dim: 1000, evals: 1000, seed: 4 },
    { id: 'rastrigin-d2-batch', title: 'raw kernel: Rastrigin d=2, batch n=100 000', kind: 'rastrigin', dim: 2, evals: 100_000, seed: 5 },
    { id: 'rastrigin-d1000-single', title: 'raw kernel: Rastrigin d=1000, single point', kind: 'rastrigin', dim: 1000, evals: 1, seed: 6, single: true },
  ];

  // Lay everything out first and grow memory once, so the views below stay valid.
  let top = (ex.heapBase() + 15) & ~15;
  const take = (doubles) => { const p = top; top += Math.ceil(doubles / 2) * 16; return p; };
  const params = { rosenbrock: take(2), rastrigin: take(1) };
  for (const s of specs) {
    s.x = take(s.evals * s.dim);
    s.g = take(s.evals * s.dim);
  }
  const have = ex.memory.buffer.byteLength;
  if (top > have) ex.memory.grow(Math.ceil((top - have) / 65536));
  const f64 = (ptr, n) => new Float64Array(ex.memory.buffer, ptr, n);
  f64(params.rosenbrock, 2).set([a, b]);
  f64(params.rastrigin, 1).set([A]);

  return specs.map((s) => {
    const { dim: d, evals: n } = s;
    const kind = KIND[s.kind], p = params[s.kind];
    const X = points(n * d, s.seed); // the same inputs as bench/gradients.mjs
    f64(s.x, n * d).set(X);
    const GJ = new Float64Array(n * d);
    const { x, g } = s;
    let run, js;
    if (s.single) {
      const xs = [], gj = [];
      for (let q = 0; q < n; q++) {
        xs.push(X.subarray(q * d, (q + 1) * d));
        gj.push(GJ.subarray(q * d, (q + 1) * d));
      }
      const twin = s.kind === 'rosenbrock' ? (xv, gv) => rosenbrockGrad(xv, gv, a, b) : (xv, gv) => rastriginGrad(xv, gv, A);
      // One export call per point (out = 0: the value is not stored), as the API makes them.
      run = () => { for (let q = 0, o = 0; q < n; q++, o += 8 * d) ex.landscapeGrad(kind, p, d, 1, x + o, 8 * d, 8, g + o, 0, 0); };
      js = () => { for (let q = 0; q < n; q++) twin(xs[q], gj[q]); };
    } else {
      run = () => { ex.landscapeGrad(kind, p, d, n, x, 8 * d, 8, g, 0, 0); };
      js = s.kind === 'rosenbrock'
        ? () => { rosenbrockGradBatch(X, GJ, n, d, a, b); }
        : () => { rastriginGradBatch(X, GJ, A); };
    }
    return {
      id: s.id, title: s.title, dim: d, evalsPerOp: n, mode: s.single ? 'single' : 'batch',
      out: { descent: f64(g, n * d), js: GJ },
      descent: run,
      js,
    };
  });
}
