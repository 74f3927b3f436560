/**
 * Fingerprints of numeric results: FNV-1a 64 over the little-endian bytes of float64 arrays,
 * computed in wasm, NaNs canonicalised (their payloads are not portable). Two results with the
 * same hash are, for all practical purposes, the same bits.
 */
import { run } from '../bindings/engine.ts';
import { invalid } from './errors.ts';

/** The 16-hex-digit FNV-1a 64 hash of the given arrays' float64 values, in order. */
export function hashFloat64(...arrays: ArrayLike<number>[]): string {
  arrays.forEach((a, i) => {
    if (!(a instanceof Float64Array) && !Array.isArray(a))
      throw invalid('E_INPUT', `hashFloat64: arrays[${i}]`, 'a Float64Array or number[]', a);
  });
  return run('hashFloat64', ({ exports, heap }) => {
    let h = exports.fnvOffset();
    for (const a of arrays) {
      const mark = heap.mark();
      const p = heap.pushF64(a, 'hashed array');
      h = exports.fnv1aF64(h, p, a.length);
      heap.release(mark);
    }
    return BigInt.asUintN(64, h).toString(16).padStart(16, '0');
  });
}

/** The 16-hex-digit FNV-1a 64 hash of raw bytes (for known-answer tests and file checksums). */
export function hashBytes(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw invalid('E_INPUT', 'hashBytes: bytes', 'a Uint8Array', bytes);
  return run('hashBytes', ({ exports, heap }) => {
    const p = heap.alloc(bytes.length, 'hashed bytes');
    new Uint8Array(exports.memory.buffer, p, bytes.length).set(bytes);
    return BigInt.asUintN(64, exports.fnv1aBytes(exports.fnvOffset(), p, bytes.length))
      .toString(16)
      .padStart(16, '0');
  });
}
