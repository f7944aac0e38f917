// What the chosen interpreter is and whether it has the scientific stack model code expects, asked of the
// interpreter itself so a missing pandas is reported before a run starts, naming the interpreter.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

export const DEFAULT_PYTHON_BIN = '/usr/bin/python3';
/** Imported by the benchmarks' reference code; `requests` is how model code reaches the data URL. */
export const REQUIRED_MODULES = ['pandas', 'scipy', 'matplotlib', 'requests'] as const;

/** Debian package names, for the install hint. */
const DEBIAN_PACKAGES: Record<string, string> = {
  pandas: 'python3-pandas',
  scipy: 'python3-scipy',
  matplotlib: 'python3-matplotlib',
  requests: 'python3-requests',
};

/** A bare name (`python3`) resolved on PATH, so the check, the sandbox's mounts and its start use one file. */
export function resolvePythonBin(bin: string = DEFAULT_PYTHON_BIN): string {
  if (bin.includes('/')) return resolve(bin);
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, bin)).find((path) => existsSync(path)) ?? bin;
}

export interface PythonEnvironment {
  ok: boolean;
  pythonBin: string;
  /** e.g. "3.11.2"; empty when the interpreter could not be run */
  version: string;
  /** required modules the interpreter cannot import */
  missing: string[];
  /** the interpreter's real executable and installation prefixes (the sandbox mounts them read-only) */
  executable: string;
  prefixes: string[];
  /** a sentence for the user when !ok */
  message?: string;
}

const PROBE = `
import importlib, json, os, sys
mods = json.loads(sys.argv[1])
missing = []
for m in mods:
    # Imported, not just found: a package that is present but broken fails here, not in model code.
    try:
        importlib.import_module(m)
    except Exception:
        missing.append(m)
print(json.dumps({
  'version': sys.version.split()[0],
  'executable': os.path.realpath(sys.executable),
  'prefixes': sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}),
  'missing': missing,
}))
`;

const probeSchema = z.object({
  version: z.string(),
  executable: z.string(),
  prefixes: z.array(z.string()),
  missing: z.array(z.string()),
});

function installHint(missing: string[]): string {
  const debs = missing.map((m) => DEBIAN_PACKAGES[m] ?? `python3-${m}`);
  return `apt-get install ${debs.join(' ')}`;
}

/** Runs the interpreter once; never throws (a failure is reported in the result). */
export async function checkPythonEnvironment(
  pythonBin: string = DEFAULT_PYTHON_BIN,
  required: readonly string[] = REQUIRED_MODULES,
): Promise<PythonEnvironment> {
  const base = { pythonBin, version: '', missing: [...required], executable: '', prefixes: [] };
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(pythonBin, ['-c', PROBE, JSON.stringify(required)], {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', MPLBACKEND: 'Agg' },
      timeout: 30_000,
    }));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'was not found'
        : code === 'EACCES'
          ? 'is not executable'
          : `could not run (${(err as Error).message.split('\n')[0]})`;
    return {
      ...base,
      ok: false,
      message: `Python interpreter ${pythonBin} ${why}: install python3 or pass --python-bin`,
    };
  }
  const parsed = probeSchema.safeParse(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null'));
  if (!parsed.success) {
    return {
      ...base,
      ok: false,
      message: `${pythonBin} did not answer like a Python 3 interpreter`,
    };
  }
  const info = parsed.data;
  const ok = info.missing.length === 0;
  return {
    ok,
    pythonBin,
    ...info,
    ...(ok
      ? {}
      : {
          message: `${pythonBin} lacks ${info.missing.join(', ')}: ${installHint(info.missing)}, or pass --python-bin`,
        }),
  };
}
