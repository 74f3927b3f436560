#!/usr/bin/env node
// Every gallery entry at reduced scale, its theory asserted: one check per table row (measured
// within the row's stated tolerance of the independent prediction), plus one per entry that it
// runs and builds its plot specs. Ends with `N passed, N failed`. Needs the build.
//   node scripts/test-gallery.mjs [--only name,name]
import { entries, load } from '../gallery/index.mjs';
import { fmt } from '../gallery/lib/table.mjs';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
let passed = 0,
  failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? '✓' : '✘'} gallery: ${name}${ok || !detail ? '' : `\n  | ${detail}`}`);
};

for (const name of entries) {
  if (only && !only.includes(name)) continue;
  const t = performance.now();
  let result;
  try {
    result = await (await load(name)).run({ scale: 'ci' });
  } catch (error) {
    check(`${name} runs`, false, error?.stack ?? error);
    continue;
  }
  const specs = result.plots.every((p) => p.spec && typeof p.spec === 'object' && JSON.stringify(p.spec).length > 100);
  check(
    `${name}: runs at CI scale (${((performance.now() - t) / 1000).toFixed(1)} s), ` +
      `${result.rows.length} rows, ${result.plots.length} plot specs`,
    result.rows.length > 0 && specs,
  );
  for (const r of result.rows) {
    const iv = r.interval ? ` [${fmt(r.interval[0])}, ${fmt(r.interval[1])}]` : '';
    const want =
      r.check === 'below'
        ? `≤ ${fmt(r.predicted)} + ${fmt(r.tolerance)}`
        : r.check === 'above'
          ? `≥ ${fmt(r.predicted)} − ${fmt(r.tolerance)}`
          : `${fmt(r.predicted)} ± ${fmt(r.tolerance)}`;
    check(`${name}: ${r.quantity}: measured ${fmt(r.measured)}${iv}, theory ${want}`, r.pass);
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
