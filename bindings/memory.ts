// The one owner of wasm linear memory. Kernels never allocate; every buffer they touch is carved
// here from the region above the module's static data. Allocation is a stack: `mark()` and
// `release(mark)` bracket an operation, so every call frees exactly what it took, in one place.
// Views (`f64`) alias memory and die when it grows; `copyOutF64` returns an independent copy.
//
// Below the stack sits the resident arena (bindings/resident.ts, brought only by the code that
// keeps blocks there: dense operators): blocks that outlive the scopes, each owned by a key.
//
//   heap base | region | resident arena: blocks, gaps | stack (mark/release) → … memory grows
//
// The region (the main instance only; `regionBytes` in the constructor) is a fixed scratch area
// for calls that allocate nothing: a single-point landscape call keeps its parameters there and
// evaluates there, without a scope (bindings/landscapes.ts, Slot). It never moves; `regionOwner`
// says whose parameters it holds.
//
// The stack's base is the arena's end. It moves only while the stack is empty (`moveBase`), so
// addresses handed out in a scope stay valid until it closes; growing memory never invalidates
// them either (they are offsets).

import { DescentError } from './errors.ts';
import type { ResidentArena } from './resident.ts';

const PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
export const WASM32_MAX = 4 * 1024 * 1024 * 1024;

/** Stack allocator over a WebAssembly.Memory, above an optional resident arena. */
export class Heap {
  readonly #memory: WebAssembly.Memory;
  /** One view of all of memory, re-taken only when this heap grows it (nothing else does). */
  #all: Float64Array;
  /** Start of the resident arena (after the region); the stack's base when the arena is empty. */
  readonly arenaStart: number;
  /** Start of the stack (the end of the resident arena); moves only while the stack is empty. */
  #base: number;
  #top: number;
  #limit: number;
  /** Open scopes, outermost first: the stack offset (top − base) at each mark. */
  readonly #scopes: number[] = [];
  /** @internal The resident arena, once something keeps a block there (bindings/resident.ts residentOf). */
  resident: ResidentArena | undefined;

  /** Start of the fixed region (bytes), and its size. */
  readonly region: number;
  readonly regionBytes: number;
  /** Who last wrote the region's parameters (its user compares this with itself). */
  regionOwner: object | undefined;

  constructor(memory: WebAssembly.Memory, base: number, limit: number, regionBytes = 0) {
    this.#memory = memory;
    this.region = align(base);
    this.regionBytes = align(regionBytes);
    const arena = this.region + this.regionBytes;
    if (arena > memory.buffer.byteLength) memory.grow(Math.ceil((arena - memory.buffer.byteLength) / PAGE));
    this.#all = new Float64Array(memory.buffer);
    this.arenaStart = arena;
    this.#base = arena;
    this.#top = this.#base;
    this.#limit = limit;
  }

  /**
   * Largest total heap size, in bytes — resident blocks and stack together — this heap may grow
   * memory to (init({ memoryLimit }) sets it). Lowering it evicts resident blocks down to the
   * arena's new limit (at once, or when the outermost scope closes).
   */
  get limit(): number {
    return this.#limit;
  }

  set limit(bytes: number) {
    this.#limit = bytes;
    this.resident?.settle();
  }

  /** The view of all of memory (re-taken when this heap grows it): index = byte address / 8. */
  get all(): Float64Array {
    return this.#all;
  }

  /** Open a scope; pass the returned mark to `release` to free everything allocated since. */
  mark(): number {
    this.#scopes.push(this.#top - this.#base);
    return this.#scopes.length;
  }

  /**
   * Free every allocation made after `mark` was taken, closing its scope (and any inner scope left
   * open by an exception). Closing the outermost scope unpins resident blocks and frees dropped ones.
   */
  release(mark: number): void {
    const offset = this.#scopes[mark - 1];
    if (offset === undefined) return; // already released
    this.#scopes.length = mark - 1;
    this.#top = this.#base + offset;
    if (mark === 1) this.resident?.closed();
  }

  /** Bytes currently allocated on the stack (resident blocks not counted). */
  get used(): number {
    return this.#top - this.#base;
  }

  /** Open scopes. */
  get depth(): number {
    return this.#scopes.length;
  }

  /** The stack's base: the end of the resident arena. */
  get base(): number {
    return this.#base;
  }

  /** @internal Move the stack's base (the arena's end) to `end`; only the arena calls it, with the stack empty. */
  moveBase(end: number): void {
    if (this.#top !== this.#base) throw new Error('Heap.moveBase with a non-empty stack (a bug in descent)');
    this.#base = this.#top = end;
  }

  /** Grow memory so that it reaches byte `end` (E_MEMORY past the limit or if the runtime refuses). */
  reach(end: number, what: string): void {
    if (end - this.arenaStart > this.limit || end > WASM32_MAX) {
      const need = end - this.arenaStart, resident = this.resident?.bytes ?? 0;
      throw new DescentError('E_MEMORY',
        `${what} needs ${formatBytes(need)} of wasm memory in all, over the limit of ${formatBytes(Math.min(this.limit, WASM32_MAX))}` +
        (resident > 0 ? ` (${formatBytes(resident)} of it held by resident dense operators: dispose() those no longer needed)` : '') +
        '; ' +
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
  }

  /**
   * Allocate `bytes` (16-byte aligned, so f64x2 loads are aligned), growing memory as needed.
   * Throws `E_MEMORY` — saying how much was needed — past the limit.
   */
  alloc(bytes: number, what = 'buffer'): number {
    const ptr = this.#top;
    const end = ptr + align(bytes);
    this.reach(end, what);
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
export function align(n: number): number {
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
