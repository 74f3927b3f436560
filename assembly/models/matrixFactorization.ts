// Matrix factorisation M̂ = U Vᵀ (U a × r, V b × r) or, symmetric, M̂ = U Uᵀ, fitted to one
// observation per example: ℓ_i = (⟨A_i, M̂⟩ − y_i)², r_i = ⟨A_i, M̂⟩ − y_i, δ = 2r_i.
//   full observation  A_i = e_ρ e_κᵀ (entry ρ = ⌊i/b⌋, κ = i mod b): only rows U_ρ, V_κ enter
//   sensing           A_i = row i of X (a·b, row-major)
// Asymmetric:  ∂ℓ/∂U = δ A V,  ∂ℓ/∂V = δ Aᵀ U
//   along (dU, dV): R{f} = ⟨AV, dU⟩ + ⟨AᵀU, dV⟩,
//   (Hv)_U = 2R{f} AV + δ A dV,  (Hv)_V = 2R{f} AᵀU + δ Aᵀ dU     (Gauss–Newton: δ-terms dropped)
// Symmetric (S = A + Aᵀ):  ∂ℓ/∂U = δ S U,  R{f} = ⟨SU, dU⟩,  (Hv)_U = 2R{f} SU + δ S dU
// Parameters from SPEC: a | b | r | symmetric | sensing.
// Scratch (sensing): AV or SU (a·r), AᵀU (b·r), A dV or S dU (a·r), Aᵀ dU (b·r).

import { SPEC, ldi } from './layout';
import { dot, axpy, zero } from './vec';

const ROWS = SPEC, COLS = SPEC + 1, RANK = SPEC + 2, SYM = SPEC + 3, SENSING = SPEC + 4;

@inline function row(base: usize, i: i32, r: i32): usize { return base + (<usize>(i * r) << 3); }

/** out (a × r) = A X (X: b × r), A a × b row-major. */
function mulA(A: usize, a: i32, b: i32, X: usize, r: i32, out: usize): void {
  zero(out, a * r);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const aij = load<f64>(A + (<usize>(i * b + j) << 3));
      if (aij != 0.0) axpy(aij, row(X, j, r), row(out, i, r), r);
    }
  }
}

/** out (b × r) = Aᵀ X (X: a × r). */
function mulAt(A: usize, a: i32, b: i32, X: usize, r: i32, out: usize): void {
  zero(out, b * r);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const aij = load<f64>(A + (<usize>(i * b + j) << 3));
      if (aij != 0.0) axpy(aij, row(X, i, r), row(out, j, r), r);
    }
  }
}

/** out (a × r) = (A + Aᵀ) X, A square a × a. */
function mulS(A: usize, a: i32, X: usize, r: i32, out: usize): void {
  zero(out, a * r);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < a; j++) {
      const s = load<f64>(A + (<usize>(i * a + j) << 3)) + load<f64>(A + (<usize>(j * a + i) << 3));
      if (s != 0.0) axpy(s, row(X, j, r), row(out, i, r), r);
    }
  }
}

@final export class MatrixFactorization {
  @inline prepare(p: usize, th: usize, w: usize): void {}

  @inline loss(p: usize, th: usize, i: i32, x: usize, y: usize, w: usize): f64 {
    const r = this.residual(p, th, i, x, y, w);
    return r * r;
  }

  /** ⟨A_i, M̂⟩ − y_i; for sensing, leaves AV (or SU) and AᵀU in scratch. */
  @inline residual(p: usize, th: usize, i: i32, x: usize, y: usize, w: usize): f64 {
    const a = ldi(p, ROWS), b = ldi(p, COLS), r = ldi(p, RANK), sym = ldi(p, SYM) != 0;
    const U = th, V = sym ? th : th + (<usize>(a * r) << 3);
    if (ldi(p, SENSING) == 0) {
      const rho = i / b, kappa = i % b;
      return dot(row(U, rho, r), row(V, kappa, r), r) - load<f64>(y);
    }
    if (sym) {
      mulS(x, a, U, r, w);
      return 0.5 * dot(w, U, a * r) - load<f64>(y);
    }
    mulA(x, a, b, V, r, w);
    mulAt(x, a, b, U, r, w + (<usize>(a * r) << 3));
    return dot(w, U, a * r) - load<f64>(y);
  }

  @inline grad(p: usize, th: usize, i: i32, x: usize, y: usize, c: f64, g: usize, w: usize): f64 {
    const a = ldi(p, ROWS), b = ldi(p, COLS), r = ldi(p, RANK), sym = ldi(p, SYM) != 0;
    const res = this.residual(p, th, i, x, y, w);
    const d = 2.0 * c * res;
    const U = th, V = sym ? th : th + (<usize>(a * r) << 3);
    const gU = g, gV = sym ? g : g + (<usize>(a * r) << 3);
    if (ldi(p, SENSING) == 0) {
      const rho = i / b, kappa = i % b;
      axpy(d, row(V, kappa, r), row(gU, rho, r), r);
      axpy(d, row(U, rho, r), row(gV, kappa, r), r);
    } else if (sym) {
      axpy(d, w, gU, a * r);
    } else {
      axpy(d, w, gU, a * r);
      axpy(d, w + (<usize>(a * r) << 3), gV, b * r);
    }
    return res * res;
  }

  @inline hvp(p: usize, th: usize, v: usize, i: i32, x: usize, y: usize, c: f64, hv: usize, w: usize): void {
    this.products(p, th, v, i, x, y, c, hv, w, true);
  }

  @inline ggnvp(p: usize, th: usize, v: usize, i: i32, x: usize, y: usize, c: f64, out: usize, w: usize): void {
    this.products(p, th, v, i, x, y, c, out, w, false);
  }

  @inline products(p: usize, th: usize, v: usize, i: i32, x: usize, y: usize, c: f64, out: usize, w: usize, full: bool): void {
    const a = ldi(p, ROWS), b = ldi(p, COLS), r = ldi(p, RANK), sym = ldi(p, SYM) != 0;
    const res = this.residual(p, th, i, x, y, w);
    const U = th, V = sym ? th : th + (<usize>(a * r) << 3);
    const dU = v, dV = sym ? v : v + (<usize>(a * r) << 3);
    const oU = out, oV = sym ? out : out + (<usize>(a * r) << 3);
    const d = full ? 2.0 * c * res : 0.0;
    if (ldi(p, SENSING) == 0) {
      const rho = i / b, kappa = i % b;
      const rf = dot(row(dU, rho, r), row(V, kappa, r), r) + dot(row(U, rho, r), row(dV, kappa, r), r);
      const e = 2.0 * c * rf;
      axpy(e, row(V, kappa, r), row(oU, rho, r), r);
      axpy(e, row(U, rho, r), row(oV, kappa, r), r);
      if (full) {
        axpy(d, row(dV, kappa, r), row(oU, rho, r), r);
        axpy(d, row(dU, rho, r), row(oV, kappa, r), r);
      }
      return;
    }
    const ar = <usize>(a * r) << 3, br = <usize>(b * r) << 3;
    if (sym) {
      const SU = w, SdU = w + ar;
      const e = 2.0 * c * dot(SU, dU, a * r);
      axpy(e, SU, oU, a * r);
      if (full) {
        mulS(x, a, dU, r, SdU);
        axpy(d, SdU, oU, a * r);
      }
      return;
    }
    const AV = w, AtU = w + ar, AdV = w + ar + br, AtdU = w + 2 * ar + br;
    const e = 2.0 * c * (dot(AV, dU, a * r) + dot(AtU, dV, b * r));
    axpy(e, AV, oU, a * r);
    axpy(e, AtU, oV, b * r);
    if (full) {
      mulA(x, a, b, dV, r, AdV);
      mulAt(x, a, b, dU, r, AtdU);
      axpy(d, AdV, oU, a * r);
      axpy(d, AtdU, oV, b * r);
    }
  }
}
