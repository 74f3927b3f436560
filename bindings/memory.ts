// The one owner of wasm linear memory. Kernels never allocate; every buffer they touch is carved
// here from the region above the module's static data. Allocation is a stack: `mark()` and
// `release(mark)` bracket an operation, so every call frees exactly what it took, in one place.
// Views (`f64`) alias memory and die when it grows; `copyOutF64` returns an independent copy.
//
// Below the stack sits the resident arena: blocks that outlive the scopes (a dense operator's
// packed matrix, so that later calls need not copy it in again), each owned by a key object.
//
//   heap base | region | resident arena: blocks, gaps | stack (mark/release) → … memory grows
//
// The region (the main instance only; `regionBytes` in the constructor) is a fixed scratch area
// for calls that allocate nothing: a single-point landscape call keeps its parameters there and
// evaluates there, without a scope (bindings/landscapes.ts, Slot). It never moves; `regionOwner`
// says whose parameters it holds.
//
// `hold(key, values)` returns the key's block, copying `values` in the first time. The arena is
// bounded by `residentLimit` (a quarter of `limit`): least recently used blocks are evicted to make
// room, and the arena is compacted when gaps waste it. The stack's base can move only while the
// stack is empty, so a block that does not fit a gap while something is on the stack is not made
// resident (`hold` returns undefined and the caller copies the data onto the stack, as for any
// call). A block handed out while a scope is open is pinned — not evicted, moved or freed — until
// the outermost scope closes; addresses are offsets, so growing memory never invalidates them.

import { DescentError } from './errors.ts';

const PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
const WASM32_MAX = 4 * 1024 * 1024 * 1024;

/** A resident block: `bytes` at `ptr` (both 16-byte aligned), owned by `key`. */
interface Block {
  readonly key: object;
  ptr: number;
  readonly bytes: number;
  /** Doubles the owner put there. */
  readonly length: number;
  /** Dropped while pinned: freed when the outermost scope closes. */
  dropped: boolean;
  /** Called with the block's doubles just before it is evicted (not when dropped): see `reserve`. */
  readonly evicted: ((data: Float64Array) => void) | undefined;
}

/** Stack allocator over a WebAssembly.Memory, with a resident arena below the stack. */
export class Heap {
  readonly #memory: WebAssembly.Memory;
  /** One view of all of memory, re-taken only when this heap grows it (nothing else does). */
  #all: Float64Array;
  /** Start of the resident arena (the heap base). */
  readonly #arena: number;
  /** Start of the stack (the end of the resident arena); moves only while the stack is empty. */
  #base: number;
  #top: number;
  #limit: number;
  /** Open scopes, outermost first: the stack offset (top − base) at each mark. */
  readonly #scopes: number[] = [];
  /** Resident blocks by owner key, least recently used first. */
  readonly #resident = new Map<object, Block>();
  /** Bytes of the resident blocks. */
  #held = 0;
  /** Blocks handed out while a scope is open: kept in place until the outermost scope closes. */
  readonly #pinned = new Set<Block>();

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
    this.#arena = arena;
    this.#base = this.#arena;
    this.#top = this.#base;
    this.#limit = limit;
  }

  /**
   * Largest total heap size, in bytes — resident blocks and stack together — this heap may grow
   * memory to (init({ memoryLimit }) sets it). Lowering it evicts resident blocks down to the new
   * `residentLimit` (at once, or when the outermost scope closes).
   */
  get limit(): number {
    return this.#limit;
  }

  set limit(bytes: number) {
    this.#limit = bytes;
    this.#settle();
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
    if (mark === 1) {
      for (const b of this.#pinned) if (b.dropped) this.#forget(b);
      this.#pinned.clear();
      this.#settle();
    }
  }

  /** Bytes currently allocated on the stack (resident blocks not counted). */
  get used(): number {
    return this.#top - this.#base;
  }

  /** Bytes held by resident blocks. */
  get residentBytes(): number {
    return this.#held;
  }

  /** Most bytes resident blocks may take together (their arena included): a quarter of `limit` (256 MiB by default). */
  get residentLimit(): number {
    return Math.floor(Math.min(this.#limit, WASM32_MAX) / 64) * 16;
  }

  /**
   * The address of `key`'s resident copy of `values`, copying them in if it has none (evicting
   * least recently used blocks to stay within `residentLimit`); undefined if they cannot be made
   * resident now (larger than that limit, no room below a non-empty stack, or memory refused to
   * grow) — the caller then copies them onto the stack. The caller must pass the same values for
   * the same key. The address stays valid until the outermost scope closes; later scopes may see
   * the block moved (compaction), so ask again in each.
   */
  hold(key: object, values: Float64Array | (() => Float64Array)): number | undefined {
    return this.#hold(key, values, undefined);
  }

  /**
   * Like `hold`, for a block its caller writes itself: `key`'s resident block of `n` doubles (a
   * new one holds whatever memory held), or undefined if it cannot be made resident now. Later
   * `hold`s with the key find it and copy nothing. The block may be the only copy of its data:
   * `evicted` receives its doubles (a view, valid only during the call) before the heap evicts it
   * for room or a lower limit, or lets it go with its instance (`evictAll`) — never when dropped.
   */
  reserve(key: object, n: number, evicted: (data: Float64Array) => void): number | undefined {
    return this.#hold(key, n, evicted);
  }

  #hold(key: object, values: Float64Array | (() => Float64Array) | number,
    evicted: ((data: Float64Array) => void) | undefined): number | undefined {
    let b = this.#resident.get(key);
    if (b && !b.dropped) {
      this.#resident.delete(key); // most recently used last
      this.#resident.set(key, b);
    } else {
      if (b) return undefined; // dropped while in use: not brought back before it is freed
      const data = typeof values === 'function' ? values() : values;
      const length = typeof data === 'number' ? data : data.length;
      const bytes = align(length * 8);
      const ptr = this.#place(bytes);
      if (ptr === undefined) return undefined;
      b = { key, ptr, bytes, length, dropped: false, evicted };
      if (typeof data !== 'number') this.#all.set(data, ptr >>> 3);
      this.#resident.set(key, b);
      this.#held += bytes;
    }
    if (this.#scopes.length > 0) this.#pinned.add(b);
    return b.ptr;
  }

  /** Whether `key` has a resident block (test hook). */
  holds(key: object): boolean {
    const b = this.#resident.get(key);
    return b !== undefined && !b.dropped;
  }

  /** Free `key`'s resident block, if any: at once, or when the outermost scope closes if it is in use. */
  drop(key: object): void {
    const b = this.#resident.get(key);
    if (!b) return;
    if (this.#pinned.has(b)) { b.dropped = true; return; }
    this.#forget(b);
    this.#settle();
  }

  /**
   * Let every resident block go, telling owners of evicted ones (`reserve`): the instance this heap
   * belongs to is being discarded (a trap replaced it).
   */
  evictAll(): void {
    for (const b of [...this.#resident.values()]) this.#forget(b, !b.dropped);
    this.#pinned.clear();
  }

  #forget(b: Block, evict = false): void {
    if (evict && b.evicted) b.evicted(this.#all.subarray(b.ptr >>> 3, (b.ptr >>> 3) + b.length));
    this.#resident.delete(b.key);
    this.#held -= b.bytes;
  }

  /** Evict least recently used unpinned blocks until `bytes` more fit the budget; returns whether they do. */
  #evictFor(bytes: number): boolean {
    const budget = this.residentLimit;
    for (const b of this.#resident.values()) {
      if (this.#held + bytes <= budget) break;
      if (!this.#pinned.has(b)) this.#forget(b, true); // deleting the current entry keeps Map iteration valid
    }
    return this.#held + bytes <= budget;
  }

  /** The blocks in address order. */
  #sorted(): Block[] {
    return [...this.#resident.values()].sort((a, b) => a.ptr - b.ptr);
  }

  /** Slide the blocks down to the arena's start, their data with them (none may be pinned); returns the new end. */
  #compact(blocks: Block[]): number {
    let at = this.#arena;
    for (const b of blocks) {
      if (b.ptr !== at) this.#all.copyWithin(at >>> 3, b.ptr >>> 3, (b.ptr + b.bytes) >>> 3);
      b.ptr = at;
      at += b.bytes;
    }
    return at;
  }

  /**
   * With the stack empty: keep the blocks within the budget (after the limit was lowered), compact
   * gaps that make the arena exceed it, and start the stack right after the last block.
   */
  #settle(): void {
    if (this.#top !== this.#base) return;
    this.#evictFor(0);
    const blocks = this.#sorted();
    let end = blocks.length > 0 ? blocks[blocks.length - 1].ptr + blocks[blocks.length - 1].bytes : this.#arena;
    if (end - this.#arena > this.residentLimit && this.#pinned.size === 0) end = this.#compact(blocks);
    this.#base = this.#top = end;
  }

  /** Room for a new resident block of `bytes`, or undefined (see hold). */
  #place(bytes: number): number | undefined {
    if (!this.#evictFor(bytes)) return undefined;
    // First fit in a gap between blocks.
    const blocks = this.#sorted();
    let at = this.#arena;
    for (const b of blocks) {
      if (b.ptr - at >= bytes) return at;
      at = b.ptr + b.bytes;
    }
    if (at + bytes <= this.#base) return at; // the arena's free tail (left while the stack was in use)
    // At the end of the arena: the stack's base moves up, which needs an empty stack.
    if (this.#top !== this.#base) return undefined;
    if (at + bytes - this.#arena > this.residentLimit) {
      // Gaps waste the arena: compact it, unless a block is in use.
      if (this.#pinned.size > 0) return undefined;
      at = this.#compact(blocks);
    }
    try {
      this.#reach(at + bytes, 'resident block');
    } catch {
      this.#settle();
      return undefined;
    }
    this.#base = this.#top = at + bytes;
    return at;
  }

  /** Grow memory so that it reaches byte `end` (E_MEMORY past the limit or if the runtime refuses). */
  #reach(end: number, what: string): void {
    if (end - this.#arena > this.limit || end > WASM32_MAX) {
      const need = end - this.#arena, resident = this.residentBytes;
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
    this.#reach(end, what);
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
