// FNV-1a, 64-bit (Fowler–Noll–Vo; http://www.isthe.com/chongo/tech/comp/fnv/), over the
// little-endian bytes of a float64 array. Used to fingerprint results: cheap, byte-order fixed,
// and with published known answers. Not cryptographic.
//
// NaN payloads are not portable (the wasm spec lets arithmetic produce any quiet NaN), so every
// NaN is hashed as the canonical quiet NaN 0x7ff8000000000000: equal results hash equally in
// every runtime.

const FNV_OFFSET: u64 = 0xcbf29ce484222325; // 14695981039346656037
const FNV_PRIME: u64 = 0x00000100000001b3; // 1099511628211
const CANONICAL_NAN: u64 = 0x7ff8000000000000;

/** Continue an FNV-1a 64 hash `h` over `n` bytes at `ptr`. Start with `fnvOffset()`. */
export function fnv1aBytes(h: u64, ptr: usize, n: usize): u64 {
  for (let i: usize = 0; i < n; i++) {
    h = (h ^ <u64>load<u8>(ptr + i)) * FNV_PRIME;
  }
  return h;
}

/** Continue an FNV-1a 64 hash `h` over `n` float64 values at `ptr`, NaNs canonicalised. */
export function fnv1aF64(h: u64, ptr: usize, n: i32): u64 {
  for (let i = 0; i < n; i++) {
    const x = load<f64>(ptr + (<usize>i << 3));
    let w = reinterpret<u64>(x);
    if (x != x) w = CANONICAL_NAN;
    for (let k: u64 = 0; k < 64; k += 8) {
      h = (h ^ ((w >> k) & 0xff)) * FNV_PRIME;
    }
  }
  return h;
}

/** The FNV-1a 64 offset basis: the hash of zero bytes. */
export function fnvOffset(): u64 {
  return FNV_OFFSET;
}
