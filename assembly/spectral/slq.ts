// Spectral density by stochastic Lanczos quadrature (Golub & Meurant, Matrices, Moments and
// Quadrature with Applications, 2010, §11.6 / Ch. 7; Ubaru, Chen & Saad, "Fast estimation of
// tr(f(A)) via stochastic Lanczos quadrature", SIAM J. Matrix Anal. Appl. 38, 2017;
// Ghorbani, Krishnan & Xiao, "An investigation into neural net optimization via Hessian
// eigenvalue density", ICML 2019, §2).
//
// For each of N probes v = z/√n (z Rademacher), m Lanczos steps with full reorthogonalisation
// (vec.ts, CGS2) give the Jacobi matrix T (α_0…α_{m−1}, β_1…β_{m−1}); its eigenvalues θ_k and
// the squared first components τ_k = (e_0ᵀ u_k)² of its unit eigenvectors are the nodes and
// weights of the m-point Gauss quadrature of the measure μ_v = Σ_i (q_iᵀv)² δ_{λ_i}, whose
// expectation over v is the spectral measure (1/n) Σ_i δ_{λ_i}. The estimate of the spectral
// measure is (1/N) Σ_probes Σ_k τ_k δ_{θ_k} (weights sum to 1); the density is its
// convolution with a Gaussian of width σ (spectralDensity). Gauss quadrature is exact for
// polynomials of degree ≤ 2m − 1, so every moment up to that degree is unbiased.
// A breakdown (β ≤ 2⁻⁴³·‖T‖: the Krylov space of v is invariant) ends that probe early with the
// quadrature exact for μ_v; its step count is reported.

import {
  PHASE, N, K0, K1, MATVECS, STATUS, COMMON_SLOTS, DONE, OK, NON_FINITE, EIGEN_FAIL,
  gf, gi, gp, sf, request, answered, finish, ld, sd, vec,
} from './state';
import { lanczosOrthogonalize, normOut, copy, scale, zero } from './vec';
import { tql2 } from './eigen';
import { fillProbe, RADEMACHER, PURPOSE_SLQ } from './probes';

// Slots. MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const S_PROBES = COMMON_SLOTS + 0;
export const S_STEPS = COMMON_SLOTS + 1;    // m: Lanczos steps per probe (≤ n)
export const S_V = COMMON_SLOTS + 2;        // basis ((m + 1) × n)
export const S_W = COMMON_SLOTS + 3;        // product (n)
export const S_WORK = COMMON_SLOTS + 4;     // α m | β m | row m | coeff 2(m + 1)
export const S_J = COMMON_SLOTS + 5;        // probe index
export const S_I = COMMON_SLOTS + 6;        // step within the probe
export const S_NODES = COMMON_SLOTS + 7;    // out: probes × m nodes (unused entries 0)
export const S_WEIGHTS = COMMON_SLOTS + 8;  // out: probes × m weights, already divided by N (unused 0)
export const S_COUNTS = COMMON_SLOTS + 9;   // out: steps done per probe (probes)
export const S_NORM = COMMON_SLOTS + 10;    // running ‖T‖ estimate of the current probe
export const S_SLOTS = COMMON_SLOTS + 11;

const BREAK: f64 = reinterpret<f64>(0x3D40000000000000); // 2⁻⁴³

/** Doubles of work space for m steps. */
export function slqWorkSize(m: i32): i32 { return 3 * m + 2 * (m + 1); }

function startProbe(st: usize, j: i32): i32 {
  const n = gi(st, N), V = gp(st, S_V);
  sf(st, S_J, <f64>j);
  sf(st, S_I, 0.0);
  sf(st, S_NORM, 0.0);
  if (j >= gi(st, S_PROBES)) return finish(st, OK);
  fillProbe(RADEMACHER, <u32>gi(st, K0), <u32>gi(st, K1), PURPOSE_SLQ, <u32>j, n, 1.0 / Math.sqrt(<f64>n), V);
  sf(st, PHASE, 1.0);
  return request(st, V, gp(st, S_W));
}

/** Gauss nodes and weights of probe j from its `steps` × `steps` Jacobi matrix. */
function closeProbe(st: usize, j: i32, steps: i32): bool {
  const m = gi(st, S_STEPS), work = gp(st, S_WORK);
  const alpha = work, beta = work + (<usize>m << 3), row = work + (<usize>(2 * m) << 3);
  // tql2 wants e[i] coupling i−1 and i: e[0] = 0, e[i] = β_i.
  const e = gp(st, S_WORK) + (<usize>(3 * m) << 3); // reuse coeff scratch (≥ m doubles)
  sd(e, 0, 0.0);
  for (let i = 1; i < steps; i++) sd(e, i, ld(beta, i));
  zero(row, steps);
  sd(row, 0, 1.0);
  const fail = tql2(steps, alpha, e, row, 1);
  const nodes = gp(st, S_NODES) + ((<usize>j * <usize>m) << 3);
  const weights = gp(st, S_WEIGHTS) + ((<usize>j * <usize>m) << 3);
  const inv = 1.0 / <f64>gi(st, S_PROBES);
  for (let k = 0; k < m; k++) {
    sd(nodes, k, k < steps ? ld(alpha, k) : 0.0);
    sd(weights, k, k < steps ? ld(row, k) * ld(row, k) * inv : 0.0);
  }
  sd(gp(st, S_COUNTS), j, <f64>steps);
  return fail == 0;
}

export function slqStep(st: usize): i32 {
  const phase = gi(st, PHASE);
  if (phase == DONE) return 0;
  if (phase == 0) {
    sf(st, MATVECS, 0.0); sf(st, STATUS, <f64>OK);
    return startProbe(st, 0);
  }
  answered(st);
  const n = gi(st, N), m = gi(st, S_STEPS), V = gp(st, S_V), W = gp(st, S_W), work = gp(st, S_WORK);
  const j = gi(st, S_J), i = gi(st, S_I);
  const alpha = work, beta = work + (<usize>m << 3), coeff = work + (<usize>(3 * m) << 3);
  const a = lanczosOrthogonalize(V, i, n, W, i > 0 ? ld(beta, i) : 0.0, coeff);
  const wn = normOut;
  if (!isFinite(a) || !isFinite(wn)) return finish(st, NON_FINITE);
  sd(alpha, i, a);
  const normEst = Math.max(gf(st, S_NORM), Math.abs(a) + wn + (i > 0 ? ld(beta, i) : 0.0));
  sf(st, S_NORM, normEst);
  const steps = i + 1;
  if (steps >= m || steps >= n || wn <= BREAK * normEst) {
    if (!closeProbe(st, j, steps)) return finish(st, EIGEN_FAIL);
    return startProbe(st, j + 1);
  }
  sd(beta, steps, wn);
  const next = vec(V, steps, n);
  copy(next, W, n);
  scale(1.0 / wn, next, n);
  sf(st, S_I, <f64>steps);
  return request(st, next, W);
}

/**
 * Gaussian-broadened density on a grid: out_t = Σ_k w_k φ_σ(t − θ_k), φ_σ the N(0, σ²) density,
 * for `count` nodes θ and weights w and `g` grid points t (AssemblyScript's own exp).
 */
export function spectralDensity(nodes: usize, weights: usize, count: i32, sigma: f64, grid: usize, g: i32, out: usize): void {
  const c = 1.0 / (sigma * 2.5066282746310002); // 1/(σ√(2π))
  const h = 0.5 / (sigma * sigma);
  for (let t = 0; t < g; t++) {
    const x = ld(grid, t);
    let s = 0.0;
    for (let k = 0; k < count; k++) {
      const w = ld(weights, k);
      if (w == 0.0) continue;
      const u = x - ld(nodes, k);
      s += w * Math.exp(-h * u * u);
    }
    sd(out, t, c * s);
  }
}
