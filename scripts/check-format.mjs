// The readability check of `npm test` (issue 22): src/ is formatted by Prettier (.prettierrc.json:
// 140 columns, single quotes; `npm run format` rewrites it), and no line of src/, bindings/ or
// assembly/ exceeds 140 characters (scripts/check-lines.mjs; AssemblyScript is not Prettier's, so
// its kernels keep their hand layout under the same limit). Exits 1 if either fails.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status === 0;
const formatted = run([`${root}node_modules/prettier/bin/prettier.cjs`, '--check', 'src/**/*.ts']);
const short = run([`${root}scripts/check-lines.mjs`, 'src', 'bindings', 'assembly']);
process.exit(formatted && short ? 0 : 1);
