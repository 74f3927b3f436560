// Landscapes linked at run time (assembly/landscapes/linked.ts): small wasm modules — a compiled
// expression (src/expression/), or a trampoline to JS callbacks — instantiated against an engine
// instance's memory and math exports, whose value/grad/hvp functions go into that instance's
// function table. Every instance (the main one, a replacement after a trap, a run's dedicated
// one, a worker's) gets them on first use, at the same slots: a slot is fixed when the landscape
// is first packed, so packed parameters are valid in every instance of this thread, and a
// worker places the links it is sent at the slots they carry.

import { DescentError } from './errors.ts';
import { linker } from './linker.ts';
import type { Live } from './engine.ts';
import type { DescentExports } from './exports.ts';

/** JS callbacks behind a trampoline, bound to one instance's memory. */
export type HostFunctions = {
  value(p: number, d: number, n: number, x: number, sp: number, sc: number, w: number, out: number): void;
  grad(p: number, d: number, n: number, x: number, sp: number, sc: number, g: number, w: number, out: number): void;
  hvp(p: number, d: number, n: number, x: number, sp: number, sc: number, v: number, hv: number, w: number): void;
};

/** A module to place in the table: three slots from `slot` (value, grad, hvp). */
export interface Link {
  readonly slot: number;
  /** The module's bytes (structured-cloneable: posted to workers, which compile their own). */
  readonly bytes: Uint8Array;
  /** Engine exports it imports besides memory (`mathExp`, …), or, with `host`, `value grad hvp`. */
  readonly imports: readonly string[];
  /** For a trampoline: makes the callbacks for one instance (this thread only; never posted). */
  readonly host?: (memory: WebAssembly.Memory) => HostFunctions;
}

/** First slot past the engine's own table entries (the table's initial length, the same for every instance). */
let tableBase: number | undefined;
const registry = new Map<string, Link>();
let registered = 0;
const compiled = new WeakMap<Uint8Array, WebAssembly.Module>();
const linked = new WeakMap<DescentExports, Set<number>>();

/**
 * The link for module `bytes` under `key` (equal keys share one link and its slots), registered
 * for every instance of this thread. `live` is any instance (it tells the table's base).
 */
export function register(
  live: Live,
  key: string,
  bytes: Uint8Array,
  imports: readonly string[],
  host?: (memory: WebAssembly.Memory) => HostFunctions,
): Link {
  linker.into = linkInto;
  const known = host ? undefined : registry.get(key);
  if (known) return known;
  // No table grows before the first registration, so any instance's length is the base.
  tableBase ??= live.exports.table.length;
  const link: Link = Object.freeze({ slot: tableBase + 3 * registered++, bytes, imports: Object.freeze([...imports]), host });
  if (!host) registry.set(key, link);
  return link;
}

function moduleOf(bytes: Uint8Array): WebAssembly.Module {
  let m = compiled.get(bytes);
  if (!m) {
    try {
      m = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    } catch (cause) {
      throw new DescentError(
        'E_WASM',
        `could not compile a linked landscape's module (${(cause as Error)?.message ?? cause}); ` +
          'a browser main thread compiles modules over 4 KB only asynchronously: run it in a worker (simulate({ workers }))',
        { cause },
      );
    }
    compiled.set(bytes, m);
  }
  return m;
}

/** Place `links` in `live`'s table (those not there yet). Cheap when all are. */
export function linkInto(live: Live, links: readonly Link[]): void {
  let own = linked.get(live.exports);
  if (!own) linked.set(live.exports, (own = new Set()));
  for (const link of links) {
    if (own.has(link.slot)) continue;
    const ex = live.exports;
    const env: Record<string, unknown> = { memory: ex.memory };
    if (link.host) Object.assign(env, link.host(ex.memory));
    else for (const name of link.imports) env[name] = ex[name as `math${string}`];
    const instance = new WebAssembly.Instance(moduleOf(link.bytes), { env: env as WebAssembly.ModuleImports });
    const fns = instance.exports as Record<'value' | 'grad' | 'hvp', unknown>;
    const table = ex.table;
    if (table.length < link.slot + 3) table.grow(link.slot + 3 - table.length);
    table.set(link.slot, fns.value);
    table.set(link.slot + 1, fns.grad);
    table.set(link.slot + 2, fns.hvp);
    own.add(link.slot);
  }
}
