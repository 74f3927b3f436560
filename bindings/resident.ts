// The resident arena: blocks of wasm memory that outlive the heap's scopes (a dense operator's
// packed matrix, so that later calls need not copy it in again), each owned by a key object. It
// sits between the heap's fixed region and its stack (bindings/memory.ts) and exists only once
// something keeps a block there (`residentOf`): an application that never makes a dense operator
// carries none of this code (issue 21).
//
// `hold(key, values)` returns the key's block, copying `values` in the first time. The arena is
// bounded by `limit` (a quarter of the heap's limit): least recently used blocks are evicted to
// make room, and the arena is compacted when gaps waste it. The stack's base can move only while
// the stack is empty, so a block that does not fit a gap while something is on the stack is not
// made resident (`hold` returns undefined and the caller copies the data onto the stack, as for
// any call). A block handed out while a scope is open is pinned — not evicted, moved or freed —
// until the outermost scope closes; addresses are offsets, so growing memory never invalidates them.

import { align, WASM32_MAX, type Heap } from './memory.ts';

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

/** The resident arena of `heap`, made the first time it is asked for. */
export function residentOf(heap: Heap): ResidentArena {
  return (heap.resident ??= new ResidentArena(heap));
}

/** Blocks kept below a heap's stack across scopes, least recently used evicted first. */
export class ResidentArena {
  readonly #heap: Heap;
  /** Resident blocks by owner key, least recently used first. */
  readonly #blocks = new Map<object, Block>();
  /** Bytes of the resident blocks. */
  #held = 0;
  /** Blocks handed out while a scope is open: kept in place until the outermost scope closes. */
  readonly #pinned = new Set<Block>();

  constructor(heap: Heap) {
    this.#heap = heap;
  }

  /** Bytes held by resident blocks. */
  get bytes(): number {
    return this.#held;
  }

  /** Most bytes resident blocks may take together (their gaps included): a quarter of the heap's limit (256 MiB by default). */
  get limit(): number {
    return Math.floor(Math.min(this.#heap.limit, WASM32_MAX) / 64) * 16;
  }

  /**
   * The address of `key`'s resident copy of `values`, copying them in if it has none (evicting
   * least recently used blocks to stay within `limit`); undefined if they cannot be made resident
   * now (larger than that limit, no room below a non-empty stack, or memory refused to grow) —
   * the caller then copies them onto the stack. The caller must pass the same values for the
   * same key. The address stays valid until the outermost scope closes; later scopes may see the
   * block moved (compaction), so ask again in each.
   */
  hold(key: object, values: Float64Array | (() => Float64Array)): number | undefined {
    return this.#hold(key, values, undefined);
  }

  /**
   * Like `hold`, for a block its caller writes itself: `key`'s resident block of `n` doubles (a
   * new one holds whatever memory held), or undefined if it cannot be made resident now. Later
   * `hold`s with the key find it and copy nothing. The block may be the only copy of its data:
   * `evicted` receives its doubles (a view, valid only during the call) before the arena evicts it
   * for room or a lower limit, or lets it go with its instance (`evictAll`) — never when dropped.
   */
  reserve(key: object, n: number, evicted: (data: Float64Array) => void): number | undefined {
    return this.#hold(key, n, evicted);
  }

  #hold(key: object, values: Float64Array | (() => Float64Array) | number,
    evicted: ((data: Float64Array) => void) | undefined): number | undefined {
    let b = this.#blocks.get(key);
    if (b && !b.dropped) {
      this.#blocks.delete(key); // most recently used last
      this.#blocks.set(key, b);
    } else {
      if (b) return undefined; // dropped while in use: not brought back before it is freed
      const data = typeof values === 'function' ? values() : values;
      const length = typeof data === 'number' ? data : data.length;
      const bytes = align(length * 8);
      const ptr = this.#place(bytes);
      if (ptr === undefined) return undefined;
      b = { key, ptr, bytes, length, dropped: false, evicted };
      if (typeof data !== 'number') this.#heap.all.set(data, ptr >>> 3);
      this.#blocks.set(key, b);
      this.#held += bytes;
    }
    if (this.#heap.depth > 0) this.#pinned.add(b);
    return b.ptr;
  }

  /** Whether `key` has a resident block (test hook). */
  holds(key: object): boolean {
    const b = this.#blocks.get(key);
    return b !== undefined && !b.dropped;
  }

  /** Free `key`'s resident block, if any: at once, or when the outermost scope closes if it is in use. */
  drop(key: object): void {
    const b = this.#blocks.get(key);
    if (!b) return;
    if (this.#pinned.has(b)) { b.dropped = true; return; }
    this.#forget(b);
    this.settle();
  }

  /**
   * Let every resident block go, telling owners of evicted ones (`reserve`): the instance the heap
   * belongs to is being discarded (a trap replaced it).
   */
  evictAll(): void {
    for (const b of [...this.#blocks.values()]) this.#forget(b, !b.dropped);
    this.#pinned.clear();
  }

  /** The heap's outermost scope closed: unpin every block, free the dropped ones, settle. */
  closed(): void {
    for (const b of this.#pinned) if (b.dropped) this.#forget(b);
    this.#pinned.clear();
    this.settle();
  }

  /**
   * With the stack empty: keep the blocks within the limit (after the heap's limit was lowered),
   * compact gaps that make the arena exceed it, and start the stack right after the last block.
   */
  settle(): void {
    const heap = this.#heap;
    if (heap.used !== 0) return;
    this.#evictFor(0);
    const blocks = this.#sorted();
    let end = blocks.length > 0 ? blocks[blocks.length - 1].ptr + blocks[blocks.length - 1].bytes : heap.arenaStart;
    if (end - heap.arenaStart > this.limit && this.#pinned.size === 0) end = this.#compact(blocks);
    heap.moveBase(end);
  }

  #forget(b: Block, evict = false): void {
    if (evict && b.evicted) b.evicted(this.#heap.all.subarray(b.ptr >>> 3, (b.ptr >>> 3) + b.length));
    this.#blocks.delete(b.key);
    this.#held -= b.bytes;
  }

  /** Evict least recently used unpinned blocks until `bytes` more fit the limit; returns whether they do. */
  #evictFor(bytes: number): boolean {
    const budget = this.limit;
    for (const b of this.#blocks.values()) {
      if (this.#held + bytes <= budget) break;
      if (!this.#pinned.has(b)) this.#forget(b, true); // deleting the current entry keeps Map iteration valid
    }
    return this.#held + bytes <= budget;
  }

  /** The blocks in address order. */
  #sorted(): Block[] {
    return [...this.#blocks.values()].sort((a, b) => a.ptr - b.ptr);
  }

  /** Slide the blocks down to the arena's start, their data with them (none may be pinned); returns the new end. */
  #compact(blocks: Block[]): number {
    const all = this.#heap.all;
    let at = this.#heap.arenaStart;
    for (const b of blocks) {
      if (b.ptr !== at) all.copyWithin(at >>> 3, b.ptr >>> 3, (b.ptr + b.bytes) >>> 3);
      b.ptr = at;
      at += b.bytes;
    }
    return at;
  }

  /** Room for a new resident block of `bytes`, or undefined (see hold). */
  #place(bytes: number): number | undefined {
    const heap = this.#heap;
    if (!this.#evictFor(bytes)) return undefined;
    // First fit in a gap between blocks.
    const blocks = this.#sorted();
    let at = heap.arenaStart;
    for (const b of blocks) {
      if (b.ptr - at >= bytes) return at;
      at = b.ptr + b.bytes;
    }
    if (at + bytes <= heap.base) return at; // the arena's free tail (left while the stack was in use)
    // At the end of the arena: the stack's base moves up, which needs an empty stack.
    if (heap.used !== 0) return undefined;
    if (at + bytes - heap.arenaStart > this.limit) {
      // Gaps waste the arena: compact it, unless a block is in use.
      if (this.#pinned.size > 0) return undefined;
      at = this.#compact(blocks);
    }
    try {
      heap.reach(at + bytes, 'resident block');
    } catch {
      this.settle();
      return undefined;
    }
    heap.moveBase(at + bytes);
    return at;
  }
}
