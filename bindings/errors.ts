/**
 * Errors thrown by descent. Every failure a user can cause or meet — a bad config, a bad
 * argument, memory beyond the limit, a wasm trap, a cancelled run — is a {@link DescentError}
 * with a stable {@link DescentError.code} and, where a config field or argument is at fault, its
 * {@link DescentError.path}. Messages are built by one function so they read the same everywhere:
 * `landscape.rosenbrock.dim must be an integer ≥ 2, got 1.5`.
 *
 * This module sits below both TypeScript layers: bindings/ throws these errors (traps, memory,
 * loading) and src/ re-exports them unchanged from src/errors.ts (the public API). It imports
 * nothing, so neither layer has to import upwards to reach it.
 */

/** Stable error codes. Match on these, not on messages. */
export type DescentErrorCode =
  /** A config given to a factory is invalid (type, range, length, finiteness, unknown key). */
  | 'E_CONFIG'
  /** An argument given to a method is invalid (wrong length, non-finite entry). */
  | 'E_INPUT'
  /** The operation needs more wasm memory than the limit allows (or than wasm32 can address). */
  | 'E_MEMORY'
  /** The WebAssembly module trapped; the instance has been replaced and the next call works. */
  | 'E_TRAP'
  /** The operation was cancelled through an AbortSignal. */
  | 'E_ABORTED'
  /** A synchronous method was called before `await descent.init()` finished. */
  | 'E_NOT_INITIALIZED'
  /** The .wasm could not be fetched, compiled or instantiated, or is not descent's. */
  | 'E_WASM'
  /** A worker could not be started, crashed, or exited before finishing its share of a run. */
  | 'E_WORKER'
  /** An optional peer dependency is missing (vega and vega-lite for `descent/plots`); the message says what to install. */
  | 'E_DEPENDENCY'
  /** Shards that do not make one run (other config or version, missing or duplicated), or a truncated or corrupted shard file. */
  | 'E_SHARD';

/** Structured details of a {@link DescentError}. */
export interface DescentErrorDetails {
  /** Config path or argument name of the offending value, e.g. `quadratic.A[2][1]`. */
  path?: string;
  /** The rule the value broke, e.g. `an integer ≥ 2`. */
  expected?: string;
  /** The value received (as given; not necessarily serialisable). */
  actual?: unknown;
  /** The underlying error, for traps and load failures. */
  cause?: unknown;
  /** Offset in the string at fault, for errors in a source text (an expression landscape's `expr`). */
  position?: number;
}

/** The one error type descent throws. `instanceof DescentError` and `.code` are stable. */
export class DescentError extends Error {
  override readonly name = 'DescentError';
  /** Stable machine-readable code. */
  readonly code: DescentErrorCode;
  /** Config path or argument at fault, or `''` when none applies. */
  readonly path: string;
  /** The rule that was broken, when the error is about a value. */
  readonly expected: string | undefined;
  /** The offending value, when the error is about a value. */
  readonly actual: unknown;
  /** Offset in the string at fault, when the error is about a source text (an expression's `expr`); else undefined. */
  readonly position: number | undefined;

  constructor(code: DescentErrorCode, message: string, details: DescentErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path ?? '';
    this.expected = details.expected;
    this.actual = details.actual;
    this.position = details.position;
  }
}

/**
 * A short rendering of any value for messages, which never throws: building the message of an
 * error must not become a second error (a BigInt or a cyclic array defeats JSON.stringify, an
 * object without a prototype defeats String, a Proxy can throw from any property read).
 */
export function describe(value: unknown): string {
  try {
    return describeUnsafe(value);
  } catch {
    return 'a value that cannot be inspected';
  }
}

function describeUnsafe(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: number }).length ?? value.byteLength;
    return `a ${Object.prototype.toString.call(value).slice(8, -1)} of length ${length}`;
  }
  if (typeof value === 'symbol') return 'a symbol';
  return 'an object';
}

/**
 * Run `body`; an E_MEMORY it throws without a path (the heap knows the buffer, not the argument
 * or config field behind it) gets `path`, the field whose value sets the size.
 */
export function sizedBy<T>(path: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof DescentError && error.code === 'E_MEMORY' && error.path === '') {
      throw new DescentError('E_MEMORY', `${error.message} (its size is set by ${path})`,
        { path, expected: error.expected, actual: error.actual, cause: error });
    }
    throw error;
  }
}

/**
 * Build the error for a value that broke a rule: message `<path> must be <expected>, got <actual>`.
 * @param code `E_CONFIG` for factory configs, `E_INPUT` for method arguments.
 */
export function invalid(code: 'E_CONFIG' | 'E_INPUT', path: string, expected: string, actual: unknown): DescentError {
  return new DescentError(code, `${path} must be ${expected}, got ${describe(actual)}`, { path, expected, actual });
}
