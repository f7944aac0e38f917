import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJson } from '../../dataset-format.js';
import { retentionBenchmark } from '../benchmark.js';
import { RETENTION_TABLE } from '../events.js';
import { generateRetentionDataset } from '../generator.js';
import { RETENTION_SCENARIO_NAMES } from '../scenarios.js';

/**
 * The version of retention-cohorts must change whenever its task, definitions or data change. Each
 * released version pins the fingerprint of that content. When this test fails, bump RETENTION_VERSION
 * in ../identity.ts and add a line here with the new fingerprint; never edit an existing line.
 */
const FINGERPRINTS: Record<string, string> = {
  '1.0.0': 'b236b111f6b1f1f20355f51a78bda40d1ca2bc99efd029872e2b261c205e63b2',
};

function fingerprint(): string {
  const b = retentionBenchmark;
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
    data: Object.fromEntries(
      RETENTION_SCENARIO_NAMES.map((s) => [
        s,
        toJson(generateRetentionDataset(s), RETENTION_TABLE),
      ]),
    ),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

describe('retention-cohorts version', () => {
  it('is bumped whenever task, definitions or data change', () => {
    const current = fingerprint();
    expect(
      FINGERPRINTS[retentionBenchmark.version],
      `content fingerprint is ${current}: bump the version and pin this fingerprint to it`,
    ).toBe(current);
  });
});
