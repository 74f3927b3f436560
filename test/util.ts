// Helpers shared by the test files (not a test file itself: it has no `.test.ts` suffix).
import * as assert from 'uvu/assert';

export { rng } from './rng.ts';

/** n uniforms in [lo, hi) from `next`. */
export function uniformArray(next: () => number, n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** Max-norm of a vector. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Assert ‖got − expected‖∞ ≤ rtol·‖expected‖∞ + atol (norm-wise relative error), printing the
 * input, both vectors and the tolerance on failure.
 */
export function close(got: ArrayLike<number> | number, expected: ArrayLike<number> | number, rtol: number, what: string, atol = 0): void {
  const g = typeof got === 'number' ? [got] : Array.from(got);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  assert.is(g.length, e.length, `${what}: length`);
  let err = 0;
  for (let i = 0; i < g.length; i++) err = Math.max(err, Math.abs(g[i] - e[i]));
  const tol = rtol * maxAbs(e) + atol;
  if (!(err <= tol)) {
    assert.unreachable(`${what}: ‖got − expected‖∞ = ${err.toExponential(3)} > tol ${tol.toExponential(3)}\n  got      ${JSON.stringify(g)}\n  expected ${JSON.stringify(e)}`);
  }
}

/** Assert `fn` throws a DescentError with this code and (if given) path. */
export function throwsDescent(fn: () => unknown, code: string, path?: string | RegExp): void {
  try {
    fn();
  } catch (error) {
    const e = error as { name?: string; code?: string; path?: string; message?: string };
    assert.is(e.name, 'DescentError', `expected a DescentError, got ${String(error)}`);
    assert.is(e.code, code, `code of: ${e.message}`);
    if (typeof path === 'string') assert.is(e.path, path, `path of: ${e.message}`);
    else if (path) assert.match(e.path ?? '', path, `path of: ${e.message}`);
    return;
  }
  assert.unreachable(`expected a DescentError ${code}${path ? ' at ' + path : ''}, but nothing was thrown`);
}

/** As {@link throwsDescent}, for a promise (an async function's errors are rejections). */
export async function rejectsDescent(p: Promise<unknown>, code: string, path?: string | RegExp): Promise<void> {
  let error: unknown, threw = false;
  try {
    await p;
  } catch (e) {
    error = e;
    threw = true;
  }
  throwsDescent(() => { if (threw) throw error; }, code, path);
}

/**
 * Mean hitting times τ(h) of a discretely monitored diffusion at step sizes hs (each h/4 of the
 * previous), whose overshoot is ≈ c√h: assert that the error shrinks between successive h (gap
 * beyond z standard errors) and that the Richardson extrapolation 2τ(h/4) − τ(h), which cancels
 * the √h term, is within z standard errors of the continuous-time value u (default z = 3.29: 99.9%).
 */
export function assertRichardson(hs: number[], est: { mean: number; standardError: number }[], u: number, z = 3.29): void {
  for (let i = 0; i + 1 < hs.length; i++) {
    const gap = est[i].mean - est[i + 1].mean, se = Math.hypot(est[i].standardError, est[i + 1].standardError);
    assert.ok(gap > z * se, `error does not shrink from h = ${hs[i]} to ${hs[i + 1]}: ${est[i].mean} → ${est[i + 1].mean} (se ${se})`);
    const extrapolated = 2 * est[i + 1].mean - est[i].mean, seX = Math.hypot(2 * est[i + 1].standardError, est[i].standardError);
    assert.ok(Math.abs(extrapolated - u) <= z * seX, `Richardson ${extrapolated} vs ${u} (±${(z * seX).toFixed(4)})`);
  }
}
