// Turns the kernels' Python sources (real .py files, linted with pyflakes3) into TypeScript modules
// exporting each as a string, for every host: the Pyodide hosts exec it, the native driver is passed
// to `python -c`. Run before build, typecheck and tests; the generated modules are not committed.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** [python source, generated module, exported name], relative to src/sandbox. */
export const EMBEDDED = [
  ['kernel/kernel.py', 'kernel/kernel-py.ts', 'KERNEL_PY'],
  ['native/driver.py', 'native/driver-py.ts', 'DRIVER_PY'],
];

const sandboxDir = new URL('../src/sandbox/', import.meta.url);

export function embedPython() {
  for (const [source, target, name] of EMBEDDED) {
    const python = readFileSync(new URL(source, sandboxDir), 'utf8');
    const module =
      `// Generated from ${source} by scripts/embed-python.mjs: edit the .py file, not this one.\n` +
      `export const ${name}: string = ${JSON.stringify(python)};\n`;
    const path = new URL(target, sandboxDir);
    // Unchanged content is not rewritten, so watchers and tsc's incremental state stay quiet.
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // not generated yet
    }
    if (current !== module) writeFileSync(path, module);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) embedPython();
