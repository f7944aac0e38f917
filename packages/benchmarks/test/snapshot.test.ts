import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDataset, toJson } from '../src/index.js';

const snapshotPath = new URL('../data/canonical.json', import.meta.url);

describe('canonical dataset snapshot', () => {
  it('is exactly what the generator produces (`localds dataset --format json`)', () => {
    // Regenerate with: npx localds dataset --format json --out packages/benchmarks/data/canonical.json
    expect(toJson(generateDataset())).toBe(readFileSync(snapshotPath, 'utf8'));
  });
});
