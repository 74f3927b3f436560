// The one owner of wasm linear memory. Kernels never allocate; every buffer they touch is carved
// here from the region above the module's static data. Allocation is a stack: `mark()` and
// `release(mark)` bracket an operation, so every call frees exactly what it took, in one place.
// Views (`f64`) alias memory and die when it grows; `copyOutF64` returns an independent copy.

import { DescentError } from '../src/errors.ts';

const PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
const WASM32_MAX = 4 * 1024 * 1024 * 1024;

/** Stack allocator over a WebAssembly.Memory. */
export class Heap {
  readonly #memory: WebAssembly.Memory;
  /** One view of all of memory, re-taken only when this heap grows it (nothing else does). */
  #all: Float64Array;
  readonly #base: number;
  #top: number;
  /** Largest total heap size, in bytes, this heap may grow memory to (init({ memoryLimit }) sets it). */
  limit: number;

  constructor(memory: WebAssembly.Memory, base: number, limit: number) {
    this.#memory = memory;
    this.#all = new Float64Array(memory.buffer);
    this.#base = align(base);
    this.#top = this.#base;
    this.limit = limit;
  }

  /** Current allocation mark; pass it to `release` to free everything allocated since. */
  mark(): number {
    return this.#top;
  }

  /** Free every allocation made after `mark` was taken. */
  release(mark: number): void {
    this.#top = mark;
  }

  /** Bytes currently allocated. */
  get used(): number {
    return this.#top - this.#base;
  }

  /**
   * Allocate `bytes` (16-byte aligned, so f64x2 loads are aligned), growing memory as needed.
   * Throws `E_MEMORY` — saying how much was needed — past the limit.
   */
  alloc(bytes: number, what = 'buffer'): number {
    const ptr = this.#top;
    const end = ptr + align(bytes);
    if (end - this.#base > this.limit || end > WASM32_MAX) {
      const need = end - this.#base;
      throw new DescentError('E_MEMORY',
        `${what} needs ${formatBytes(need)} of wasm memory in all, over the limit of ${formatBytes(Math.min(this.limit, WASM32_MAX))}; ` +
        'use fewer points or a smaller dimension, or raise the limit with init({ memoryLimit })',
        { expected: `≤ ${this.limit} bytes`, actual: need });
    }
    const have = this.#all.byteLength; // not memory.buffer: each read of it costs ~20 ns
    if (end > have) {
      try {
        this.#memory.grow(Math.ceil((end - have) / PAGE));
        this.#all = new Float64Array(this.#memory.buffer);
      } catch (cause) {
        throw new DescentError('E_MEMORY', `the runtime refused to grow wasm memory to ${formatBytes(end)}`, { cause, actual: end });
      }
    }
    this.#top = end;
    return ptr;
  }

  /** Allocate room for `n` doubles. */
  allocF64(n: number, what?: string): number {
    return this.alloc(n * 8, what);
  }

  /** Allocate `n` doubles and copy `values` in. */
  pushF64(values: ArrayLike<number>, what?: string): number {
    const ptr = this.allocF64(values.length, what);
    this.#all.set(values, ptr >>> 3);
    return ptr;
  }

  /** A view of `n` doubles at `ptr`. Valid only until memory next grows. */
  f64(ptr: number, n: number): Float64Array {
    return this.#all.subarray(ptr >>> 3, (ptr >>> 3) + n);
  }

  /** A view of `n` u32 at `ptr`. Valid only until memory next grows. */
  u32(ptr: number, n: number): Uint32Array {
    return new Uint32Array(this.#memory.buffer, ptr, n);
  }

  /** An independent copy of `n` doubles at `ptr` (into `out` if given). */
  copyOutF64(ptr: number, n: number, out?: Float64Array): Float64Array {
    const start = ptr >>> 3;
    if (out) {
      out.set(this.#all.subarray(start, start + n));
      return out;
    }
    return this.#all.slice(start, start + n);
  }

  /** A single double at `ptr`. */
  readF64(ptr: number): number {
    return this.#all[ptr >>> 3];
  }
}

/** Round up to a multiple of 16 bytes (exact for any size below 2⁵³). */
function align(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** Human-readable byte count. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
