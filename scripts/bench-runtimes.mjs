#!/usr/bin/env node
// npm run bench:runtimes: the standard workloads (bench/runtimes/suite.ts: landscape gradients,
// the SGD ensemble, the ensemble in 2 workers) in Node, Deno, Bun, headless Chromium and headless
// Firefox, one runtime after another, and a markdown table: runtime and version, throughput per
// workload, wasm compile+instantiate time, and whether the result hash is the same everywhere.
//
//   node scripts/bench-runtimes.mjs [--json] [--quick] [--only node,deno,bun,chromium,firefox]
//
// Progress goes to stderr; the table (or, with --json, one JSON document) to stdout. Exit 1 when
// a runtime fails or the hashes differ. Timed runs are not part of `npm test`; `node bench/run.mjs
// --smoke` (a step of it) runs this with --quick --only node.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BUN, CHROMIUM, CHROMIUM_FLAGS, DENO, FIREFOX, REPO, RUNTIMES } from './runtimes.mjs';
import { startStaticServer } from './static-server.mjs';
import { workerDefine } from './worker-source.mjs';

const TIMEOUT_MS = 600_000;

const { values: opts } = parseArgs({ options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, only: { type: 'string' } } });
const ORDER = opts.only ? opts.only.split(',').map((s) => s.trim()) : RUNTIMES;
const unknown = ORDER.filter((r) => !RUNTIMES.includes(r));
if (unknown.length) {
  console.error(`unknown runtime(s): ${unknown.join(', ')}; choose from ${RUNTIMES.join(', ')}`);
  process.exit(2);
}
const log = (s) => process.stderr.write(`${s}\n`);
const wasmFile = path.join(REPO, 'build/descent.wasm');
if (!existsSync(wasmFile)) {
  log('build/descent.wasm is missing: run node scripts/build.mjs (npm run bench:runtimes does)');
  process.exit(2);
}

// Bundles: the suite for Node/Deno/Bun and for browsers, with descent.wasm and the page beside them.
const DIR = mkdtempSync(path.join(tmpdir(), 'descent-bench-'));
process.on('exit', () => rmSync(DIR, { recursive: true, force: true }));
const define = await workerDefine();
await Promise.all([
  build({ entryPoints: [path.join(REPO, 'bench/runtimes/entry-node.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: path.join(DIR, 'node.mjs'), define, logLevel: 'warning' }),
  build({ entryPoints: [path.join(REPO, 'bench/runtimes/entry-browser.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', external: ['node:*'], outfile: path.join(DIR, 'bench.mjs'), define, logLevel: 'warning' }),
]);
copyFileSync(wasmFile, path.join(DIR, 'descent.wasm'));

function parseResult(text) {
  const line = text.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  return line ? JSON.parse(line.slice('BENCH_RESULT '.length)) : undefined;
}

function runProcess(name, cmd, args) {
  return new Promise((resolve) => {
    if (!existsSync(cmd)) return resolve({ error: `${cmd} not found (npm install)` });
    const child = spawn(cmd, args, { cwd: DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
    let out = '', err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; for (const l of d.split('\n')) if (l.trim()) log(`[${name}] ${l}`); });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = parseResult(out);
      resolve(result ? { result } : { error: `exit ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}` });
    });
  });
}

let server;
async function runPage(name, page, realVersion) {
  server ??= await startStaticServer({ root: DIR, page: path.join(REPO, 'bench/runtimes/page.html') });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: `timed out after ${TIMEOUT_MS / 1000} s` }), TIMEOUT_MS);
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('BENCH_RESULT ')) {
        clearTimeout(timer);
        const result = JSON.parse(text.slice('BENCH_RESULT '.length));
        if (realVersion) result.version = realVersion;
        resolve({ result });
      } else if (text.startsWith('BENCH_ERROR ')) {
        clearTimeout(timer);
        resolve({ error: text.slice('BENCH_ERROR '.length).split('\n')[0] });
      } else {
        log(`[${name}] ${text}`);
      }
    });
    page.goto(`${server.url}browser.html${opts.quick ? '?quick' : ''}`).catch((e) => { clearTimeout(timer); resolve({ error: e.message.split('\n')[0] }); });
  });
}

async function runChromium() {
  if (!existsSync(CHROMIUM)) return { error: `${CHROMIUM} not found (apt-get install chromium)` };
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'descent-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const { product } = await cdp.send('Browser.getVersion');
    return await runPage('chromium', page, product.replace(/^(Headless)?Chrome\//, ''));
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

async function runFirefox() {
  if (!existsSync(FIREFOX)) return { error: `${FIREFOX} not found (apt-get install firefox-esr)` };
  const puppeteer = (await import('puppeteer-core')).default;
  const profile = mkdtempSync(path.join(tmpdir(), 'descent-bench-firefox-'));
  const browser = await puppeteer.launch({ browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX, headless: true, userDataDir: profile, protocolTimeout: TIMEOUT_MS + 60_000 });
  try {
    const version = (await browser.version()).replace(/^firefox\//i, '');
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    return await runPage('firefox', page, version);
  } finally {
    await browser.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

const quickArg = opts.quick ? ['--quick'] : [];
const RUN = {
  node: () => runProcess('node', process.execPath, ['node.mjs', ...quickArg]),
  deno: () => runProcess('deno', DENO, ['run', '--no-prompt', '--no-config', '--no-lock', `--allow-read=${DIR}`, 'node.mjs', ...quickArg]),
  bun: () => runProcess('bun', BUN, ['node.mjs', ...quickArg]),
  chromium: runChromium,
  firefox: runFirefox,
};

const results = [];
for (const name of ORDER) {
  log(`── ${name}`);
  let r;
  try {
    r = await RUN[name]();
  } catch (e) {
    r = { error: e?.message ?? String(e) };
  }
  results.push({ name, ...r });
  if (r.error) log(`[${name}] FAILED: ${r.error}`);
}
await server?.close();

const ok = results.filter((r) => r.result);
const hashes = new Set(ok.map((r) => r.result.hash));
const identical = hashes.size === 1 && ok.length === results.length;
const workloads = ok[0]?.result.workloads.map((w) => ({ id: w.id, title: w.title, unit: w.unit })) ?? [];

if (opts.json) {
  process.stdout.write(JSON.stringify({ quick: !!opts.quick, identical, runtimes: results.map((r) => ({ name: r.name, ...(r.result ?? {}), ...(r.error ? { error: r.error } : {}) })) }, null, 2) + '\n');
} else {
  const head = ['runtime', ...workloads.map((w) => `${w.title} (${w.unit})`), 'wasm compile+instantiate (ms, first / median)', 'result hash'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 || i === head.length - 1 ? '---' : '---:')).join('|')}|`];
  for (const r of results) {
    if (!r.result) { lines.push(`| ${r.name} | ${workloads.map(() => '–').join(' | ')} | – | failed: ${r.error} |`); continue; }
    const x = r.result;
    lines.push(`| ${r.name} ${x.version} | ${x.workloads.map((w) => w.throughput.toFixed(w.throughput >= 10 ? 1 : 2)).join(' | ')} | ${x.compileMs.first.toFixed(1)} / ${x.compileMs.median.toFixed(1)} | \`${x.hash}\`${identical ? ' ✓' : ''} |`);
  }
  lines.push('', identical
    ? `Result hash identical in all ${results.length} runtimes: ${[...hashes][0]}.`
    : `✘ Result hashes differ or a runtime failed: ${[...hashes].join(', ') || 'none'}.`);
  process.stdout.write(lines.join('\n') + '\n');
}
process.exitCode = identical ? 0 : 1;
