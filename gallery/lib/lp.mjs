// A small dense linear program solver in plain JS for the gallery's predictions: the two-phase
// simplex method on a tableau with Bland's rule (no cycling), for
//   minimise cᵀz subject to A z = b, z ≥ 0        (A: m × n row-major, m ≤ a few tens)
// (Dantzig; Bland, "New finite pivoting rules for the simplex method", Math. Oper. Res. 2, 1977.)

const TOL = 1e-11;

/** Pivot the tableau T (rows × cols) on (r, c). */
function pivot(T, rows, cols, r, c) {
  const p = T[r * cols + c];
  for (let j = 0; j < cols; j++) T[r * cols + j] /= p;
  for (let i = 0; i < rows; i++) {
    if (i === r) continue;
    const f = T[i * cols + c];
    if (f === 0) continue;
    for (let j = 0; j < cols; j++) T[i * cols + j] -= f * T[r * cols + j];
  }
}

/** Simplex iterations on objective row `obj`, constraint rows 0 … m − 1, entering columns < `enter`; false if unbounded. */
function iterate(T, rows, cols, obj, basis, enter, m) {
  for (let it = 0; it < 10000; it++) {
    let c = -1;
    for (let j = 0; j < enter; j++)
      if (T[obj * cols + j] < -TOL) {
        c = j;
        break;
      } // Bland: lowest index
    if (c < 0) return true;
    let r = -1,
      best = Infinity;
    for (let i = 0; i < m; i++) {
      const a = T[i * cols + c];
      if (a > TOL) {
        const ratio = T[i * cols + cols - 1] / a;
        if (ratio < best - TOL || (Math.abs(ratio - best) <= TOL && basis[i] < basis[r])) {
          best = ratio;
          r = i;
        }
      }
    }
    if (r < 0) return false;
    pivot(T, rows, cols, r, c);
    basis[r] = c;
  }
  throw new Error('simplex: iteration limit');
}

/** min cᵀz s.t. Az = b, z ≥ 0. Returns { z, value } or throws if infeasible or unbounded. */
export function linprog(c, A, b, m, n) {
  // Columns: n variables, m artificials, right-hand side. Rows: m constraints, phase-2 objective, phase-1 objective.
  const cols = n + m + 1,
    rows = m + 2,
    T = new Float64Array(rows * cols),
    basis = new Array(m);
  for (let i = 0; i < m; i++) {
    const sign = b[i] < 0 ? -1 : 1;
    for (let j = 0; j < n; j++) T[i * cols + j] = sign * A[i * n + j];
    T[i * cols + n + i] = 1;
    T[i * cols + cols - 1] = sign * b[i];
    basis[i] = n + i;
  }
  for (let j = 0; j < n; j++) T[m * cols + j] = c[j];
  for (let i = 0; i < m; i++) for (let j = 0; j < cols; j++) if (j < n || j === cols - 1) T[(m + 1) * cols + j] -= T[i * cols + j];
  // Phase 1 minimises the artificials' sum (its row carries both objectives through the pivots).
  iterate(T, rows, cols, m + 1, basis, n + m, m);
  if (T[(m + 1) * cols + cols - 1] < -1e-9) throw new Error('linprog: infeasible');
  for (let i = 0; i < m; i++) {
    if (basis[i] < n) continue; // an artificial left in the basis at level 0: pivot it out where possible
    const j = Array.from({ length: n }, (_, k) => k).find((k) => Math.abs(T[i * cols + k]) > TOL);
    if (j !== undefined) {
      pivot(T, rows, cols, i, j);
      basis[i] = j;
    }
  }
  // Phase 2 on the real costs, entering only real variables (row m + 1 is now ignored).
  if (!iterate(T, rows - 1, cols, m, basis, n, m)) throw new Error('linprog: unbounded');
  const z = new Float64Array(n);
  for (let i = 0; i < m; i++) if (basis[i] < n) z[basis[i]] = T[i * cols + cols - 1];
  return { z, value: c.reduce((s, ci, j) => s + ci * z[j], 0) };
}
