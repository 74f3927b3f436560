/**
 * `stream`: a run as an async iterator of progress snapshots, for tools that draw while a run
 * goes (`for await (const s of descent.stream(config)) draw(s)`).
 */
import { simulate, type SimulateConfig, type SimulateConfigJSON, type SimulateOptions } from './simulate.ts';
import type { EnsembleResult, EnsembleSummary } from './result.ts';
import type { Progress } from './scale.ts';
import { DescentError } from './errors.ts';

/** One item of {@link stream}: a progress report; the last item also carries the run's result. */
export interface Snapshot extends Progress {
  /** Present on the last snapshot only: what `simulate` resolves with. */
  result?: EnsembleResult | EnsembleSummary;
}

/**
 * Run `simulate(config, options)` and yield its progress as it goes: one {@link Snapshot} per
 * progress report, except that a consumer slower than the run gets the latest report only
 * (reports in between are dropped, never queued, so memory stays bounded and a drawing loop
 * never falls behind). The last snapshot carries the result. Leaving the loop early (`break`,
 * `return`, an exception) aborts the run. Errors of the run are thrown from the iterator.
 * `options` are simulate's (`shard` excepted: a shard has nothing to stream); their
 * `onProgress` and `signal` still work.
 */
export async function* stream(
  config: SimulateConfig | SimulateConfigJSON,
  options: Omit<SimulateOptions, 'shard'> = {},
): AsyncGenerator<Snapshot, void, undefined> {
  const controller = new AbortController();
  const outer = options.signal;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  let pending: Progress | undefined, last: Progress | undefined;
  let wake: (() => void) | undefined;
  let finished = false,
    failure: unknown,
    result: EnsembleResult | EnsembleSummary | undefined;
  const onProgress = (p: Progress) => {
    options.onProgress?.(p);
    pending = p;
    last = p;
    wake?.();
  };
  const run = (simulate(config, { ...options, signal: controller.signal, onProgress }) as Promise<EnsembleResult | EnsembleSummary>)
    .then(
      (r) => {
        result = r;
      },
      (e: unknown) => {
        failure = e;
      },
    )
    .finally(() => {
      finished = true;
      wake?.();
    });
  try {
    for (;;) {
      if (pending === undefined && !finished)
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      wake = undefined;
      if (finished) {
        if (failure !== undefined) throw failure;
        const final = last ?? { step: 0, steps: 0, segment: 0, segments: 0, elapsedMs: 0 };
        yield { ...final, result };
        return;
      }
      const p = pending!;
      pending = undefined;
      yield p;
    }
  } finally {
    outer?.removeEventListener('abort', forward);
    if (!finished) {
      controller.abort(new DescentError('E_ABORTED', 'stream: the consumer stopped iterating'));
      await run;
    }
  }
}
