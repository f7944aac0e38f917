import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AB_TEST_TABLE,
  abTestBenchmark,
  generateDataset,
  SCENARIO_NAMES,
  toJson,
} from '../../index.js';

/**
 * The version of ab-test-analysis must change whenever its task, definitions or data change.
 * Each released version pins the fingerprint of that content. When this test fails, bump
 * `AB_TEST_VERSION` in src/ab-test-analysis/identity.ts and add a line here with the new fingerprint; never edit
 * an existing line.
 */
const FINGERPRINTS: Record<string, string> = {
  '1.0.0': 'd5385e92a5c3353a1fe0a9207845d78ae52f385e8707455a627f94f01a417cd5',
};

function fingerprint(): string {
  const b = abTestBenchmark;
  const content = {
    task: b.task,
    definitions: b.definitions,
    dataAccess: b.dataAccess,
    // The page's labels are presentation, not the benchmark: the model never sees them.
    requiredOutputs: b.requiredOutputs.map(({ file, kind, description }) => ({
      file,
      kind,
      description,
    })),
    notebook: b.notebook,
    pythonPackages: b.pythonPackages,
    summarySchema: z.toJSONSchema(b.summarySchema),
    // Every scenario's default dataset: a generator change shows here.
    data: Object.fromEntries(
      SCENARIO_NAMES.map((s) => [s, toJson(generateDataset(s), AB_TEST_TABLE)]),
    ),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

describe('ab-test-analysis version', () => {
  it('is bumped whenever task, definitions or data change', () => {
    const current = fingerprint();
    expect(
      FINGERPRINTS[abTestBenchmark.version],
      `content fingerprint is ${current}: bump the version and pin this fingerprint to it`,
    ).toBe(current);
  });

  it('pins each fingerprint to one version only', () => {
    const values = Object.values(FINGERPRINTS);
    expect(new Set(values).size).toBe(values.length);
  });
});
