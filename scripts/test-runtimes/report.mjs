// The summary of scripts/test-runtimes.mjs: one row per runtime (version, tests, failures, time),
// the runtime-level checks that need every result (no empty bundle, no fewer tests than Node),
// and the determinism check (every DETERMINISM name printed by all runtimes, with one hex).
import { bold, dim, green, red, strip } from './output.mjs';
import { summaryOf } from './uvu.mjs';

function pad(s, n, right = false) {
  s = String(s);
  const w = [...strip(s)].length;
  return right ? ' '.repeat(Math.max(0, n - w)) + s : s + ' '.repeat(Math.max(0, n - w));
}

/** Print the summary table and the determinism check; returns the counts for the last line. */
export function report(results, notRun) {
  const node = results.find((r) => r.name === 'node');
  const nodeSummary = node && summaryOf(node);
  // A bundle whose suites were all dropped (e.g. tree-shaken imports) would "pass" with no test.
  for (const r of results) {
    const s = summaryOf(r);
    if (s && !r.fatal && s.total === 0) r.problems.push('ran no test at all: is the test bundle empty?');
  }
  if (nodeSummary) {
    const declared = nodeSummary.total + nodeSummary.skipped;
    for (const r of results) {
      const s = summaryOf(r);
      if (r === node || r.fatal || !s) continue;
      // uvu's Total leaves out skipped tests, so compare declared tests: Total + Skipped.
      if (s.total + s.skipped < declared) {
        r.problems.push(`ran fewer tests than Node: ${s.total} run + ${s.skipped} skipped < ${nodeSummary.total} + ${nodeSummary.skipped}`);
      }
    }
  }

  let passed = 0;
  let failed = 0;
  const rows = [];
  for (const r of results) {
    const s = summaryOf(r);
    // uvu 0.5.6 counts only the tests it ran in Total (`.skip`ped ones are in Skipped alone),
    // so the failed tests are Total − Passed; Total − Passed − Skipped would hide failures.
    const failedTests = s && !r.fatal ? Math.max(0, s.total - s.passed) : 0;
    const runtimeFailures = (r.fatal ? 1 : 0) + r.problems.length;
    passed += s && !r.fatal ? s.passed : 0;
    failed += failedTests + runtimeFailures;
    const ok = failedTests + runtimeFailures === 0;
    rows.push({
      r, ok,
      cells: [r.name, r.version || '-', s && !r.fatal ? s.total : '-', s && !r.fatal ? s.passed : '-', s && !r.fatal ? s.skipped : '-',
        failedTests + runtimeFailures, `${(r.ms / 1000).toFixed(2)} s`],
    });
  }
  for (const name of notRun) {
    failed += 1;
    rows.push({ r: { name, fatal: 'not run (interrupted)', problems: [] }, ok: false, cells: [name, '-', '-', '-', '-', 1, '-'] });
  }

  // Determinism: every name printed by any runtime must be printed by all, with one hex.
  const ran = results.map((r) => r.name);
  const names = [...new Set(results.flatMap((r) => [...r.determinism.keys()]))].sort();
  const detFailures = [];
  for (const name of names) {
    const hexes = results.map((r) => r.determinism.get(name));
    const distinct = new Set(hexes.flatMap((h) => h ?? []));
    const complete = hexes.every((h) => h && h.length) && notRun.length === 0;
    if (complete && distinct.size === 1) {
      passed += 1;
    } else {
      failed += 1;
      const width = Math.max(...ran.map((n) => n.length)) + 2;
      const majority = [...distinct].sort((a, b) => hexes.filter((h) => h?.includes(b)).length - hexes.filter((h) => h?.includes(a)).length)[0];
      const table = results.map((r, i) => {
        const h = hexes[i];
        const shown = !h ? '(not printed)' : [...new Set(h)].join(' / ');
        const mark = !h || new Set(h).size > 1 || h[0] !== majority ? red('  ✘') : '';
        return `    ${r.name.padEnd(width)}${shown}${mark}`;
      });
      for (const n of notRun) table.push(`    ${n.padEnd(width)}(not run)${red('  ✘')}`);
      detFailures.push(`  DETERMINISM ${name}: ${!complete ? 'not printed by every runtime' : 'differs between runtimes'}\n${table.join('\n')}`);
    }
  }

  process.stdout.write(`\n${bold('── summary ')}${dim('─'.repeat(53))}\n`);
  const head = ['runtime', 'version', 'total', 'passed', 'skipped', 'failed', 'time'];
  const all = [head, ...rows.map((x) => x.cells)];
  const widths = head.map((_, i) => Math.max(...all.map((c) => [...String(c[i])].length)));
  const right = [false, false, true, true, true, true, true];
  const fmt = (cells) => '  ' + cells.map((c, i) => pad(c, widths[i], right[i])).join('  ');
  process.stdout.write(dim(fmt(head)) + '\n');
  for (const { cells, ok, r } of rows) {
    process.stdout.write(fmt(cells) + '  ' + (ok ? green('ok') : red('FAIL')) + '\n');
    if (r.fatal) process.stdout.write(`      ${red('✘')} ${r.fatal.split('\n')[0]}\n`);
    for (const p of r.problems) process.stdout.write(`      ${red('✘')} ${p}\n`);
  }
  if (!names.length) {
    process.stdout.write(`  determinism: no DETERMINISM lines were printed\n`);
  } else {
    const okCount = names.length - detFailures.length;
    process.stdout.write(`  determinism: ${okCount}/${names.length} identical across ${ran.concat(notRun).join(', ')}\n`);
    for (const f of detFailures) process.stdout.write(red(f.split('\n')[0]) + '\n' + f.split('\n').slice(1).join('\n') + '\n');
  }
  return { passed, failed };
}
