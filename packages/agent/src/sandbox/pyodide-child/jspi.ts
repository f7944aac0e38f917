// JSPI lets Pyodide suspend WebAssembly on a JS promise (`pyodide.ffi.run_sync`). urllib3's emscripten
// backend, and so `requests`, needs it to make a request in Node (it has no synchronous XHR there). Node
// 24 ships JSPI; older releases take a V8 flag whose name changed, so the one this Node accepts is probed.
import { spawnSync } from 'node:child_process';

const CANDIDATES = ['--experimental-wasm-jspi', '--experimental-wasm-stack-switching'];
let cached: string[] | undefined;

/** This Node has JSPI without a flag (Node 24+): a child has it whatever it is told. */
export function jspiBuiltIn(): boolean {
  // lib is ES2023 without DOM: WebAssembly is reached through globalThis.
  return 'Suspending' in (globalThis as unknown as { WebAssembly: object }).WebAssembly;
}

/** The node flag that turns JSPI on for a sandbox child ([] when it is on already or not available). */
export function jspiFlags(): string[] {
  if (cached) return cached;
  if (jspiBuiltIn()) return (cached = []);
  const accepted = CANDIDATES.find(
    (flag) =>
      spawnSync(process.execPath, [flag, '-e', '0'], { stdio: 'ignore', timeout: 10_000 })
        .status === 0,
  );
  return (cached = accepted ? [accepted] : []);
}
