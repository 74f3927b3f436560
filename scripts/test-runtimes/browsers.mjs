// Chromium and Firefox for scripts/test-runtimes.mjs: test/browser.html served by
// scripts/static-server.mjs, driven by playwright-core (Chromium) and puppeteer-core (Firefox over
// WebDriver BiDi); the page's console is the only output channel. `run` is { dir, timeoutS,
// timeoutMs } from the command line.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startStaticServer } from '../static-server.mjs';
import { CHROMIUM, CHROMIUM_FLAGS, FIREFOX, INSTALL, REPO } from '../runtimes.mjs';
import { abort, closers, makeTempDir, tempDirs } from './cleanup.mjs';
import { red, strip } from './output.mjs';
import { isUvuFragment, remaining, summaryOf } from './uvu.mjs';

const BROWSER_GRACE_MS = 300; // keep listening this long after uvu's Duration line
const IMPORT_FAIL_IDLE_MS = 5000; // after a failed import, stop once the console is quiet this long

let server = null;
let currentCapture = null;
async function ensureServer(run) {
  if (server) return server;
  server = await startStaticServer({
    root: run.dir,
    page: path.join(REPO, 'test/browser.html'),
    onRequest: ({ method, url, status }) => {
      if (status !== 200) currentCapture?.note(`static server: ${status} ${method} ${url}`);
    },
  });
  closers.add(() => server.close());
  return server;
}

class BrowserSession {
  constructor(cap, result, run) {
    this.cap = cap;
    this.result = result;
    this.nativeErrors = []; // from the driver's own page-error events; deduplicated at the end
    this.finished = false;
    this.done = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.finish(`timed out after ${run.timeoutS} s`), remaining(result));
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

/** Failures of a browser run beyond its tests: no summary, a stop before the end, page errors. */
export function judgeBrowser(result) {
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

async function openSession(cap, result, page, on, run) {
  const srv = await ensureServer(run);
  currentCapture = cap;
  const session = new BrowserSession(cap, result, run);
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

export async function runChromium(cap, result, run) {
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
    timeout: Math.min(run.timeoutMs, 120000),
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
    }, run);
  } finally {
    closers.delete(close);
    await close();
    await rm(profile, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    tempDirs.delete(profile);
  }
}

export async function runFirefox(cap, result, run) {
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
    timeout: Math.min(run.timeoutMs, 120000),
    protocolTimeout: run.timeoutMs + 60000,
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
    }, run);
  } finally {
    closers.delete(close);
    await close();
    await rm(profile, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    tempDirs.delete(profile);
  }
}
