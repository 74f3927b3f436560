// A tiny static file server for the browser test runs (scripts/test-runtimes.mjs).
//
// Serves one directory (the test bundles: browser.mjs, descent.wasm, ...) plus one page
// (test/browser.html) at `/` and `/browser.html`, on 127.0.0.1 and an ephemeral port.
// Browsers need http:// rather than file:// (module scripts are blocked from file URLs) and
// `Content-Type: application/wasm` for WebAssembly.compileStreaming/instantiateStreaming.
//
// Only files with a known extension are served (see MIME); anything else, directories,
// missing files and paths that leave the root are 404. Only GET and HEAD.
// The responses carry COOP/COEP headers so the page is cross-origin isolated
// (SharedArrayBuffer in workers, full-resolution performance.now()).
//
// As a module:  const s = await startStaticServer({ root, page }); s.url; await s.close();
// By hand:      node scripts/static-server.mjs [dir] [--port N]   (then open the printed URL)

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
};

const HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Start the server.
 * @param {object} o
 * @param {string} o.root       directory to serve
 * @param {string} [o.page]     file served at `/` and `/browser.html` (default: <root>/browser.html)
 * @param {string} [o.host]     default 127.0.0.1 (never bind a public interface)
 * @param {number} [o.port]     default 0 (ephemeral)
 * @param {(e: {method: string, url: string, status: number}) => void} [o.onRequest]
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>, server: import('node:http').Server}>}
 */
export async function startStaticServer({ root, page, host = '127.0.0.1', port = 0, onRequest } = {}) {
  const realRoot = await realpath(path.resolve(root));
  const pageFile = page ? path.resolve(page) : null;

  async function resolveFile(urlPath) {
    if (pageFile && (urlPath === '/' || urlPath === '/browser.html')) return pageFile;
    let rel;
    try {
      rel = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (rel.includes('\0') || rel.includes('\\')) return null;
    const candidate = path.resolve(realRoot, '.' + path.posix.normalize('/' + rel));
    if (candidate !== realRoot && !candidate.startsWith(realRoot + path.sep)) return null;
    let real;
    try {
      real = await realpath(candidate); // symlinks must not lead out of the root either
    } catch {
      return null;
    }
    if (!real.startsWith(realRoot + path.sep)) return null;
    return real;
  }

  const server = createServer(async (req, res) => {
    let status = 500;
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        status = 405;
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
        return;
      }
      const urlPath = new URL(req.url, 'http://127.0.0.1').pathname;
      const file = await resolveFile(urlPath);
      const type = file && MIME[path.extname(file).toLowerCase()];
      const info = type && (await stat(file).catch(() => null));
      if (!info || !info.isFile()) {
        status = 404;
        res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      status = 200;
      res.writeHead(200, { ...HEADERS, 'Content-Type': type, 'Content-Length': info.size });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      status = 500;
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error\n');
    } finally {
      onRequest?.({ method: req.method, url: req.url, status });
    }
  });

  // Keep-alive sockets would make close() wait; track and destroy them.
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  let closing = null;
  return {
    server,
    port: actualPort,
    url: `http://${host}:${actualPort}/`,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

// By hand: serve a test dir with test/browser.html until Ctrl-C.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const portIdx = args.indexOf('--port');
  const port = portIdx >= 0 ? Number(args.splice(portIdx, 2)[1]) : 0;
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const root = path.resolve(args[0] ?? process.env.DESCENT_TEST_DIR ?? path.join(repo, 'build/test'));
  const s = await startStaticServer({
    root,
    page: path.join(repo, 'test/browser.html'),
    port,
    onRequest: (e) => console.log(`${e.status} ${e.method} ${e.url}`),
  });
  console.log(`serving ${root} at ${s.url}browser.html (Ctrl-C to stop)`);
  const stop = () => s.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
