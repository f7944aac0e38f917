import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunJsonSchema, ScorecardSchema } from '../src/index.js';
import {
  comparabilityKey,
  comparabilityOfRun,
  groupByComparability,
  scenarioOfSource,
  type Comparability,
} from '../src/comparability.js';

const base: Comparability = {
  benchmark: { id: 'ab-test-analysis', version: '1.0.0' },
  scorerVersion: '0.2.0',
  mode: 'full',
  protocol: 'fenced',
  packages: 'full',
  judgedTotal: 100,
  scenario: 'canonical',
};

describe('comparabilityKey', () => {
  it('differs when any one part differs, and only then', () => {
    const variants: Comparability[] = [
      { ...base, benchmark: { id: 'ab-test-analysis', version: '1.1.0' } },
      { ...base, scorerVersion: '0.3.0' },
      { ...base, mode: 'compat' },
      { ...base, protocol: 'tools' },
      { ...base, packages: 'stdlib-only' },
      { ...base, judgedTotal: 95 },
      { ...base, scenario: 'large-paginated' },
    ];
    const keys = new Set([base, ...variants].map(comparabilityKey));
    expect(keys.size).toBe(variants.length + 1);
    expect(comparabilityKey({ ...base, benchmark: { ...base.benchmark } })).toBe(
      comparabilityKey(base),
    );
  });

  it('groups items by key in first-seen order, never pooling scenarios', () => {
    const runs = [
      { id: 'a', c: base },
      { id: 'b', c: { ...base, scenario: 'large-paginated' } },
      { id: 'c', c: base },
    ];
    const groups = groupByComparability(runs, (r) => r.c);
    expect(groups.map((g) => g.items.map((r) => r.id))).toEqual([['a', 'c'], ['b']]);
  });

  it('names the scenario of a snapshot source', () => {
    expect(scenarioOfSource({ kind: 'scenario', scenario: 'srm' })).toBe('srm');
    expect(scenarioOfSource({ kind: 'supabase' })).toBe('supabase');
    expect(scenarioOfSource({ kind: 'file' })).toBe('file');
    expect(scenarioOfSource(null)).toBe('unknown');
  });
});

describe('comparabilityOfRun', () => {
  const FIXTURES = join(import.meta.dirname, '../fixtures');
  const run = RunJsonSchema.parse(
    JSON.parse(readFileSync(join(FIXTURES, 'runs/full-correct/run.json'), 'utf8')),
  );
  const card = ScorecardSchema.parse(
    JSON.parse(readFileSync(join(FIXTURES, 'scorecards/scorer-0.1.0-full.json'), 'utf8')),
  );

  it('reads an older run.json as fenced with the full packages, scenario from its snapshot', () => {
    expect(run.protocol).toBeUndefined();
    expect(run.environment).toBeUndefined();
    expect(comparabilityOfRun(run, card)).toEqual({
      benchmark: run.benchmark,
      scorerVersion: '0.1.0',
      mode: 'full',
      protocol: 'fenced',
      packages: 'full',
      judgedTotal: 100,
      scenario: 'canonical',
    });
  });

  it('keeps a stdlib-only run judged on fewer points apart, and has no key without a scorecard', () => {
    const stdlib = { ...run, environment: { packages: 'stdlib-only' as const, loaded: [] } };
    const judged95 = { ...card, judged: 95 };
    const a = comparabilityOfRun(run, card)!;
    const b = comparabilityOfRun(stdlib, judged95)!;
    expect(b).toMatchObject({ packages: 'stdlib-only', judgedTotal: 95 });
    expect(comparabilityKey(a)).not.toBe(comparabilityKey(b));
    expect(comparabilityOfRun({ ...run, scorecard: null })).toBeNull();
  });
});
