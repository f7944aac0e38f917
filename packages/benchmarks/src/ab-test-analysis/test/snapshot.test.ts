import { AB_TEST_TABLE } from '../../index.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDataset, toJson } from '../../index.js';

const snapshotPath = new URL('../data/canonical.json', import.meta.url);

describe('canonical dataset snapshot', () => {
  it('is exactly what the generator produces (`localds dataset --format json`)', () => {
    // Regenerate with: npx localds dataset --format json --out packages/benchmarks/src/ab-test-analysis/data/canonical.json
    expect(toJson(generateDataset(), AB_TEST_TABLE)).toBe(readFileSync(snapshotPath, 'utf8'));
  });
});
