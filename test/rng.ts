// The seeded PRNG for test and benchmark inputs (no imports, so benchmarks can use it without uvu).

/**
 * mulberry32: a tiny seeded PRNG for *test inputs* only, independent of the library's
 * generator, so points and directions do not depend on the code under test.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
