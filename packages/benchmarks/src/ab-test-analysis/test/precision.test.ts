import { generateDataset } from '../../index.js';
import { describe, expect, it } from 'vitest';
import { computeOracle, oracleRawStats, type Oracle } from '../../index.js';
import { PRECISION_FIELDS, precisionBlock } from '../../index.js';

const oracle = computeOracle(generateDataset('canonical'));
const right = oracleRawStats(oracle);

describe('precisionBlock', () => {
  it('passes every check for the oracle figures, and lists p, d and all four rates', () => {
    const block = precisionBlock(right, oracle);
    expect(block.pass).toBe(true);
    expect(Object.keys(block.checks).sort()).toEqual([...PRECISION_FIELDS].sort());
    expect(block.checks.completion_rate_a).toEqual({
      pass: true,
      reported: right.completion_rate_a,
      expected: oracle.completion_rate_a,
      tolerance: 0.005,
    });
  });

  it('p: 0.001 absolute when p is small, 10% relative when that is looser', () => {
    const small = oracle.p_value!;
    expect(small).toBeLessThan(0.01);
    expect(precisionBlock({ ...right, p_value: small + 0.0009 }, oracle).checks.p_value!.pass).toBe(
      true,
    );
    expect(
      precisionBlock({ ...right, p_value: small + 0.0011 }, oracle).checks.p_value,
    ).toMatchObject({
      pass: false,
      tolerance: 0.001,
    });

    const largeP: Oracle = { ...oracle, p_value: 0.4 };
    const at = (p: number) => precisionBlock({ ...right, p_value: p }, largeP).checks.p_value;
    expect(at(0.4 * 1.09).pass).toBe(true);
    expect(at(0.4 * 1.11).pass).toBe(false);
    expect(at(0.4).tolerance).toBeCloseTo(0.04, 15);
  });

  it('d within 0.05 regardless of sign; each rate within 0.005', () => {
    const d = oracle.cohens_d!;
    const dCheck = (x: number) =>
      precisionBlock({ ...right, cohens_d: x }, oracle).checks.cohens_d!.pass;
    expect([dCheck(d + 0.049), dCheck(d - 0.051), dCheck(-d)]).toEqual([true, false, true]);

    const rate = oracle.repeat_rate_b!;
    const block = (x: number) => precisionBlock({ ...right, repeat_rate_b: x }, oracle);
    expect(block(rate + 0.0049).pass).toBe(true);
    expect(block(rate - 0.0051).pass).toBe(false);
    expect(block(rate - 0.0051).checks.repeat_rate_b!.pass).toBe(false);
    expect(block(rate - 0.0051).checks.completion_rate_b!.pass).toBe(true);
  });

  it('fails a missing or non-numeric value with reported null', () => {
    const { repeat_rate_a: _omitted, ...withoutRepeatA } = right;
    const block = precisionBlock({ ...withoutRepeatA, cohens_d: '0.41' }, oracle);
    expect(block.pass).toBe(false);
    expect(block.checks.repeat_rate_a).toMatchObject({ pass: false, reported: null });
    expect(block.checks.cohens_d).toMatchObject({
      pass: false,
      reported: null,
      expected: oracle.cohens_d,
    });
  });

  it('fails a figure the oracle leaves undefined', () => {
    const undefinedD: Oracle = { ...oracle, cohens_d: null };
    expect(precisionBlock(right, undefinedD).checks.cohens_d).toMatchObject({
      pass: false,
      expected: null,
    });
  });
});
