// What the two Pyodide hosts do alike (the browser worker and the Node child, like JupyterLite's
// PyodideRemoteKernel behind its two transports): load the harness's packages, install the localds
// kernel, and run one cell at a time under the output budgets. Isomorphic: each host says how outputs
// leave it (a MessagePort, Node IPC).
import type { PyodideAPI } from 'pyodide';
import { KERNEL_PY } from '../kernel/kernel-py.js';
import { StreamLimiter, type StreamName } from '../kernel/outputs.js';
import type { FigureInfo } from '../types.js';
import type { RichOutput } from '../kernel/wire-schemas.js';

/** The part of TextDecoder used here; each host hands in its own (captured before model code runs). */
interface StreamDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/** Where a cell's outputs go as they are produced. */
export interface CellSink {
  stream(cell: number, name: StreamName, text: string): void;
  display(cell: number, output: RichOutput): void;
}

export interface CellLimits {
  /** stdout+stderr bytes kept per cell */
  maxOutputBytes: number;
  /** characters of rich outputs (results, figures, errors) kept per cell */
  maxRichOutputBytes: number;
}

/** How a cell went, as the kernel (kernel-py.ts) and its host saw it. */
export interface PyodideCellEnd {
  status: 'ok' | 'error';
  figures: FigureInfo[];
  /** Python raised MemoryError */
  memoryError: boolean;
  /** Pyodide itself failed: the interpreter cannot be used again */
  fatal: boolean;
  /** the last error output was a KeyboardInterrupt */
  keyboardInterrupt: boolean;
  dropped: Record<StreamName, number>;
  droppedRich: number;
  /** the wasm heap's size when the cell ended: it never shrinks, so this is its peak */
  heapBytes: number;
}

interface ActiveCell {
  id: number;
  limiter: StreamLimiter;
  decoders: Record<StreamName, StreamDecoder>;
  richBytes: number;
  droppedRich: number;
  lastError: string | undefined;
}

/** The cells of one Pyodide: output goes to the running cell; output outside a cell (e.g. at boot) is dropped. */
export class PyodideCells {
  private cell: ActiveCell | null = null;
  private heapBytes: () => number = () => 0;

  constructor(
    private readonly limits: CellLimits,
    private readonly sink: CellSink,
    private readonly newDecoder: () => StreamDecoder,
  ) {}

  /** Routes Pyodide's stdout/stderr into the running cell, and makes input() raise. */
  attach(py: PyodideAPI): void {
    // Emscripten's heap view is replaced whenever the wasm memory grows: read it through the module.
    const module = (py as unknown as { _module: { HEAPU8: Uint8Array } })._module;
    this.heapBytes = () => module.HEAPU8.length;
    py.setStdout(this.streamWriter('stdout'));
    py.setStderr(this.streamWriter('stderr'));
    py.setStdin({ error: true });
  }

  private streamWriter(name: StreamName) {
    return {
      write: (buffer: Uint8Array): number => {
        const { cell } = this;
        if (cell) {
          const kept = cell.limiter.accept(name, buffer);
          const text = kept.length ? cell.decoders[name].decode(kept, { stream: true }) : '';
          if (text) this.sink.stream(cell.id, name, text);
        }
        return buffer.length;
      },
    };
  }

  /** The kernel's emit. Reachable from model code, so it keeps its own budget. */
  readonly emitRich = (json: string): void => {
    const { cell } = this;
    if (!cell) return;
    if (cell.richBytes + json.length > this.limits.maxRichOutputBytes) {
      cell.droppedRich += 1;
      return;
    }
    cell.richBytes += json.length;
    this.display(cell, JSON.parse(json) as RichOutput);
  };

  private display(cell: ActiveCell, output: RichOutput): void {
    if (output.output_type === 'error') cell.lastError = output.ename;
    this.sink.display(cell.id, output);
  }

  /** Runs `code` through the kernel as cell `id`; a failure of Pyodide itself becomes an error output. */
  async run(
    id: number,
    code: string,
    runKernel: (code: string) => Promise<string>,
  ): Promise<PyodideCellEnd> {
    const cell: ActiveCell = {
      id,
      limiter: new StreamLimiter(this.limits.maxOutputBytes),
      decoders: { stdout: this.newDecoder(), stderr: this.newDecoder() },
      richBytes: 0,
      droppedRich: 0,
      lastError: undefined,
    };
    this.cell = cell;
    let summary = {
      status: 'error' as 'ok' | 'error',
      figures: [] as FigureInfo[],
      memory_error: false,
    };
    let fatal = false;
    try {
      summary = JSON.parse(await runKernel(code)) as typeof summary;
    } catch (err) {
      const error =
        err instanceof Error
          ? err
          : new Error(String((err as { message?: unknown } | null)?.message ?? err));
      fatal =
        (typeof err === 'object' && err !== null && 'pyodide_fatal_error' in err) ||
        error.message.includes('fatal error');
      // The harness's own output, outside the rich budget: it must reach the parent.
      this.display(cell, {
        output_type: 'error',
        ename: error.name,
        evalue: error.message,
        traceback: [`${error.name}: ${error.message}`],
      });
    }
    for (const name of ['stdout', 'stderr'] as const) {
      const rest = cell.decoders[name].decode();
      if (rest) this.sink.stream(id, name, rest);
    }
    this.cell = null;
    return {
      status: summary.status,
      figures: summary.figures,
      memoryError: summary.memory_error,
      fatal,
      keyboardInterrupt: cell.lastError === 'KeyboardInterrupt',
      dropped: { ...cell.limiter.dropped },
      droppedRich: cell.droppedRich,
      heapBytes: this.heapBytes(),
    };
  }
}

/**
 * Loads the harness's packages (model code may not load any later). `from` names where they come from,
 * for the error message.
 */
export async function loadHarnessPackages(
  py: PyodideAPI,
  packages: string[],
  from?: string,
): Promise<void> {
  if (packages.length === 0) return;
  const problems: string[] = [];
  await py.loadPackage(packages, {
    messageCallback: () => undefined,
    errorCallback: (message: string) => problems.push(message),
  });
  // loadPackage logs failures instead of throwing: check what really arrived.
  const missing = packages.filter((name) => !(name in py.loadedPackages));
  if (missing.length > 0) {
    throw new Error(
      `could not load Pyodide packages ${missing.join(', ')}${from ? ` from ${from}` : ''}` +
        (problems.length ? `: ${problems.join('; ')}` : ''),
    );
  }
}

/**
 * Installs the localds kernel (kernel-py.ts) as module `_localds_kernel`, pushing rich outputs to `emit`;
 * returns the function that runs a cell and answers the kernel's JSON summary.
 */
export function installKernel(
  py: PyodideAPI,
  emit: (json: string) => void,
  maxReprChars: number,
): (code: string) => Promise<string> {
  py.globals.set('_localds_source', KERNEL_PY);
  py.globals.set('_localds_emit', emit);
  py.runPython(`
import sys, types
_m = types.ModuleType('_localds_kernel')
exec(_localds_source, _m.__dict__)
sys.modules['_localds_kernel'] = _m
_m.install(_localds_emit, ${Math.floor(maxReprChars)})
del _m, _localds_source, _localds_emit, sys, types
`);
  const kernel = py.pyimport('_localds_kernel').KERNEL as {
    run: (code: string) => Promise<string>;
  };
  return (code) => kernel.run(code);
}
