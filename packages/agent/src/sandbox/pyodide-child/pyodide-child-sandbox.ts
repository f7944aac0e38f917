// The Node Pyodide level: Pyodide in a child process under Node's permission model, in its own network
// namespace where the machine allows it. The cell lifecycle is the shared KernelSandbox's; this file
// says how the child is started (its walls, its read/write paths) and reports them.
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeOwnedTempDir, removeOwnedTempDir } from '../files/owned-temp-dir.js';
import { RunDir } from '../files/run-dir.js';
import { KernelSandbox } from '../kernel/kernel-sandbox.js';
import { STATE_LOST } from '../kernel/lost-kernel.js';
import { reportedLimits, resolveSandboxOptions, type SandboxOptions } from '../kernel/options.js';
import { ChildTransport } from './child-transport.js';
import { jspiBuiltIn } from './jspi.js';
import type { ChildConfig } from './protocol.js';
import type { Walls } from './walls.js';

export interface NodeSandboxOptions extends SandboxOptions {
  /** the run's working directory (model code sees it as /work); default: a fresh temp dir, removed on dispose */
  runDir?: string;
  /** Pyodide packages preloaded from `packageDir` before model code runs */
  packages?: string[];
  /** folder with pyodide-lock.json and package files; default: the pyodide npm package's folder */
  packageDir?: string;
  /** ceiling of the child's JS heap (--max-old-space-size); default 512 MiB */
  jsHeapMb?: number;
  /** 'auto': own network namespace when possible; 'require': fail without one; 'off': never */
  networkIsolation?: 'auto' | 'require' | 'off';
  /**
   * Let model code wait on a promise synchronously (`pyodide.ffi.run_sync`), which `requests` (urllib3)
   * needs in Node. Before Node 24 that takes V8's experimental stack switching, which costs every cell
   * a few milliseconds and fetch-heavy cells about a quarter more, so by default it is on only when
   * packages are loaded: the standard library has nothing that needs it. Node 24+ always has it.
   */
  jspi?: boolean;
}

/** The wasm heap's default ceiling in a Node child. */
const WASM_MEMORY_MB = 2048;

/** What run.json records about the walls a Node sandbox ran inside. */
export interface NodeIsolationReport extends Walls {
  level: 'node-pyodide';
  /** Node's permission model: what the child may touch; child processes, workers, addons and WASI are denied */
  permissionModel: { read: string[]; write: string[] };
  /** eval/new Function are disabled in the child (--disallow-code-generation-from-strings) */
  codeFromStrings: false;
  /** model code can wait on a promise synchronously (pyodide.ffi.run_sync, what `requests` uses) */
  jspi: boolean;
  limits: ReturnType<typeof reportedLimits> & { jsHeapMb: number };
}

/** Resolved from this file's folder so it works from src (tests) and dist alike: both sit 3 levels deep. */
function childScriptPath(): string {
  return fileURLToPath(new URL('../../../dist/sandbox/pyodide-child/child.js', import.meta.url));
}

/** The pyodide npm package's folder (pyodide.mjs, the wasm, pyodide-lock.json). */
export function pyodideDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('pyodide/package.json'));
}

export class NodePyodideSandbox extends KernelSandbox<ChildTransport> {
  readonly isolation = 'node-pyodide' as const;
  private readonly ownsRunDir: boolean;
  private readonly childConfig: ChildConfig;
  private readonly readDirs: string[];
  private readonly jsHeapMb: number;
  private readonly networkIsolation: 'auto' | 'require' | 'off';
  private readonly jspi: boolean;

  constructor(options: NodeSandboxOptions = {}) {
    const childScript = childScriptPath();
    if (!existsSync(childScript)) {
      throw new Error(
        `the sandbox child ${childScript} is missing: build @localds/agent first (npm run build -w @localds/agent)`,
      );
    }
    const runDir = realpathSync(options.runDir ?? makeOwnedTempDir('localds-run-'));
    const opts = resolveSandboxOptions(options, WASM_MEMORY_MB);
    super(opts, new RunDir(runDir), { stateLost: STATE_LOST, stoppedCell: 'stop-reason' });
    this.ownsRunDir = !options.runDir;
    this.jsHeapMb = options.jsHeapMb ?? 512;
    this.networkIsolation = options.networkIsolation ?? 'auto';
    this.jspi = options.jspi ?? (options.packages ?? []).length > 0;
    const indexDir = pyodideDir();
    const packageDir = realpathSync(options.packageDir ?? indexDir);
    this.readDirs = [
      ...new Set([realpathSync(indexDir), packageDir, dirname(dirname(childScript))]),
    ];
    this.childConfig = {
      pyodideUrl: pathToFileURL(join(indexDir, 'pyodide.mjs')).href,
      indexDir,
      packageDir,
      runDir,
      packages: options.packages ?? [],
      maxOutputBytes: opts.maxOutputBytes,
      maxRichOutputBytes: opts.maxRichOutputBytes,
      maxReprChars: opts.maxReprChars,
      wasmMemoryMb: opts.memoryLimitMB,
    };
    this.start();
  }

  /** The OS walls the current child runs inside (Node's permission model always applies). */
  get walls(): Walls {
    return this.kernel.walls;
  }

  get runDir(): string {
    return this.childConfig.runDir;
  }

  isolationReport(): NodeIsolationReport {
    return {
      level: this.isolation,
      ...this.walls,
      permissionModel: { read: [...this.readDirs, this.runDir], write: [this.runDir] },
      codeFromStrings: false,
      jspi: this.jspi || jspiBuiltIn(),
      limits: { ...reportedLimits(this.opts), jsHeapMb: this.jsHeapMb },
    };
  }

  protected spawnKernel(): ChildTransport {
    return new ChildTransport({
      childScript: childScriptPath(),
      config: this.childConfig,
      readDirs: this.readDirs,
      jsHeapMb: this.jsHeapMb,
      networkIsolation: this.networkIsolation,
      jspi: this.jspi,
    });
  }

  protected override afterDispose(): void {
    if (this.ownsRunDir) removeOwnedTempDir(this.runDir);
  }
}
