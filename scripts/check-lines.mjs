// Line-length check: no source line longer than 140 characters (code points, so × and ² count
// as one) in src/, bindings/, assembly/, scripts/, bench/, test/. Prints file:line: length for
// each offender and exits 1 if there is one.
//   node scripts/check-lines.mjs              every directory above
//   node scripts/check-lines.mjs assembly src only these
// Source files only (.ts .mts .mjs .js .cjs .py .sh): data such as test/fixtures/*.json is exempt.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

const MAX = 140;
const root = new URL('..', import.meta.url).pathname;
const DIRS = ['src', 'bindings', 'assembly', 'scripts', 'bench', 'test'];
const EXTENSIONS = new Set(['.ts', '.mts', '.mjs', '.js', '.cjs', '.py', '.sh']);
const SKIP = new Set(['node_modules', 'fixtures']);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (EXTENSIONS.has(extname(entry.name))) yield path;
  }
}

const dirs = process.argv.slice(2);
let offenders = 0;
for (const dir of dirs.length > 0 ? dirs : DIRS) {
  for (const file of files(join(root, dir))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, k) => {
      const length = [...line.replace(/\r$/, '')].length;
      if (length > MAX) {
        offenders++;
        console.log(`${relative(root, file)}:${k + 1}: ${length} characters`);
      }
    });
  }
}
if (offenders > 0) {
  console.log(`check-lines: ${offenders} line${offenders === 1 ? '' : 's'} over ${MAX} characters`);
  process.exitCode = 1;
}
