// Browsers: fetch descent.wasm beside this bundle, run the suite, log one `BENCH_RESULT <json>`
// line (the driver reads the console). `?quick` in the page URL shortens the budgets.
import { runSuite } from './suite.ts';

const quick = new URLSearchParams(location.search).has('quick');
const ua = navigator.userAgent;
const runtime = /Firefox\//.test(ua) ? 'firefox' : /Chrome\//.test(ua) ? 'chromium' : 'browser';
const version = (/(?:Firefox|Chrome)\/([\d.]+)/.exec(ua) ?? [])[1] ?? ua;
try {
  const wasm = new Uint8Array(await (await fetch(new URL('./descent.wasm', import.meta.url))).arrayBuffer());
  const result = await runSuite(wasm, runtime, version, quick, (s) => console.log(s));
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
} catch (e) {
  console.log(`BENCH_ERROR ${(e as Error)?.stack ?? e}`);
}
