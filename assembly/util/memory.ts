// Pointer helpers shared by every kernel. Kernels never allocate: all buffers are owned by
// bindings/memory.ts and passed in as byte addresses. A vector is (base, stride): element j lives
// at base + j·stride bytes, so the same kernel serves one contiguous point (stride 8), a batch of
// points stored row by row, or particles stored structure-of-arrays (stride 8·P).

/** Address of element `j` of the vector at `base` with byte stride `stride`. */
@inline export function at(base: usize, j: i32, stride: usize): usize {
  return base + <usize>j * stride;
}

/** Load element `j` of a strided f64 vector. */
@inline export function ld(base: usize, j: i32, stride: usize): f64 {
  return load<f64>(base + <usize>j * stride);
}

/** Store `value` as element `j` of a strided f64 vector. */
@inline export function st(base: usize, j: i32, stride: usize, value: f64): void {
  store<f64>(base + <usize>j * stride, value);
}

/** Element `j` of a contiguous f64 array (parameters, scratch). */
@inline export function ldc(base: usize, j: i32): f64 {
  return load<f64>(base + (<usize>j << 3));
}

/** Store element `j` of a contiguous f64 array. */
@inline export function stc(base: usize, j: i32, value: f64): void {
  store<f64>(base + (<usize>j << 3), value);
}

/** First address past the module's static data: the bindings' heap starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Index of the first non-finite double among n at `ptr`, or −1: input validation for typed
 * arrays, two lanes at a time (x − x is 0 for finite x and NaN for ±∞ and NaN).
 */
export function firstNonFinite(ptr: usize, n: i32): i32 {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const v = v128.load(ptr + (<usize>i << 3));
    const z = f64x2.sub(v, v);
    if (!v128.all_true<i64>(f64x2.eq(z, z))) break;
  }
  for (; i < n; i++) {
    const x = load<f64>(ptr + (<usize>i << 3));
    if (!isFinite(x)) return i;
  }
  return -1;
}
