// Node, Deno and Bun for scripts/test-runtimes.mjs: each runs the node.mjs bundle as a child
// process (its own process group, killed at the deadline or on interrupt), streamed into a
// Capture. `run` is { dir, timeoutS, timeoutMs } from the command line.
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BUN, DENO, INSTALL, REPO } from '../runtimes.mjs';
import { abort, childGroups, interrupted, killGroup } from './cleanup.mjs';
import { red, rel, TTY } from './output.mjs';
import { remaining, summaryOf } from './uvu.mjs';

// uvu's colour library (kleur) reads exactly these; Deno refuses other env access.
const DENO_ENV = 'FORCE_COLOR,NODE_DISABLE_COLORS,NO_COLOR,TERM';

function versionOf(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20000 }, (err, stdout) => resolve(err ? '' : String(stdout).split('\n')[0].trim()));
  });
}

function runProcess(cap, result, cmd, args, env, run) {
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    let child;
    try {
      child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (e) {
      result.fatal = `could not start ${cmd}: ${e.message}`;
      return resolve();
    }
    if (child.pid) childGroups.add(child.pid);
    child.stdout.setEncoding('utf8').on('data', (d) => cap.write(d, 'out'));
    child.stderr.setEncoding('utf8').on('data', (d) => cap.write(d, 'err'));
    let killTimer;
    const stop = (why) => {
      if (settled || !child.pid) return;
      cap.note(red(why));
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 3000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop(`timed out after ${run.timeoutS} s: killing it`);
    }, remaining(result));
    const onAbort = () => stop('interrupted: killing it');
    abort.signal.addEventListener('abort', onAbort, { once: true });
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      abort.signal.removeEventListener('abort', onAbort);
      if (child.pid) {
        killGroup(child.pid, 'SIGKILL'); // anything the runtime left behind in its group
        childGroups.delete(child.pid);
      }
      cap.flush();
      resolve();
    };
    child.on('error', (e) => {
      result.fatal = e.code === 'ENOENT' ? `${cmd} not found` : `could not start ${cmd}: ${e.message}`;
      finish();
    });
    child.on('close', (code, signal) => {
      result.exit = { code, signal, timedOut };
      finish();
    });
  });
}

/** Failures of a process run beyond its tests: exit code, signal, timeout, missing summary. */
export function judgeProcess(result, run) {
  const { exit } = result;
  if (result.fatal || !exit) return;
  const s = summaryOf(result);
  const failedTests = s ? Math.max(0, s.total - s.passed) : 0;
  if (exit.timedOut || interrupted) {
    const why = interrupted ? 'interrupted' : `timed out after ${run.timeoutS} s`;
    if (!s) result.fatal = `${why} (no uvu summary)`;
    else result.problems.push(interrupted ? 'interrupted after the summary' : `did not exit within ${run.timeoutS} s although the summary was printed (an open handle keeps it alive?)`);
  } else if (!s) {
    result.fatal = exit.signal
      ? `killed by ${exit.signal} before printing the uvu summary`
      : exit.code !== 0
        ? `exited with code ${exit.code} before printing the uvu summary`
        : 'exited with code 0 without printing the uvu summary';
  } else if (exit.signal) {
    result.problems.push(`killed by ${exit.signal} after the summary`);
  } else if (exit.code !== 0 && failedTests === 0) {
    // uvu exits with 1 when tests failed: counted once, as those tests. Any other non-zero exit counts.
    result.problems.push(`exited with code ${exit.code} although uvu reported no failed test`);
  } else if (exit.code === 0 && failedTests > 0) {
    result.problems.push(`exited with code 0 although uvu reported ${failedTests} failed test(s)`);
  }
}

export async function runNode(cap, result, run) {
  result.version = `node ${process.version}`;
  await runProcess(cap, result, process.execPath, [path.join(run.dir, 'node.mjs')], TTY ? { FORCE_COLOR: '1' } : {}, run);
}

export async function runDeno(cap, result, run) {
  if (!existsSync(DENO)) {
    result.fatal = `deno not found at ${rel(DENO)}: ${INSTALL.deno}`;
    return;
  }
  const env = { DENO_NO_UPDATE_CHECK: '1', ...(TTY ? { FORCE_COLOR: '1' } : {}) };
  result.version = (await versionOf(DENO, ['--version'])).replace(/\s*\(.*$/, '') || 'deno (version unknown)';
  // Read: the bundle reads descent.wasm next to itself; tests may read fixtures in the repo.
  // Env: only what uvu's colour library reads. No network, no prompts, no config/lock file
  // discovery (nothing gets written into the repo), no remote module fetches.
  const read = [REPO, run.dir].filter((d, i, a) => a.indexOf(d) === i && (i === 0 || !d.startsWith(REPO + path.sep)));
  await runProcess(cap, result, DENO, [
    'run', '--no-prompt', '--no-config', '--no-lock', '--cached-only',
    `--allow-read=${read.join(',')}`, `--allow-env=${DENO_ENV}`,
    path.join(run.dir, 'node.mjs'),
  ], env, run);
}

export async function runBun(cap, result, run) {
  if (!existsSync(BUN)) {
    result.fatal = `bun not found at ${rel(BUN)}: ${INSTALL.bun}`;
    return;
  }
  const v = await versionOf(BUN, ['--version']);
  result.version = v ? `bun ${v}` : 'bun (version unknown)';
  await runProcess(cap, result, BUN, [path.join(run.dir, 'node.mjs')], TTY ? { FORCE_COLOR: '1' } : {}, run);
}
