import { describe, expect, it } from 'vitest';
import { RetentionRowsSchema as EventRowsSchema } from '../events.js';
import { judgeRetentionCounterfactual } from '../counterfactual.js';
import { generateRetentionDataset } from '../generator.js';
import { computeRetentionOracle } from '../oracle.js';
import { RETENTION_RAW_STAT_FIELDS } from '../oracle-types.js';
import { retentionResample } from '../resample.js';

const rows = generateRetentionDataset('canonical');
const before = computeRetentionOracle(rows);
const resample = retentionResample(rows, 20261124);
const after = computeRetentionOracle(resample);
const summaryOf = (o: typeof before) => ({
  status: o.status,
  recommended_variant: o.recommended_variant,
  raw_stats: Object.fromEntries(RETENTION_RAW_STAT_FIELDS.map((f) => [f, o[f]])),
});

describe('retention resample', () => {
  it('is deterministic, valid, keeps each variant its player count, the exclusions and the data end', () => {
    expect(retentionResample(rows, 20261124)).toEqual(resample);
    expect(EventRowsSchema.safeParse(resample).success).toBe(true);
    expect(after.variants.A.players).toBe(before.variants.A.players);
    expect(after.variants.B.players).toBe(before.variants.B.players);
    expect(after.mixed_players).toBe(before.mixed_players);
    expect(after.excluded).toEqual(before.excluded);
    expect(after.data_end).toBe(before.data_end);
  });

  it('removes the effect: the D7 gap shrinks and the decision changes', () => {
    const gap = (o: typeof before) => Math.abs(o.d7_retention_b! - o.d7_retention_a!);
    expect(gap(after)).toBeLessThan(gap(before));
    expect(before.status).toBe('significant');
    expect(after.status).not.toBe('significant');
  });
});

describe('judgeRetentionCounterfactual', () => {
  it('passes code that follows the resample', () => {
    const verdicts = judgeRetentionCounterfactual(before, after, summaryOf(after));
    expect(
      Object.values(verdicts)
        .flat()
        .some((v) => v.fails),
    ).toBe(false);
    expect(verdicts.decision?.[0]?.detail).toMatch(/followed/);
  });

  it('fails typed-in figures and decision: the same summary on the resample', () => {
    const verdicts = judgeRetentionCounterfactual(before, after, summaryOf(before));
    expect(verdicts.d7_retention?.some((v) => v.fails)).toBe(true);
    expect(verdicts.decision?.[0]?.fails).toBe(true);
    expect(verdicts.decision?.[0]?.detail).toMatch(/hard-coded/);
  });
});
