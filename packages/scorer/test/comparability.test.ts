import { describe, expect, it } from 'vitest';
import {
  comparabilityKey,
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
