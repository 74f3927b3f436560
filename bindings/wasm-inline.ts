// .wasm source of the self-contained bundle: the bytes are inlined by esbuild's binary loader,
// so nothing is fetched or read (package.json "imports" condition "descent-inline").
// @ts-ignore: resolved by esbuild (--loader:.wasm=binary), not by tsc.
import bytes from '../build/descent.wasm';

/** The inlined module bytes. */
export async function defaultWasmBytes(): Promise<BufferSource> {
  return bytes as Uint8Array<ArrayBuffer>;
}
