// Default .wasm source for Node, Deno and Bun: the file next to the bundle. (Selected through
// package.json "imports" → "#descent-wasm", condition "default".)
import { readFile } from 'node:fs/promises';

/** Read descent.wasm from beside the running bundle. */
export async function defaultWasmBytes(): Promise<BufferSource> {
  const bytes = await readFile(new URL('./descent.wasm', import.meta.url));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
