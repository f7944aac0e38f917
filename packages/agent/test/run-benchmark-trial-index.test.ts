// The trial index a caller gives runBenchmark reaches run.json (what paired comparisons match on),
// also for a run the harness could not start; without one, run.json has no trial_index.
import { getBenchmark } from '@localds/benchmarks';
import { RunJsonSchema } from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../src/run/index.js';
import { FakeModel } from './helpers/fakes.js';

const options = {
  benchmark: getBenchmark('ab-test-analysis'),
  data: { kind: 'embedded', scenario: 'canonical' } as const,
  sandboxFactory: async () => {
    throw new Error('no sandbox in this test');
  },
  isolation: 'node-pyodide' as const,
  budgets: { maxTurns: 1, maxTotalTokens: 1e6, wallTimeMs: 60_000, cellTimeoutMs: 60_000 },
  score: false,
};

describe('runBenchmark trialIndex', () => {
  it('records trial_index in run.json, valid under the schema', async () => {
    const run = await runBenchmark({ ...options, model: new FakeModel([]), trialIndex: 3 });
    expect(run.runJson.trial_index).toBe(3);
    const written = JSON.parse(new TextDecoder().decode(run.files.get('run.json')!)) as unknown;
    expect(RunJsonSchema.parse(written).trial_index).toBe(3);
  });

  it('leaves trial_index out when no index is given', async () => {
    const run = await runBenchmark({ ...options, model: new FakeModel([]) });
    expect('trial_index' in run.runJson).toBe(false);
  });
});
