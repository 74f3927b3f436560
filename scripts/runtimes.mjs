// Where the five runtimes are and how to start the browsers: shared by the test driver
// (scripts/test-runtimes.mjs) and the benchmark driver (scripts/bench-runtimes.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RUNTIMES = ['node', 'deno', 'bun', 'chromium', 'firefox'];
export const DENO = path.join(REPO, 'node_modules/.bin/deno');
export const BUN = path.join(REPO, 'node_modules/.bin/bun');
export const CHROMIUM = '/usr/bin/chromium';
export const FIREFOX = '/usr/bin/firefox-esr';
// docs/runtimes.md pitfall 1: as root Chromium needs --no-sandbox; the networking flags stop it
// from trying to reach the (closed) network.
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// How to install each runtime (and the browser drivers) when it is missing: the test driver's
// messages (scripts/test-runtimes/).
export const INSTALL = {
  deno: 'install it with `npm install` (devDependency deno, pinned at 2.9.5)',
  bun: 'install it with `npm install` (devDependency bun)',
  chromium: 'install it with `apt-get update && apt-get install -y chromium` (Debian)',
  firefox: 'install it with `apt-get update && apt-get install -y firefox-esr` (Debian)',
  'playwright-core': 'install it with `npm install` (devDependency playwright-core)',
  'puppeteer-core': 'install it with `npm install` (devDependency puppeteer-core)',
};
