// Serve the repository root on 127.0.0.1 and print the browser example's URL (npm run example:browser).
// A static server, not file://: module scripts and the .wasm need http (scripts/static-server.mjs).
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/static-server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.argv[process.argv.indexOf('--port') + 1]) || 0;
const s = await startStaticServer({ root, port });
console.log(`open ${s.url}examples/browser/index.html   (Ctrl-C to stop)`);
const stop = () => s.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
