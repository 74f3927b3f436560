// Node, Deno and Bun: read descent.wasm beside this bundle, run the suite, print one
// `BENCH_RESULT <json>` line (scripts/bench-runtimes.mjs parses it). Argument: --quick.
import { readFileSync } from 'node:fs';
import { runSuite } from './suite.ts';

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const runtime = g.Deno ? 'deno' : g.Bun ? 'bun' : 'node';
const version = g.Deno ? g.Deno.version.deno : g.Bun ? g.Bun.version : process.version.slice(1);
const wasm = new Uint8Array(readFileSync(new URL('./descent.wasm', import.meta.url)));
const result = await runSuite(wasm, runtime, version, process.argv.includes('--quick'), (s) => console.error(s));
console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
