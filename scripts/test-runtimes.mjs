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
//
// The parts, under scripts/test-runtimes/: processes.mjs (Node, Deno, Bun), browsers.mjs
// (Chromium, Firefox), uvu.mjs (reading uvu's output), report.mjs (the summary), and output.mjs
// and cleanup.mjs, which they share.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, RUNTIMES } from './runtimes.mjs';
import { judgeBrowser, runChromium, runFirefox } from './test-runtimes/browsers.mjs';
import { cleanup, handleSignals, interrupted } from './test-runtimes/cleanup.mjs';
import { bold, Capture, dim, red, rel } from './test-runtimes/output.mjs';
import { judgeProcess, runBun, runDeno, runNode } from './test-runtimes/processes.mjs';
import { report } from './test-runtimes/report.mjs';
import { newResult, parseOutput } from './test-runtimes/uvu.mjs';

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
/** What the runners need from the command line. */
const RUN = { dir: DIR, timeoutS, timeoutMs: TIMEOUT_MS };
const PREFIX_WIDTH = Math.max(...ORDER.map((r) => r.length)) + 2;

handleSignals();

// ---------------------------------------------------------------------------------------------
// Main

const RUNNERS = { node: runNode, deno: runDeno, bun: runBun, chromium: runChromium, firefox: runFirefox };
const BUNDLE = { node: 'node.mjs', deno: 'node.mjs', bun: 'node.mjs', chromium: 'browser.mjs', firefox: 'browser.mjs' };

async function runOne(name) {
  const cap = new Capture(name, PREFIX_WIDTH);
  const result = newResult(name, TIMEOUT_MS);
  const t0 = performance.now();
  process.stdout.write(`\n${bold(`── ${name} `)}${dim('─'.repeat(Math.max(0, 60 - name.length)))}\n`);
  const bundle = path.join(DIR, BUNDLE[name]);
  if (!existsSync(bundle)) {
    result.fatal = `missing ${bundle}: build the test bundles first (or pass --dir / DESCENT_TEST_DIR)`;
  } else {
    try {
      await RUNNERS[name](cap, result, RUN);
    } catch (e) {
      result.fatal ??= `driver error: ${e?.stack ?? e}`;
    }
  }
  cap.flush();
  cap.onLine = null;
  result.ms = performance.now() - t0;
  parseOutput(result, cap.lines);
  if (BUNDLE[name] === 'node.mjs') judgeProcess(result, RUN);
  else judgeBrowser(result);
  if (result.summaries.length > 1) {
    result.problems.push(`uvu printed ${result.summaries.length} summaries (its exec ran more than once: suites registered after the run started?)`);
  }
  if (result.runtimeLine && !result.version) result.version = result.runtimeLine;
  if (result.fatal) cap.note(red(`FAILED: ${result.fatal}`));
  return result;
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
