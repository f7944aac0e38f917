import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
const pyodideVersion = (
  JSON.parse(readFileSync(join(pyodideDir, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
/** Pyodide's core, served from the build so a run needs no CDN (packages come from the index). */
const PYODIDE_CORE = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
];

/** Copies Pyodide's core into `pyodide/` of the build. */
function pyodideCore(): Plugin {
  return {
    name: 'localds-pyodide-core',
    apply: 'build',
    generateBundle() {
      for (const file of PYODIDE_CORE) {
        this.emitFile({
          type: 'asset',
          fileName: `pyodide/${file}`,
          source: readFileSync(join(pyodideDir, file)),
        });
      }
    },
  };
}

const PLUGINS_MODULE = 'virtual:localds-benchmark-plugins';

/**
 * Benchmarks from outside the repository, built into the page: LOCALDS_BENCHMARKS names modules
 * (separated by commas) each exporting a `defineBenchmark` definition as default or a `benchmarks` array,
 * as for the CLI. They are registered before the app renders; without the variable the module is empty.
 */
function benchmarkPlugins(): Plugin {
  const paths = (process.env.LOCALDS_BENCHMARKS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => resolve(p));
  return {
    name: 'localds-benchmark-plugins',
    resolveId: (id) => (id === PLUGINS_MODULE ? `\0${PLUGINS_MODULE}` : null),
    load(id) {
      if (id !== `\0${PLUGINS_MODULE}`) return null;
      const imports = paths.map((p, i) => `import * as plugin${i} from ${JSON.stringify(p)};`);
      const registers = paths.map(
        (_, i) =>
          `for (const b of plugin${i}.benchmarks ?? [plugin${i}.default]) registerBenchmark(b);`,
      );
      return [
        "import { registerBenchmark } from '@localds/benchmarks';",
        ...imports,
        ...registers,
      ].join('\n');
    },
  };
}

/**
 * Writes sw.js from sw.template.js with the list of files to precache: everything the build emits
 * except source maps and lazily loaded WebLLM chunks (big, and useless without a GPU).
 */
function serviceWorker(): Plugin {
  return {
    name: 'localds-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && !/webllm/i.test(f));
      const precache = ['./', ...files.map((f) => `./${f}`)];
      const version = createHash('sha256')
        .update(files.sort().join('\n'))
        .digest('hex')
        .slice(0, 12);
      const source = readFileSync(new URL('./sw.template.js', import.meta.url), 'utf8')
        .replace('const VERSION = __VERSION__', `const VERSION = ${JSON.stringify(version)}`)
        .replace(
          'const PRECACHE = __PRECACHE__',
          `const PRECACHE = ${JSON.stringify(precache, null, 2)}`,
        );
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

// `base: './'` keeps every asset path relative, so the build works from any static host and
// from a sub-path (the page uses hash routing, so no server rewrites are needed either).
export default defineConfig({
  base: './',
  plugins: [benchmarkPlugins(), react(), pyodideCore(), serviceWorker()],
  define: { __PYODIDE_VERSION__: JSON.stringify(pyodideVersion) },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
