// The wasm heap ceiling both Pyodide hosts (the browser worker, the Node child) install before Pyodide
// loads. Isomorphic.

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
// lib is ES2023 without DOM, so the one WebAssembly shape needed here is spelled out.
const wasmMemoryPrototype = (
  globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory } } }
).WebAssembly.Memory.prototype;

/**
 * Caps the wasm heap: Emscripten grows memory only through `WebAssembly.Memory.prototype.grow`, and when
 * that throws, malloc fails and Python raises MemoryError instead of the process exhausting the machine.
 * Installed before Pyodide loads, non-configurable so later JS cannot put the original back.
 */
export function capWasmMemory(maxBytes: number, onCapReached: () => void): void {
  const grow = wasmMemoryPrototype.grow;
  // Not grow.call(…): model code can replace Function.prototype.call and be handed the real grow.
  const apply = Reflect.apply;
  // The check reads memory.buffer.byteLength: pin both getters so model code cannot fake the size.
  Object.defineProperty(wasmMemoryPrototype, 'buffer', { configurable: false });
  Object.defineProperty(ArrayBuffer.prototype, 'byteLength', { configurable: false });
  Object.defineProperty(wasmMemoryPrototype, 'grow', {
    value: function cappedGrow(this: WasmMemory, pages: number): number {
      if (this.buffer.byteLength + pages * 65536 > maxBytes) {
        onCapReached();
        throw new RangeError(`localds sandbox: wasm memory limit of ${maxBytes} bytes reached`);
      }
      return apply(grow, this, [pages]);
    },
    writable: false,
    configurable: false,
  });
}
