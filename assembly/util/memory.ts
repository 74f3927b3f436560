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
