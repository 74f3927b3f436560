/**
 * Progress on stderr: a cli-progress bar on a terminal; otherwise plain lines (at most one a
 * second, and the last), so logs of batch jobs stay readable.
 */
import cliProgress from 'cli-progress';

/** A progress sink for `simulate`'s onProgress. */
export interface Progress {
  update(p: { step: number; steps: number }): void;
  stop(): void;
}

/** Progress for `label` on `stream` (a TTY gets a bar). `quiet`: nothing. */
export function progress(label: string, stream: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet) return { update() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | step {value}/{total} | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update({ step, steps }) {
        if (!started) {
          bar.start(steps, 0);
          started = true;
        }
        bar.update(step);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0,
    lastStep = -1;
  const t0 = Date.now();
  return {
    update({ step, steps }) {
      const now = Date.now();
      if (step === steps || now - last >= 1000) {
        if (step === lastStep) return;
        last = now;
        lastStep = step;
        stream.write(`${label}: step ${step}/${steps} (${((100 * step) / steps).toFixed(0)}%, ${((now - t0) / 1000).toFixed(1)} s)\n`);
      }
    },
    stop() {},
  };
}
