/**
 * `landscapes.fromFunction`: a landscape whose value, gradient and (optionally) Hessian-vector
 * product are JS functions — for an objective descent cannot express (a model from another
 * library, a simulator). The engine calls it through a wasm trampoline (src/expression/
 * trampoline.ts) once per batch — once per block per step in `simulate` — and the batch's points
 * are handed to the callbacks one at a time. Slower than a built-in or an expression (a JS call
 * per point), and deterministic only if the callbacks are; usable in `minimize`, the landscape's
 * own methods, `spectral`, and `simulate` in this thread (workers cannot call this thread's
 * functions: such a run is refused with E_CONFIG). Its JSON holds only `dim`: it cannot be rebuilt
 * by `fromJSON`, a worker or a shard.
 */
import { Landscape } from './landscape.ts';
import { DescentError, invalid } from '../errors.ts';
import { dimension, options } from '../validate.ts';
import { trampolineModule } from '../expression/trampoline.ts';
import { register, type HostFunctions } from '../../bindings/linked.ts';

/** Config of {@link fromFunction}. */
export interface FunctionConfig {
  /** Dimension d ≥ 1. */
  dim: number;
  /** f(x). `x` is a view reused between calls: copy it to keep it. */
  value(x: Float64Array): number;
  /** ∇f(x): write it into `out`, or return it (d numbers). */
  grad(x: Float64Array, out: Float64Array): void | ArrayLike<number>;
  /** ∇²f(x)·v: write it into `out`, or return it. Needed by HVPs, Hessians, spectral tools and curvature-aware optimisers. */
  hvp?(x: Float64Array, v: Float64Array, out: Float64Array): void | ArrayLike<number>;
}

/** What a callback landscape's JSON holds. */
export interface FunctionParams {
  dim: number;
}

/** Call `f` and store its d numbers (written into `out` or returned) at byte address `at` with stride `sc`. */
function scatter(all: Float64Array, at: number, sc: number, d: number, out: Float64Array, returned: unknown): void {
  const r = returned === undefined ? out : (returned as ArrayLike<number>);
  for (let j = 0; j < d; j++) all[(at + j * sc) >>> 3] = Number(r[j]);
}

function gather(all: Float64Array, at: number, sc: number, d: number, into: Float64Array): Float64Array {
  for (let j = 0; j < d; j++) into[j] = all[(at + j * sc) >>> 3]!;
  return into;
}

/**
 * A landscape from JS callbacks. Each is called with Float64Array views of one point; a thrown
 * error ends the call it happened in (and the run) and reaches the caller as it was thrown.
 * @example
 * const f = descent.landscapes.fromFunction({ dim: 2, value: (x) => x[0] ** 2 + x[1] ** 2,
 *   grad: (x, g) => { g[0] = 2 * x[0]; g[1] = 2 * x[1]; } });
 */
export function fromFunction(config: FunctionConfig): Landscape<'fromFunction', FunctionParams> {
  const c = options<FunctionConfig>(config, 'fromFunction', ['dim', 'value', 'grad', 'hvp']);
  if (config === undefined) throw invalid('E_CONFIG', 'fromFunction', 'an object { dim, value, grad, hvp? }', config);
  const dim = dimension(c.dim, 'fromFunction.dim', 1);
  for (const name of ['value', 'grad', 'hvp'] as const) {
    if ((name !== 'hvp' || c[name] !== undefined) && typeof c[name] !== 'function') {
      throw invalid('E_CONFIG', `fromFunction.${name}`, 'a function', c[name]);
    }
  }
  const { value, grad, hvp } = c as FunctionConfig;
  const host = (memory: WebAssembly.Memory): HostFunctions => {
    const x = new Float64Array(dim),
      v = new Float64Array(dim),
      out = new Float64Array(dim);
    return {
      value(_p, d, n, xp, sp, sc, _w, o) {
        const all = new Float64Array(memory.buffer);
        for (let i = 0; i < n; i++) all[(o >>> 3) + i] = Number(value(gather(all, xp + i * sp, sc, d, x)));
      },
      grad(_p, d, n, xp, sp, sc, g, _w, o) {
        const all = new Float64Array(memory.buffer);
        for (let i = 0; i < n; i++) {
          gather(all, xp + i * sp, sc, d, x);
          scatter(all, g + i * sp, sc, d, out, grad(x, out));
          if (o !== 0) all[(o >>> 3) + i] = Number(value(x));
        }
      },
      hvp(_p, d, n, xp, sp, sc, vp, hv) {
        if (!hvp) {
          throw new DescentError('E_CONFIG', 'fromFunction.hvp is needed here (Hessian-vector products): give it in the config', {
            path: 'fromFunction.hvp',
            expected: 'a function (x, v, out)',
            actual: undefined,
          });
        }
        const all = new Float64Array(memory.buffer);
        for (let i = 0; i < n; i++) {
          gather(all, xp + i * sp, sc, d, x);
          gather(all, vp + i * sp, sc, d, v);
          scatter(all, hv + i * sp, sc, d, out, hvp(x, v, out));
        }
      },
    };
  };
  return new Landscape('fromFunction', dim, { dim }, (live) => {
    const link = register(live, '', trampolineModule(), ['value', 'grad', 'hvp'], host);
    return { params: Float64Array.of(link.slot), links: [link] };
  });
}
