// Fuzzing the expression language (fast-check): every malformed input is a DescentError E_CONFIG
// with a position inside the string — never another exception, a trap or a hang — and every
// well-formed expression of the grammar compiles and evaluates to a number (NaN and ±Infinity
// are data), its gradient and HVP finite wherever central differences of its value are.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as descent from '../src/index.ts';

const L = descent.landscapes;
const fuzz = suite('expression fuzz');
fuzz.before(() => descent.init());

const TOKENS = ['x', 'y', 'x[0]', 'x[1]', 'd', 'pi', 'a', '1', '2.5', '1e-3', '+', '-', '*', '/', '^', '(', ')', '[', ']', ',',
  'sin', 'exp', 'log', 'sqrt', 'min', 'max', 'sum', 'prod', 'i', ' ', 'erf', '#', '.', 'q'];

fuzz('random token soup: a landscape, or E_CONFIG at a position inside the string', () => {
  let errors = 0,
    built = 0;
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { minLength: 0, maxLength: 14 }), (tokens) => {
      const expr = tokens.join('');
      try {
        const f = L.expression({ expr, dim: 2, params: { a: 0.5 } });
        built++;
        assert.type(f.value([0.3, -0.2]), 'number');
      } catch (error) {
        const e = error as descent.DescentError;
        assert.is(e.name, 'DescentError', `${JSON.stringify(expr)}: ${String(error)}`);
        assert.is(e.code, 'E_CONFIG', `${JSON.stringify(expr)}: ${e.message}`);
        if (e.path === 'expression.expr') {
          assert.ok(Number.isInteger(e.position) && e.position! >= 0 && e.position! <= expr.length, `${JSON.stringify(expr)}: position ${e.position}`);
        }
        errors++;
      }
    }),
    { numRuns: 1500, seed: 4242 },
  );
  assert.ok(errors > 100 && built > 20, `both outcomes exercised (${errors} errors, ${built} built)`);
});

// A generator of well-formed expressions over x, y.
const { expr: wellFormed } = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '0.5', '2', 'pi'),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('sin', 'cos', 'exp', 'log', 'sqrt', 'tanh', 'atan', 'abs', 'erf', 'log1p', 'expm1', 'sinh'), tie('expr'))
      .map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('expr'), fc.constantFrom('2', '3', '0.5', '-1')).map(([a, p]) => `(${a})^${p}`),
    fc.tuple(fc.constantFrom('min', 'max'), tie('expr'), tie('expr')).map(([f, a, b]) => `${f}(${a}, ${b})`),
  ),
}));

// Points off 0 and away from subnormals, where x/x and the like lose their derivative to rounding.
const coordinate = fc.integer({ min: -2000, max: 2000 }).map((k) => k / 1000 + 1 / 7000);

fuzz('well-formed expressions compile and agree with central differences where smooth', () => {
  fc.assert(
    fc.property(wellFormed, coordinate, coordinate, (expr, px, py) => {
      const f = L.expression({ expr, dim: 2 });
      const x = [px, py];
      const v = f.value(x);
      const g = f.grad(x);
      assert.type(v, 'number');
      if (!Number.isFinite(v)) return; // a removable singularity (x/x at 0) or a pole: no derivative to compare
      const h = 1e-5;
      for (let j = 0; j < 2; j++) {
        const a = [...x], b = [...x], a2 = [...x], b2 = [...x];
        a[j] += h;
        b[j] -= h;
        a2[j] += 2 * h;
        b2[j] -= 2 * h;
        const fd = (f.value(a) - f.value(b)) / (2 * h);
        const fd2 = (f.value(a2) - f.value(b2)) / (4 * h);
        const forward = (f.value(a) - v) / h,
          backward = (v - f.value(b)) / h;
        // Only where the function is smooth and tame at this scale (the two stencils agree): kinks
        // of abs/min/max and poles are skipped.
        const scale = Math.max(1, Math.abs(fd), Math.abs(v));
        const kink = Math.abs(forward - backward) > 1e-3 * scale;
        if (kink || !(Math.abs(forward - backward) >= 0) || !Number.isFinite(fd) || !Number.isFinite(fd2) || Math.abs(fd - fd2) > 1e-5 * scale || scale > 1e6) continue;
        assert.ok(Math.abs(g[j] - fd) <= 1e-5 * scale, `${expr} at ${JSON.stringify(x)}: ∂${j} = ${g[j]}, differences ${fd}`);
      }
    }),
    { numRuns: 300, seed: 777 },
  );
});

fuzz.run();
