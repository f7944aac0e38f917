// Pyodide packages for sandboxes that have no network: the harness fetches them once from the index
// (Pyodide's CDN by default, or a self-hosted copy: --index-url), checks each file against the lock
// file's sha256, and keeps them in a local cache folder that the sandbox loads from. Node only.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** The pinned Pyodide release, from the npm package. */
export const PYODIDE_VERSION = (
  createRequire(import.meta.url)('pyodide/package.json') as { version: string }
).version;

/** Pyodide's CDN for the pinned pyodide version. */
export const DEFAULT_PYODIDE_INDEX = `https://cdn.jsdelivr.net/pyodide/v${PYODIDE_VERSION}/full/`;

const lockSchema = z.object({
  info: z.object({ python: z.string() }).passthrough(),
  packages: z.record(
    z.string(),
    z
      .object({
        name: z.string(),
        version: z.string(),
        file_name: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        depends: z.array(z.string()),
      })
      .passthrough(),
  ),
});
export type PyodideLock = z.infer<typeof lockSchema>;
export type LockPackage = PyodideLock['packages'][string];

export interface EnsurePackagesOptions {
  packages: string[];
  /** URL (http/https) or local folder holding pyodide-lock.json and the package files */
  indexUrl?: string;
  /** default: ~/.cache/localds/pyodide/<hash of the index URL> */
  cacheDir?: string;
  fetch?: typeof fetch;
}

export interface EnsuredPackages {
  /** pass as NodeSandboxOptions.packageDir */
  packageDir: string;
  /** the requested packages plus their dependencies, as named in the lock */
  resolved: string[];
  /** files fetched from the index this time (the rest came from the cache) */
  downloaded: string[];
}

const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function defaultPackageCacheDir(indexUrl: string): string {
  return join(
    homedir(),
    '.cache',
    'localds',
    'pyodide',
    sha256(Buffer.from(indexUrl)).slice(0, 16),
  );
}

async function fetchFromIndex(
  index: string,
  file: string,
  fetchImpl: typeof fetch,
): Promise<Uint8Array> {
  if (!/^https?:\/\//.test(index)) return new Uint8Array(await readFile(join(index, file)));
  const url = new URL(file, index.endsWith('/') ? index : `${index}/`).href;
  const response = await fetchImpl(url).catch((err: Error) => {
    throw new Error(`could not reach the package index at ${url}: ${err.message}`);
  });
  if (!response.ok) throw new Error(`the package index answered ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The packages and everything they depend on, in dependency order. */
export function resolvePackages(lock: PyodideLock, requested: string[]): LockPackage[] {
  const byName = new Map(Object.entries(lock.packages).map(([key, pkg]) => [normalize(key), pkg]));
  const order: LockPackage[] = [];
  const visit = (name: string, chain: string[]) => {
    const pkg = byName.get(normalize(name));
    if (!pkg) {
      const via = chain.length ? ` (needed by ${chain.join(' → ')})` : '';
      throw new Error(`package "${name}"${via} is not in the index's pyodide-lock.json`);
    }
    if (order.includes(pkg) || chain.includes(pkg.name)) return; // done, or a dependency cycle
    for (const dep of pkg.depends) visit(dep, [...chain, pkg.name]);
    order.push(pkg);
  };
  for (const name of requested) visit(name, []);
  return order;
}

/** Makes sure every requested package (with its dependencies) is in the local cache, verified. */
export async function ensurePackages(opts: EnsurePackagesOptions): Promise<EnsuredPackages> {
  const index = opts.indexUrl ?? DEFAULT_PYODIDE_INDEX;
  const cacheDir = opts.cacheDir ?? defaultPackageCacheDir(index);
  const fetchImpl = opts.fetch ?? fetch;
  await mkdir(cacheDir, { recursive: true });
  const lockBytes = await fetchFromIndex(index, 'pyodide-lock.json', fetchImpl);
  const parsed = lockSchema.safeParse(JSON.parse(new TextDecoder().decode(lockBytes)));
  if (!parsed.success) {
    throw new Error(
      `pyodide-lock.json from ${index} is not a Pyodide lock file: ${parsed.error.message}`,
    );
  }
  const lock = parsed.data;
  const resolved = resolvePackages(lock, opts.packages);
  const downloaded: string[] = [];
  for (const pkg of resolved) {
    if (pkg.file_name !== pkg.file_name.split(/[\\/]/).pop() || pkg.file_name.startsWith('.')) {
      throw new Error(`refusing package file name ${JSON.stringify(pkg.file_name)} from ${index}`);
    }
    const target = join(cacheDir, pkg.file_name);
    const cached = await readFile(target).catch(() => undefined);
    if (cached && sha256(cached) === pkg.sha256) continue;
    const bytes = await fetchFromIndex(index, pkg.file_name, fetchImpl);
    if (sha256(bytes) !== pkg.sha256) {
      throw new Error(
        `${pkg.file_name} from ${index} does not match the sha256 in its pyodide-lock.json`,
      );
    }
    // Write then rename, so a half-written file is never taken for a cached one.
    await writeFile(`${target}.part`, bytes);
    await rename(`${target}.part`, target);
    downloaded.push(pkg.file_name);
  }
  await writeFile(join(cacheDir, 'pyodide-lock.json'), lockBytes);
  return { packageDir: cacheDir, resolved: resolved.map((pkg) => pkg.name), downloaded };
}
