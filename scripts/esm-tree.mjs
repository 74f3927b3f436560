// The per-module ESM build the package ships (issue 21: tree-shaking): every module of src/ and
// bindings/ transpiled on its own into build/esm/, imports kept as imports, so an application's
// bundler takes only the modules (and, with `sideEffects: false`, the statements) it uses instead
// of one prebuilt bundle holding everything. scripts/build.mjs calls it.
//
// What differs from the sources:
// - relative imports `./x.ts` become `./x.js`;
// - `#descent-wasm` (how the bytes are found: package.json "imports") becomes `#descent-wasm-js`,
//   which maps to the transpiled loaders, and those look for descent.wasm two folders up
//   (build/esm/bindings/ → build/), where the package has it;
// - the worker program (scripts/worker-source.mjs) is defined into src/worker-program.js.
// Identifiers and syntax are minified everywhere; whitespace only in the modules without a
// `/* @__PURE__ */` annotation, because whitespace minification drops the annotations that let a
// bundler drop an unused `kinds` list (it keeps the package under its 3 MB, issue 21).
import { readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build, transform } from 'esbuild';

// Modules the tree leaves out: the CLI and the plot renderer (own bundles), the worker's entry
// (inside the worker program) and the inline loader (descent/inline is its own bundle).
const SKIP = new Set(['src/cli', 'src/plots/render.ts', 'bindings/worker-entry.ts', 'bindings/wasm-inline.ts']);

/** Transpile src/ and bindings/ under `root` into `root`build/esm/, with `define` (the worker program). */
export async function buildEsmTree(root, define) {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(`${root}${dir}`, { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (SKIP.has(rel)) continue;
      if (e.isDirectory()) walk(rel);
      else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) files.push(`${root}${rel}`);
    }
  };
  walk('src');
  walk('bindings');
  const out = `${root}build/esm`;
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    entryPoints: files, outdir: out, outbase: root, bundle: false, format: 'esm', platform: 'neutral', target: 'es2022',
    minifySyntax: true, minifyIdentifiers: true, legalComments: 'none', define, logLevel: 'warning', write: false,
  });
  for (const file of result.outputFiles) {
    let text = file.text
      .replace(/(["'])(\.{1,2}\/[^"'\n]*?)\.ts\1/g, '$1$2.js$1')
      .replace(/(["'])#descent-wasm\1/g, '$1#descent-wasm-js$1');
    if (/\/bindings\/wasm-(file|fetch)\.js$/.test(file.path)) text = text.replace(/(["'])\.\/descent\.wasm\1/g, '$1../../descent.wasm$1');
    if (!text.includes('@__PURE__')) text = (await transform(text, { format: 'esm', minifyWhitespace: true, legalComments: 'none', target: 'es2022' })).code;
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, text);
  }
  return result.outputFiles.length;
}
