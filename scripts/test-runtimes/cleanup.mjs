// Cleanup for scripts/test-runtimes.mjs: every child process group, temporary directory and
// closer (browsers, the static server) is registered here and torn down even on failure or
// Ctrl-C; `abort` tells the running runtime to stop, `interrupted` says a signal came.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { red } from './output.mjs';

export const childGroups = new Set(); // pids of detached children (each leads its own process group)
export const tempDirs = new Set();
export const closers = new Set(); // async () => void
export const abort = new AbortController();
export let interrupted = false; // importers read it through this live binding

export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {}
}
export function syncCleanup() {
  for (const pid of childGroups) killGroup(pid, 'SIGKILL');
  childGroups.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
  tempDirs.clear();
}
export async function cleanup() {
  for (const close of [...closers].reverse()) {
    closers.delete(close);
    await close().catch(() => {});
  }
  for (const d of [...tempDirs]) {
    await rm(d, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    tempDirs.delete(d);
  }
  syncCleanup();
}
/** Clean up at exit; on a first SIGINT/SIGTERM/SIGHUP stop the current runtime (abort), on a second at once. */
export function handleSignals() {
  process.on('exit', syncCleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (interrupted) {
        // Second signal: no more waiting.
        syncCleanup();
        process.exit(130);
      }
      interrupted = true;
      process.stdout.write(`\n${red(`${sig}: stopping the current runtime and cleaning up (again to force)`)}\n`);
      abort.abort();
    });
  }
}
export async function makeTempDir(prefix) {
  const d = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}
