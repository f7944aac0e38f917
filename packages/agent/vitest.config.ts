import { defineConfig } from 'vitest/config';
import { embedPython } from './scripts/embed-python.mjs';

// The suites import the kernels' Python as modules generated from their .py files: make them current.
embedPython();

// These suites start real kernels, databases and browsers on 2-core CI machines: a first
// `import pandas` alone can take seconds under load. Generous defaults keep slow from reading as
// broken; a test that hangs still fails, just later.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
