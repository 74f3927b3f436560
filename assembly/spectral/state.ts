// Reverse communication (the protocol of ARPACK's dsaupd, Lehoucq, Sorensen & Yang, ARPACK Users'
// Guide, SIAM 1998, §2.3): every spectral algorithm is a state machine over a block of f64 slots
// in wasm memory. Calling its step function advances it until it needs a product y = A x — it
// then returns 1 with the addresses of x and y in slots REQ_X and REQ_Y — or until it is done
// (returns 0). spectralRun (run.ts) answers the requests in wasm with applyOp, so a whole run is
// one wasm call; for a user's JS function the bindings answer them from JS and call the step
// function again. Both paths run the same code, so they give the same bits for the same products.
//
// Slots 0–7 are common; each algorithm defines its own from 8 on. MUST MATCH bindings/spectral.ts
// (test/layout.test.ts).

export const PHASE = 0;    // 0 = not started; algorithm-specific; DONE when finished
export const REQ_X = 1;    // address of x of the pending request (n doubles)
export const REQ_Y = 2;    // address where A x goes (n doubles)
export const N = 3;        // operator dimension
export const K0 = 4;       // seed, low 32 bits
export const K1 = 5;       // seed, high bits
export const MATVECS = 6;  // products answered so far
export const STATUS = 7;   // see below
export const COMMON_SLOTS = 8;

export const DONE = 99;

// STATUS values. MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const OK = 0;          // finished and (for iterative methods) converged
export const MAX_ITER = 1;    // stopped at the product budget before converging
export const NON_FINITE = 2;  // a product was not finite (NaN or ±∞)
export const EIGEN_FAIL = 3;  // the small eigensolver did not converge (only on non-finite input)

@inline export function gf(st: usize, i: i32): f64 { return load<f64>(st + (<usize>i << 3)); }
@inline export function gi(st: usize, i: i32): i32 { return <i32>load<f64>(st + (<usize>i << 3)); }
@inline export function gp(st: usize, i: i32): usize { return <usize>load<f64>(st + (<usize>i << 3)); }
@inline export function sf(st: usize, i: i32, v: f64): void { store<f64>(st + (<usize>i << 3), v); }

/** Ask for y = A x: record the addresses and return 1 (the step functions' "need a product"). */
@inline export function request(st: usize, x: usize, y: usize): i32 {
  sf(st, REQ_X, <f64>x);
  sf(st, REQ_Y, <f64>y);
  return 1;
}

/** Count an answered request. */
@inline export function answered(st: usize): void {
  sf(st, MATVECS, gf(st, MATVECS) + 1.0);
}

/** Mark the state finished with `status`; returns 0 (the step functions' "done"). */
@inline export function finish(st: usize, status: i32): i32 {
  sf(st, STATUS, <f64>status);
  sf(st, PHASE, <f64>DONE);
  return 0;
}

/** Element i of a contiguous f64 array. */
@inline export function ld(a: usize, i: i32): f64 { return load<f64>(a + (<usize>i << 3)); }
@inline export function sd(a: usize, i: i32, v: f64): void { store<f64>(a + (<usize>i << 3), v); }
/** Address of vector j of a basis of n-vectors. */
@inline export function vec(basis: usize, j: i32, n: i32): usize { return basis + ((<usize>j * <usize>n) << 3); }
