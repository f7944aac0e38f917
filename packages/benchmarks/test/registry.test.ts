import { describe, expect, it } from 'vitest';
import { abTestBenchmark, benchmarks, getBenchmark } from '../src/index.js';

describe('benchmark registry', () => {
  it('finds a benchmark by id', () => {
    expect(getBenchmark('ab-test-analysis')).toBe(abTestBenchmark);
  });

  it('explains an unknown id and lists the known ones', () => {
    expect(() => getBenchmark('nope')).toThrow('unknown benchmark "nope"; known: ab-test-analysis');
  });

  it('holds unique ids', () => {
    const ids = benchmarks.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("generates a benchmark's dataset through its definition", () => {
    const rows = getBenchmark('ab-test-analysis').dataset.generate('no-effect', 3);
    expect(rows.length).toBeGreaterThan(0);
    expect(() => getBenchmark('ab-test-analysis').dataset.generate('nope')).toThrow(
      /unknown scenario "nope"/,
    );
  });
});
