// Orthonormalisation by modified Gram–Schmidt applied twice ("twice is enough": Giraud, Langou
// & Rozložník 2005, Theorem 2 — two passes give orthogonality to O(ε) for any numerically
// non-singular input). Applied to a matrix of i.i.d. standard normals, the Q with diag(R) > 0 is
// Haar-distributed on O(d) (Stewart 1980; Mezzadri 2007, §5): Gram–Schmidt's r_kk are norms, so
// positive by construction — no sign fix needed.

import { ldc, stc } from '../util/memory';

/**
 * Orthonormalise, in place, the `d` columns of the d×d matrix at `q` stored column-major
 * (column k at q + 8·d·k). Returns the index of the first column that became numerically
 * dependent (norm below 1e-300 after projection), or −1 if all are independent.
 */
export function orthonormalizeColumns(d: i32, q: usize): i32 {
  const colBytes = <usize>d << 3;
  for (let k = 0; k < d; k++) {
    const ck = q + <usize>k * colBytes;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        const cj = q + <usize>j * colBytes;
        let dot = 0.0;
        for (let i = 0; i < d; i++) dot += ldc(cj, i) * ldc(ck, i);
        for (let i = 0; i < d; i++) stc(ck, i, ldc(ck, i) - dot * ldc(cj, i));
      }
    }
    let nrm2 = 0.0;
    for (let i = 0; i < d; i++) nrm2 += ldc(ck, i) * ldc(ck, i);
    const nrm = Math.sqrt(nrm2);
    if (!(nrm > 1e-300)) return k;
    const inv = 1.0 / nrm;
    for (let i = 0; i < d; i++) stc(ck, i, ldc(ck, i) * inv);
  }
  return -1;
}
