/**
 * `descent list`: every landscape, model, optimiser, sampler, noise model, init and schedule with
 * its parameters — read from the library itself, not from a list kept here: the kinds come from
 * each namespace's kind table (its `kinds`, or the id table of noise, inits and schedules), and
 * each factory is asked for its parameters by calling it (no wasm is touched: factories only
 * validate). A call with an unknown key makes the factory's `options` check name every key it
 * accepts; a call with no keys returns the defaults, or names the first required parameter, which
 * is then filled with a placeholder (at most a few times) to reveal the remaining defaults.
 */
import { DescentError } from '../errors.ts';
import * as landscapes from '../landscapes/index.ts';
import * as models from '../models/index.ts';
import * as optimizers from '../optimizers/index.ts';
import * as samplers from '../samplers.ts';
import * as noise from '../noise.ts';
import * as inits from '../inits.ts';
import * as schedules from '../schedules.ts';
import { NOISE_KINDS } from '../noiseModel.ts';
import { SCHEDULE_KINDS } from '../schedule.ts';

/** One parameter: its default, or why it is required. */
export interface ParameterInfo {
  name: string;
  default?: unknown;
  /** The rule a value must meet, when the parameter has no default. */
  required?: string;
}

/** One kind of a category. */
export interface KindInfo {
  kind: string;
  /** How to make it in JavaScript. */
  factory: string;
  params: ParameterInfo[];
  /** What the factory says when it cannot be described by its parameters alone (e.g. "needs A or eigenvalues"). */
  note?: string;
}

type Factory = (config?: unknown) => unknown;

// A key no factory accepts: `options` (src/validate.ts) then names the accepted ones in
// `expected` ("one of a, b, c", or "one of nothing").
const PROBE = '\u0000descent-list';

function accepted(f: Factory): string[] {
  if (f.length === 0) return [];
  try {
    f({ [PROBE]: 0 });
  } catch (e) {
    const m = e instanceof DescentError && e.path.endsWith(PROBE) ? /^one of (.*)$/.exec(e.expected ?? '') : null;
    if (m) return m[1] === 'nothing' ? [] : m[1].split(', ');
  }
  return [];
}

/** A placeholder value meeting a rule like "a finite number > 0" or "an integer ≥ 1": the factory's defaults for the rest then show. */
function placeholder(expected: string): number | undefined {
  if (!/^(a finite number|an integer)/.test(expected)) return undefined;
  const bound = /[>≥] (-?[\d.e+-]+)/.exec(expected);
  return bound ? Math.max(1, Math.ceil(Number(bound[1]) + 1)) : 1;
}

function describeFactory(kind: string, name: string, f: Factory): KindInfo {
  const keys = accepted(f);
  const filled: Record<string, unknown> = {};
  const required = new Map<string, string>();
  let note: string | undefined, made: unknown;
  for (let tries = 0; tries <= keys.length && made === undefined; tries++) {
    try {
      made = f.length === 0 ? f() : f({ ...filled });
    } catch (e) {
      if (!(e instanceof DescentError)) throw e;
      const key = keys.find((k) => e.path.endsWith(`.${k}`));
      const value = key && e.expected ? placeholder(e.expected) : undefined;
      if (key && e.expected) required.set(key, e.expected);
      // A rule about the config as a whole (e.g. "exactly one of target and data") is what the
      // kind needs, said as such: the factory's "<path> must be …, got …" is a complaint about
      // the empty probe call, not something to show in a listing.
      if (key === undefined || value === undefined || key in filled) {
        note = key && e.expected ? undefined : e.expected && / must be /.test(e.message) ? `needs ${e.expected}` : e.message;
        break;
      }
      filled[key] = value;
    }
  }
  const defaults = (made as { params?: Record<string, unknown> } | undefined)?.params ?? {};
  const params = keys.map((k): ParameterInfo =>
    required.has(k) ? { name: k, required: required.get(k) } : k in defaults ? { name: k, default: defaults[k] } : { name: k },
  );
  return { kind, factory: `${name}.${kind}`, params, ...(note ? { note } : {}) };
}

/** The categories `descent list` prints, in order. */
export const CATEGORIES = ['landscapes', 'models', 'optimizers', 'samplers', 'noise', 'inits', 'schedules'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Every kind of every category (or of one), described from the factories. */
export function catalogue(only?: Category): Partial<Record<Category, KindInfo[]>> {
  const ns = (o: object) => o as unknown as Record<string, Factory>;
  const of = (name: string, space: Record<string, Factory>, kinds: readonly string[]) =>
    kinds.map((k) => describeFactory(k, name, space[k]));
  const build: Record<Category, () => KindInfo[]> = {
    landscapes: () => [
      ...of('landscapes', ns(landscapes), landscapes.kinds),
      ...landscapes.compositeKinds.map((k) => {
        const args =
          k === 'sum'
            ? '[f, g, …], weights?'
            : k === 'finiteSum'
              ? '[f, g, …], weights?, { reduction?, scale? }'
              : k === 'scale'
                ? 'f, factor'
                : k === 'reparametrize'
                  ? 'f, { A, b? }'
                  : 'f, offset';
        return {
          kind: k,
          factory: `landscapes.${k}`,
          params: [],
          note: `combines landscapes: landscapes.${k}(${args}) (docs/landscapes.md)`,
        };
      }),
    ],
    models: () => of('models', ns(models), models.kinds),
    optimizers: () => of('optimizers', ns(optimizers), optimizers.kinds),
    samplers: () => of('samplers', ns(samplers), samplers.kinds),
    noise: () => of('noise', ns(noise), Object.keys(NOISE_KINDS)),
    inits: () => of('inits', ns(inits), Object.keys(inits.INIT_KINDS)),
    schedules: () => of('schedules', ns(schedules), Object.keys(SCHEDULE_KINDS)),
  };
  const out: Partial<Record<Category, KindInfo[]>> = {};
  for (const c of CATEGORIES) if (!only || c === only) out[c] = build[c]();
  return out;
}

/** Human-readable form: one block per category, one line per kind. */
export function formatCatalogue(cat: Partial<Record<Category, KindInfo[]>>): string {
  const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  let out = '';
  for (const [c, kinds] of Object.entries(cat)) {
    out += `${c} (${kinds!.length})\n`;
    const width = Math.max(...kinds!.map((k) => k.kind.length));
    for (const k of kinds!) {
      const params = k.params.map((p) =>
        p.required !== undefined ? `${p.name} (required: ${p.required})` : 'default' in p ? `${p.name}=${value(p.default)}` : p.name,
      );
      const text = [params.length ? params.join(', ') : k.note ? '' : '(no parameters)', k.note ?? ''].filter(Boolean).join('; ');
      out += `  ${k.kind.padEnd(width)}  ${text}\n`;
    }
    out += '\n';
  }
  return out;
}
