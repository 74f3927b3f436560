// Default .wasm source in browsers: fetched from beside the bundle. The server must send
// Content-Type: application/wasm (compileStreaming rejects anything else); if it does not,
// init() falls back to compiling the bytes. (package.json "imports" condition "browser".)

/** Fetch descent.wasm from beside the running bundle. */
export async function defaultWasmBytes(): Promise<Response> {
  const url = new URL('./descent.wasm', import.meta.url);
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`fetching ${url.href} failed with HTTP ${response.status}; ` +
      'serve descent.wasm next to the bundle, or pass init({ wasm })');
  }
  return response;
}
