#!/usr/bin/env node
// npm run gallery: every gallery entry (gallery/*.mjs) at full scale, rebuilding docs/gallery/:
// one page per entry (the claim and its source, the setup, the plots, the table of measured
// against predicted numbers with intervals, what the run shows that the theory does not) and
// the index docs/gallery/README.md. Plots are drawn by descent's own plotting (descent.plots
// specs, rendered by descent/plots' toSVG) into docs/gallery/img/. Needs the build.
//   node scripts/gallery.mjs [--only name,name] [--scale full|ci]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toSVG } from '../build/descent.plots.mjs';
import { entries, load } from '../gallery/index.mjs';
import { fmt } from '../gallery/lib/table.mjs';

const root = new URL('..', import.meta.url).pathname;
const arg = (name) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const only = arg('only')?.split(','),
  scale = arg('scale') ?? 'full';
const out = join(root, 'docs/gallery'),
  img = join(out, 'img');
mkdirSync(img, { recursive: true });

const interval = (r) => (r.interval ? `[${fmt(r.interval[0])}, ${fmt(r.interval[1])}]` : '–');
const cell = (s) => String(s).replaceAll('|', '\\|');
const rule = (r) =>
  r.check === 'below'
    ? `≤ predicted + ${fmt(r.tolerance)}`
    : r.check === 'above'
      ? `≥ predicted − ${fmt(r.tolerance)}`
      : `± ${fmt(r.tolerance)}`;

function page(meta, result, seconds) {
  const lines = [`# ${meta.title}`, '', `**Claim.** ${meta.claim}`, '', `*Source:* ${meta.source}`, '', '## Setup', '', meta.setup, ''];
  for (const p of result.plots) lines.push(`![${p.caption}](img/${meta.name}-${p.name}.svg)`, '', `*${p.caption}*`, '');
  lines.push(
    '## Measured against predicted',
    '',
    '| quantity | measured | 95% interval | predicted | allowed | |',
    '|---|--:|---|--:|---|---|',
  );
  for (const r of result.rows)
    lines.push(`| ${cell(r.quantity)} | ${fmt(r.measured)} | ${interval(r)} | ${fmt(r.predicted)} | ${rule(r)} | ${r.pass ? '✓' : '✘'} |`);
  const passed = result.rows.filter((r) => r.pass).length;
  lines.push('', `${passed} of ${result.rows.length} rows within the allowed distance of the theory.`, '');
  lines.push('## What the run shows that the theory does not', '');
  for (const n of result.notes ?? []) lines.push(`- ${n}`);
  if (!result.notes?.length) lines.push('- Nothing beyond the theory at this scale.');
  lines.push(
    '',
    '## Reproduce',
    '',
    '```sh',
    `npm run build && node scripts/gallery.mjs --only ${meta.name}   # ${seconds.toFixed(0)} s on this project's 2-core machine`,
    '```',
    '',
    `The entry is [gallery/${meta.name}.mjs](../../gallery/${meta.name}.mjs) (public API only); ` +
      'CI runs it at reduced scale and asserts every row (scripts/test-gallery.mjs).',
    '',
  );
  return lines.join('\n');
}

const index = [];
for (const name of entries) {
  const meta = (await load(name)).meta;
  if (only && !only.includes(name)) {
    const file = join(out, `${name}.md`);
    if (existsSync(file)) index.push({ meta, summary: /(\d+) of (\d+) rows/.exec(readFileSync(file, 'utf8'))?.[0] ?? '' });
    continue;
  }
  const t = performance.now();
  const result = await (await load(name)).run({ scale });
  const seconds = (performance.now() - t) / 1000;
  for (const p of result.plots) writeFileSync(join(img, `${name}-${p.name}.svg`), await toSVG(p.spec));
  writeFileSync(join(out, `${name}.md`), page(meta, result, seconds));
  const passed = result.rows.filter((r) => r.pass).length;
  index.push({ meta, summary: `${passed} of ${result.rows.length} rows` });
  console.log(`${name}: ${passed}/${result.rows.length} rows pass, ${seconds.toFixed(1)} s`);
}
writeFileSync(
  join(out, 'README.md'),
  [
    '# Gallery: the phenomena of gradient methods, measured against theory',
    '',
    "Each entry runs a short script on descent's public API, draws its plots with descent's own plotting, and puts the measured numbers",
    'next to a prediction computed independently of the simulation (closed forms, exact computations on the discrete chain in plain',
    'JavaScript, asymptotic laws), with confidence intervals from fixed seeds. `npm run gallery` rebuilds every page;',
    '`node scripts/test-gallery.mjs` runs each entry at reduced scale and fails when a row leaves its tolerance.',
    '',
    '| entry | claim | rows within tolerance |',
    '|---|---|---|',
    ...index.map(({ meta, summary }) => `| [${meta.title}](${meta.name}.md) | ${cell(meta.claim)} | ${summary} |`),
    '',
  ].join('\n'),
);
