#!/usr/bin/env node
// Run the test bundles in every runtime: Node, Deno, Bun, headless Chromium, headless Firefox.
//
//   node scripts/test-runtimes.mjs [--only node,deno,bun,chromium,firefox] [--timeout <s>] [--dir <path>]
//
// The bundles are built beforehand into --dir (else $DESCENT_TEST_DIR, else build/test/):
//   node.mjs      ESM bundle of all uvu suites for Node, Deno and Bun (reads ./descent.wasm via node:fs)
//   browser.mjs   ESM bundle for browsers (fetches ./descent.wasm relative to import.meta.url)
//   descent.wasm  and any other static files the bundles load
// Browsers load test/browser.html (which imports ./browser.mjs) from scripts/static-server.mjs.
//
// A runtime fails when it crashes, times out, throws a page error / unhandled rejection
// (browsers), prints no uvu summary, prints more than one, reports failed tests, or declares
// fewer tests (Total + Skipped) than Node. Every `DETERMINISM <name> <hex>` line is one extra
// check: all runtimes that ran must print it, with the same hex. The last line of output is
// always exactly `<passed> passed, <failed> failed`; the exit code is 0 iff failed is 0
// (130 after Ctrl-C). Runtimes run one after another (timings stay meaningful on 2 cores).
// Missing binaries are failures, never skips. See docs/runtimes.md.

import { spawn, execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStaticServer } from './static-server.mjs';
import { BUN, CHROMIUM, CHROMIUM_FLAGS, DENO, FIREFOX, REPO, RUNTIMES } from './runtimes.mjs';

// uvu's colour library (kleur) reads exactly these; Deno refuses other env access.
const DENO_ENV = 'FORCE_COLOR,NODE_DISABLE_COLORS,NO_COLOR,TERM';
const BROWSER_GRACE_MS = 300; // keep listening this long after uvu's Duration line
const IMPORT_FAIL_IDLE_MS = 5000; // after a failed import, stop once the console is quiet this long
const INSTALL = {
  deno: 'install it with `npm install` (devDependency deno, pinned at 2.9.5)',
  bun: 'install it with `npm install` (devDependency bun)',
  chromium: 'install it with `apt-get update && apt-get install -y chromium` (Debian)',
  firefox: 'install it with `apt-get update && apt-get install -y firefox-esr` (Debian)',
  'playwright-core': 'install it with `npm install` (devDependency playwright-core)',
  'puppeteer-core': 'install it with `npm install` (devDependency puppeteer-core)',
};

// ---------------------------------------------------------------------------------------------
// Options

function usage() {
  return `usage: node scripts/test-runtimes.mjs [--only ${RUNTIMES.join(',')}] [--timeout <seconds>] [--dir <path>]
  --only     comma-separated subset of runtimes (default: all, in that order)
  --timeout  per-runtime limit in seconds (default 600)
  --dir      directory with node.mjs, browser.mjs, descent.wasm (default $DESCENT_TEST_DIR or build/test)`;
}

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      only: { type: 'string' },
      timeout: { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${usage()}`);
  process.exit(2);
}
if (opts.help) {
  console.log(usage());
  process.exit(0);
}
const selected = opts.only ? opts.only.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : RUNTIMES;
const unknown = selected.filter((r) => !RUNTIMES.includes(r));
if (unknown.length || !selected.length) {
  console.error(`unknown runtime(s) in --only: ${unknown.join(', ') || '(none given)'}\n${usage()}`);
  process.exit(2);
}
const ORDER = RUNTIMES.filter((r) => selected.includes(r));
const timeoutS = opts.timeout === undefined ? 600 : Number(opts.timeout);
if (!(timeoutS > 0)) {
  console.error(`--timeout must be a positive number of seconds, got ${opts.timeout}\n${usage()}`);
  process.exit(2);
}
const TIMEOUT_MS = Math.round(timeoutS * 1000);
const DIR = opts.dir
  ? path.resolve(opts.dir)
  : process.env.DESCENT_TEST_DIR
    ? path.resolve(process.env.DESCENT_TEST_DIR)
    : path.join(REPO, 'build/test');

// ---------------------------------------------------------------------------------------------
// Output: every runtime's lines are streamed with a prefix and kept (ANSI-free) for parsing.

const TTY = !!process.stdout.isTTY && process.env.NO_COLOR == null && process.env.TERM !== 'dumb';
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const strip = (s) => s.replace(ANSI, '');
const paint = (code, s) => (TTY ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = (s) => paint('1', s);
const red = (s) => paint('31', s);
const green = (s) => paint('32', s);
const dim = (s) => paint('2', s);
const PREFIX_WIDTH = Math.max(...ORDER.map((r) => r.length)) + 2;
const rel = (p) => (path.relative(REPO, p).startsWith('..') ? p : path.relative(REPO, p) || '.');

class Capture {
  constructor(name) {
    this.name = name;
    this.prefix = `[${name}]`.padEnd(PREFIX_WIDTH) + ' ';
    this.lines = []; // ANSI-free, in arrival order (stdout and stderr interleaved by line)
    this.partial = { out: '', err: '' };
    this.onLine = null;
  }
  write(chunk, stream = 'out') {
    const text = this.partial[stream] + chunk;
    const parts = text.split('\n');
    this.partial[stream] = parts.pop();
    for (const line of parts) this.emit(line);
  }
  flush() {
    for (const stream of ['out', 'err']) {
      if (this.partial[stream]) this.emit(this.partial[stream]);
      this.partial[stream] = '';
    }
  }
  emit(line) {
    line = line.replace(/\r$/, '');
    const plain = strip(line);
    this.lines.push(plain);
    process.stdout.write(dim(this.prefix) + (TTY ? line + '\x1b[0m' : plain) + '\n');
    this.onLine?.(plain);
  }
  // A message from the driver itself (not the runtime's output): shown, not parsed.
  note(text) {
    for (const line of String(text).split('\n')) process.stdout.write(dim(this.prefix) + line + '\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started is registered here and torn down even on failure or Ctrl-C.

const childGroups = new Set(); // pids of detached children (each leads its own process group)
const tempDirs = new Set();
const closers = new Set(); // async () => void
const abort = new AbortController();
let interrupted = false;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {}
}
function syncCleanup() {
  for (const pid of childGroups) killGroup(pid, 'SIGKILL');
  childGroups.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
  tempDirs.clear();
}
async function cleanup() {
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
async function makeTempDir(prefix) {
  const d = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Runtime results

function newResult(name) {
  return {
    name,
    version: '',
    ms: 0,
    fatal: null, // the run produced no usable result: launch/crash/timeout/missing summary
    problems: [], // further runtime-level failures, one count each
    pageErrors: [],
    summaries: [],
    determinism: new Map(), // name -> [hex, ...]
    runtimeLine: '',
    exit: null, // processes: { code, signal, timedOut }
    deadline: Date.now() + TIMEOUT_MS, // the --timeout covers everything: launch, load, tests
    stop: null, // browsers: why the driver stopped listening before the summary (timeout, interrupt)
  };
}

function parseOutput(result, lines) {
  for (const line of lines) {
    let m;
    if ((m = /^\s*Total:\s+(\d+)\s*$/.exec(line))) result.summaries.push({ total: +m[1], passed: null, skipped: null, duration: null });
    else if ((m = /^\s*Passed:\s+(\d+)\s*$/.exec(line)) && result.summaries.length) result.summaries.at(-1).passed = +m[1];
    else if ((m = /^\s*Skipped:\s+(\d+)\s*$/.exec(line)) && result.summaries.length) result.summaries.at(-1).skipped = +m[1];
    else if ((m = /^\s*Duration:\s+(.+?)\s*$/.exec(line)) && result.summaries.length) result.summaries.at(-1).duration = m[1];
    // Tests print these with console.log, which can land after uvu's bullets on one line.
    for (const d of line.matchAll(/(?:^|\s)DETERMINISM[ \t]+(\S+)[ \t]+([0-9a-fA-F]+)(?=\s|$)/g)) {
      const list = result.determinism.get(d[1]) ?? [];
      list.push(d[2].toLowerCase());
      result.determinism.set(d[1], list);
    }
    if (!result.runtimeLine && (m = /(?:^|\s)RUNTIME (.+)$/.exec(line))) result.runtimeLine = m[1].trim();
  }
}

const remaining = (result) => Math.max(0, result.deadline - Date.now());

const summaryOf = (r) => {
  const s = r.summaries.at(-1);
  return s && s.passed !== null ? { ...s, skipped: s.skipped ?? 0 } : null;
};

// ---------------------------------------------------------------------------------------------
// Node, Deno, Bun: a child process running node.mjs

function versionOf(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20000 }, (err, stdout) => resolve(err ? '' : String(stdout).split('\n')[0].trim()));
  });
}

function runProcess(cap, result, cmd, args, env) {
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
      stop(`timed out after ${timeoutS} s: killing it`);
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

function judgeProcess(result) {
  const { exit } = result;
  if (result.fatal || !exit) return;
  const s = summaryOf(result);
  const failedTests = s ? Math.max(0, s.total - s.passed) : 0;
  if (exit.timedOut || interrupted) {
    const why = interrupted ? 'interrupted' : `timed out after ${timeoutS} s`;
    if (!s) result.fatal = `${why} (no uvu summary)`;
    else result.problems.push(interrupted ? 'interrupted after the summary' : `did not exit within ${timeoutS} s although the summary was printed (an open handle keeps it alive?)`);
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

async function runNode(cap, result) {
  result.version = `node ${process.version}`;
  await runProcess(cap, result, process.execPath, [path.join(DIR, 'node.mjs')], TTY ? { FORCE_COLOR: '1' } : {});
}

async function runDeno(cap, result) {
  if (!existsSync(DENO)) {
    result.fatal = `deno not found at ${rel(DENO)}: ${INSTALL.deno}`;
    return;
  }
  const env = { DENO_NO_UPDATE_CHECK: '1', ...(TTY ? { FORCE_COLOR: '1' } : {}) };
  result.version = (await versionOf(DENO, ['--version'])).replace(/\s*\(.*$/, '') || 'deno (version unknown)';
  // Read: the bundle reads descent.wasm next to itself; tests may read fixtures in the repo.
  // Env: only what uvu's colour library reads. No network, no prompts, no config/lock file
  // discovery (nothing gets written into the repo), no remote module fetches.
  const read = [REPO, DIR].filter((d, i, a) => a.indexOf(d) === i && (i === 0 || !d.startsWith(REPO + path.sep)));
  await runProcess(cap, result, DENO, [
    'run', '--no-prompt', '--no-config', '--no-lock', '--cached-only',
    `--allow-read=${read.join(',')}`, `--allow-env=${DENO_ENV}`,
    path.join(DIR, 'node.mjs'),
  ], env);
}

async function runBun(cap, result) {
  if (!existsSync(BUN)) {
    result.fatal = `bun not found at ${rel(BUN)}: ${INSTALL.bun}`;
    return;
  }
  const v = await versionOf(BUN, ['--version']);
  result.version = v ? `bun ${v}` : 'bun (version unknown)';
  await runProcess(cap, result, BUN, [path.join(DIR, 'node.mjs')], TTY ? { FORCE_COLOR: '1' } : {});
}

// ---------------------------------------------------------------------------------------------
// Browsers: test/browser.html from the static server; the console is the only output channel.

let server = null;
let currentCapture = null;
async function ensureServer() {
  if (server) return server;
  server = await startStaticServer({
    root: DIR,
    page: path.join(REPO, 'test/browser.html'),
    onRequest: ({ method, url, status }) => {
      if (status !== 200) currentCapture?.note(`static server: ${status} ${method} ${url}`);
    },
  });
  closers.add(() => server.close());
  return server;
}

// uvu writes with console.log in a browser, one call per fragment ("• ", a suite name, "\n  Total: 3").
// Rebuild the stream a terminal would show: uvu fragments are written as they are, every
// other message is a line of its own.
function isUvuFragment(plain) {
  return plain === '• ' || plain === '✘ ' || plain.startsWith('\n') || plain.endsWith('\n') ||
    (plain.length > 3 && plain.startsWith(' ') && plain.endsWith('  ') && !plain.includes('\n'));
}

class BrowserSession {
  constructor(cap, result) {
    this.cap = cap;
    this.result = result;
    this.nativeErrors = []; // from the driver's own page-error events; deduplicated at the end
    this.finished = false;
    this.done = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.finish(`timed out after ${timeoutS} s`), remaining(result));
    this.onAbort = () => this.finish('interrupted');
    abort.signal.addEventListener('abort', this.onAbort, { once: true });
    cap.onLine = (plain) => {
      if (/^\s*Duration:\s/.test(plain) && !this.graceTimer) this.graceTimer = setTimeout(() => this.finish(null), BROWSER_GRACE_MS);
    };
  }
  console(type, text) {
    if (this.finished) return;
    if (this.idleTimer) this.idleTimer.refresh();
    if (text.startsWith('__descent__ ')) return this.marker(text.slice(12));
    const plain = strip(text);
    if (isUvuFragment(plain) && (type === 'log' || type === 'info')) this.cap.write(text, 'out');
    else this.cap.write((type === 'log' || type === 'info' ? '' : `(console.${type}) `) + text + '\n', 'out');
  }
  marker(text) {
    if (text === 'imported') return;
    const m = /^page-error ([^:]*): ([\s\S]*)$/.exec(text);
    if (!m) return;
    this.pageError(`${m[1]}: ${m[2]}`);
    if (m[1].startsWith('import')) {
      // Nothing more may come: stop once the console has been quiet for a while.
      this.idleTimer = setTimeout(() => this.finish(null), IMPORT_FAIL_IDLE_MS);
    }
  }
  pageError(text) {
    text = text.trimEnd();
    this.result.pageErrors.push(text);
    this.cap.write(`${red('PAGE ERROR')} ${text}\n`, 'err');
  }
  native(text) {
    if (!this.finished) this.nativeErrors.push(text);
  }
  fatal(why) {
    if (!this.finished) this.result.fatal ??= why;
    this.finish(null);
  }
  finish(why) {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    clearTimeout(this.graceTimer);
    clearTimeout(this.idleTimer);
    abort.signal.removeEventListener('abort', this.onAbort);
    this.cap.flush();
    // Errors seen only by the browser protocol (the page's own handlers missed them).
    const firstLine = (s) => s.split('\n')[0].replace(/^(Uncaught )?(\w*Error: )?/, '').trim();
    for (const n of this.nativeErrors) {
      const key = firstLine(n);
      if (!this.result.pageErrors.some((p) => p.includes(key))) this.pageError(`(reported by the browser) ${n}`);
    }
    this.cap.flush();
    if (why) this.result.stop ??= why;
    this.resolve();
  }
}

function judgeBrowser(result) {
  if (result.fatal) return;
  const s = summaryOf(result);
  if (!s) {
    const after = result.pageErrors.length ? ` after page error(s): ${result.pageErrors[0].split('\n')[0]}` : '';
    result.fatal = `${result.stop ?? 'no uvu summary'}${result.stop ? ' (no uvu summary)' : ''}${after}`;
    return;
  }
  if (result.stop) result.problems.push(`${result.stop} after the summary`);
  if (result.pageErrors.length) result.problems.push(`${result.pageErrors.length} page error(s)/unhandled rejection(s)`);
}

async function openSession(cap, result, page, on) {
  const srv = await ensureServer();
  currentCapture = cap;
  const session = new BrowserSession(cap, result);
  on(session);
  // Do not wait for 'load': with synchronous tests the whole run can happen before it fires.
  page.goto(`${srv.url}browser.html`, { timeout: 0, ...(result.name === 'chromium' ? { waitUntil: 'commit' } : { waitUntil: 'domcontentloaded' }) })
    .catch((e) => session.fatal(`could not load the test page: ${e.message.split('\n')[0]}`));
  await session.done;
  currentCapture = null;
}

// Launch with a deadline and an abort: a hung launch must not hang the whole run.
async function launching(promise, what, result) {
  const limit = Math.min(remaining(result), 120000);
  let timer;
  let onAbort;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not start within ${(limit / 1000).toFixed(0)} s`)), limit);
        onAbort = () => reject(new Error('interrupted'));
        abort.signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    abort.signal.removeEventListener('abort', onAbort);
  }
}

async function runChromium(cap, result) {
  if (!existsSync(CHROMIUM)) {
    result.fatal = `${CHROMIUM} not found: ${INSTALL.chromium}`;
    return;
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    result.fatal = `playwright-core cannot be loaded (${e.message.split('\n')[0]}): ${INSTALL['playwright-core']}`;
    return;
  }
  const profile = await makeTempDir('descent-chromium-');
  // docs/runtimes.md pitfall 2: a fresh profile as the persistent context's dir, not --user-data-dir.
  const launch = chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: Math.min(TIMEOUT_MS, 120000),
  });
  const close = async () => (await launch.catch(() => null))?.close().catch(() => {});
  closers.add(close);
  try {
    let context;
    try {
      context = await launching(launch, 'Chromium', result);
    } catch (e) {
      result.fatal = `could not launch ${CHROMIUM}: ${e.message.split('\n')[0]}`;
      return;
    }
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      // The UA says 156.0.0.0; the protocol knows the real version (docs/runtimes.md pitfall 2).
      const cdp = await context.newCDPSession(page);
      const { product } = await cdp.send('Browser.getVersion');
      await cdp.detach().catch(() => {});
      result.version = product.replace(/^(Headless)?Chrome\//, 'chromium ');
    } catch {
      result.version = 'chromium (version unknown)';
    }
    await openSession(cap, result, page, (session) => {
      page.on('console', (msg) => session.console(msg.type(), msg.text()));
      page.on('pageerror', (err) => session.native(err.stack || err.message || String(err)));
      page.on('crash', () => session.fatal('the page crashed'));
      context.on('close', () => session.fatal('the browser closed unexpectedly'));
    });
  } finally {
    closers.delete(close);
    await close();
    await rm(profile, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    tempDirs.delete(profile);
  }
}

async function runFirefox(cap, result) {
  if (!existsSync(FIREFOX)) {
    result.fatal = `${FIREFOX} not found: ${INSTALL.firefox}`;
    return;
  }
  let puppeteer;
  try {
    puppeteer = (await import('puppeteer-core')).default;
  } catch (e) {
    result.fatal = `puppeteer-core cannot be loaded (${e.message.split('\n')[0]}): ${INSTALL['puppeteer-core']}`;
    return;
  }
  // Our own profile dir, so it is removed even if puppeteer never gets to clean up.
  const profile = await makeTempDir('descent-firefox-');
  const launch = puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: Math.min(TIMEOUT_MS, 120000),
    protocolTimeout: TIMEOUT_MS + 60000,
  });
  const close = async () => (await launch.catch(() => null))?.close().catch(() => {});
  closers.add(close);
  try {
    let browser;
    try {
      browser = await launching(launch, 'Firefox', result);
    } catch (e) {
      result.fatal = `could not launch ${FIREFOX}: ${e.message.split('\n')[0]}`;
      return;
    }
    try {
      result.version = (await browser.version()).replace(/^firefox\//i, 'firefox ');
    } catch {
      result.version = 'firefox (version unknown)';
    }
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    await openSession(cap, result, page, (session) => {
      page.on('console', (msg) => session.console(msg.type(), msg.text()));
      page.on('pageerror', (err) => session.native(err?.stack || err?.message || String(err)));
      page.on('error', (err) => session.fatal(`the page crashed: ${err?.message ?? err}`));
      browser.on('disconnected', () => session.fatal('the browser closed unexpectedly'));
    });
  } finally {
    closers.delete(close);
    await close();
    await rm(profile, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    tempDirs.delete(profile);
  }
}

// ---------------------------------------------------------------------------------------------
// Main

const RUNNERS = { node: runNode, deno: runDeno, bun: runBun, chromium: runChromium, firefox: runFirefox };
const BUNDLE = { node: 'node.mjs', deno: 'node.mjs', bun: 'node.mjs', chromium: 'browser.mjs', firefox: 'browser.mjs' };

async function runOne(name) {
  const cap = new Capture(name);
  const result = newResult(name);
  const t0 = performance.now();
  process.stdout.write(`\n${bold(`── ${name} `)}${dim('─'.repeat(Math.max(0, 60 - name.length)))}\n`);
  const bundle = path.join(DIR, BUNDLE[name]);
  if (!existsSync(bundle)) {
    result.fatal = `missing ${bundle}: build the test bundles first (or pass --dir / DESCENT_TEST_DIR)`;
  } else {
    try {
      await RUNNERS[name](cap, result);
    } catch (e) {
      result.fatal ??= `driver error: ${e?.stack ?? e}`;
    }
  }
  cap.flush();
  cap.onLine = null;
  result.ms = performance.now() - t0;
  parseOutput(result, cap.lines);
  if (BUNDLE[name] === 'node.mjs') judgeProcess(result);
  else judgeBrowser(result);
  if (result.summaries.length > 1) {
    result.problems.push(`uvu printed ${result.summaries.length} summaries (its exec ran more than once: suites registered after the run started?)`);
  }
  if (result.runtimeLine && !result.version) result.version = result.runtimeLine;
  if (result.fatal) cap.note(red(`FAILED: ${result.fatal}`));
  return result;
}

function pad(s, n, right = false) {
  s = String(s);
  const w = [...strip(s)].length;
  return right ? ' '.repeat(Math.max(0, n - w)) + s : s + ' '.repeat(Math.max(0, n - w));
}

function report(results, notRun) {
  const node = results.find((r) => r.name === 'node');
  const nodeSummary = node && summaryOf(node);
  // A bundle whose suites were all dropped (e.g. tree-shaken imports) would "pass" with no test.
  for (const r of results) {
    const s = summaryOf(r);
    if (s && !r.fatal && s.total === 0) r.problems.push('ran no test at all: is the test bundle empty?');
  }
  if (nodeSummary) {
    const declared = nodeSummary.total + nodeSummary.skipped;
    for (const r of results) {
      const s = summaryOf(r);
      if (r === node || r.fatal || !s) continue;
      // uvu's Total leaves out skipped tests, so compare declared tests: Total + Skipped.
      if (s.total + s.skipped < declared) {
        r.problems.push(`ran fewer tests than Node: ${s.total} run + ${s.skipped} skipped < ${nodeSummary.total} + ${nodeSummary.skipped}`);
      }
    }
  }

  let passed = 0;
  let failed = 0;
  const rows = [];
  for (const r of results) {
    const s = summaryOf(r);
    // uvu 0.5.6 counts only the tests it ran in Total (`.skip`ped ones are in Skipped alone),
    // so the failed tests are Total − Passed; Total − Passed − Skipped would hide failures.
    const failedTests = s && !r.fatal ? Math.max(0, s.total - s.passed) : 0;
    const runtimeFailures = (r.fatal ? 1 : 0) + r.problems.length;
    passed += s && !r.fatal ? s.passed : 0;
    failed += failedTests + runtimeFailures;
    const ok = failedTests + runtimeFailures === 0;
    rows.push({
      r, ok,
      cells: [r.name, r.version || '-', s && !r.fatal ? s.total : '-', s && !r.fatal ? s.passed : '-', s && !r.fatal ? s.skipped : '-',
        failedTests + runtimeFailures, `${(r.ms / 1000).toFixed(2)} s`],
    });
  }
  for (const name of notRun) {
    failed += 1;
    rows.push({ r: { name, fatal: 'not run (interrupted)', problems: [] }, ok: false, cells: [name, '-', '-', '-', '-', 1, '-'] });
  }

  // Determinism: every name printed by any runtime must be printed by all, with one hex.
  const ran = results.map((r) => r.name);
  const names = [...new Set(results.flatMap((r) => [...r.determinism.keys()]))].sort();
  const detFailures = [];
  for (const name of names) {
    const hexes = results.map((r) => r.determinism.get(name));
    const distinct = new Set(hexes.flatMap((h) => h ?? []));
    const complete = hexes.every((h) => h && h.length) && notRun.length === 0;
    if (complete && distinct.size === 1) {
      passed += 1;
    } else {
      failed += 1;
      const width = Math.max(...ran.map((n) => n.length)) + 2;
      const majority = [...distinct].sort((a, b) => hexes.filter((h) => h?.includes(b)).length - hexes.filter((h) => h?.includes(a)).length)[0];
      const table = results.map((r, i) => {
        const h = hexes[i];
        const shown = !h ? '(not printed)' : [...new Set(h)].join(' / ');
        const mark = !h || new Set(h).size > 1 || h[0] !== majority ? red('  ✘') : '';
        return `    ${r.name.padEnd(width)}${shown}${mark}`;
      });
      for (const n of notRun) table.push(`    ${n.padEnd(width)}(not run)${red('  ✘')}`);
      detFailures.push(`  DETERMINISM ${name}: ${!complete ? 'not printed by every runtime' : 'differs between runtimes'}\n${table.join('\n')}`);
    }
  }

  process.stdout.write(`\n${bold('── summary ')}${dim('─'.repeat(53))}\n`);
  const head = ['runtime', 'version', 'total', 'passed', 'skipped', 'failed', 'time'];
  const all = [head, ...rows.map((x) => x.cells)];
  const widths = head.map((_, i) => Math.max(...all.map((c) => [...String(c[i])].length)));
  const right = [false, false, true, true, true, true, true];
  const fmt = (cells) => '  ' + cells.map((c, i) => pad(c, widths[i], right[i])).join('  ');
  process.stdout.write(dim(fmt(head)) + '\n');
  for (const { cells, ok, r } of rows) {
    process.stdout.write(fmt(cells) + '  ' + (ok ? green('ok') : red('FAIL')) + '\n');
    if (r.fatal) process.stdout.write(`      ${red('✘')} ${r.fatal.split('\n')[0]}\n`);
    for (const p of r.problems) process.stdout.write(`      ${red('✘')} ${p}\n`);
  }
  if (!names.length) {
    process.stdout.write(`  determinism: no DETERMINISM lines were printed\n`);
  } else {
    const okCount = names.length - detFailures.length;
    process.stdout.write(`  determinism: ${okCount}/${names.length} identical across ${ran.concat(notRun).join(', ')}\n`);
    for (const f of detFailures) process.stdout.write(red(f.split('\n')[0]) + '\n' + f.split('\n').slice(1).join('\n') + '\n');
  }
  return { passed, failed };
}

async function main() {
  process.stdout.write(`${bold('descent: tests in')} ${ORDER.join(', ')}  ${dim(`(dir ${rel(DIR)}, timeout ${timeoutS} s per runtime)`)}\n`);
  const results = [];
  const notRun = [];
  try {
    for (const name of ORDER) {
      if (interrupted) {
        notRun.push(name);
        continue;
      }
      results.push(await runOne(name));
    }
  } finally {
    await cleanup();
  }
  const { passed, failed } = report(results, notRun);
  // The very last line, exactly this format.
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return interrupted ? 130 : failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    await cleanup().catch(() => {});
    console.error(e?.stack ?? e);
    process.stdout.write(`0 passed, 1 failed\n`);
    process.exit(1);
  },
);
