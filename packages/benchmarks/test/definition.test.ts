import { describe, expect, it } from 'vitest';
import {
  abTestBenchmark,
  abTestDefinitions,
  BenchmarkDefinitionSchema,
  defineBenchmark,
  EVENT_COLUMNS,
  EVENT_TYPES,
  SCENARIO_NAMES,
  SummarySchema,
} from '../src/index.js';

describe('ab-test-analysis definition', () => {
  it('validates against the benchmark definition schema', () => {
    expect(BenchmarkDefinitionSchema.safeParse(abTestBenchmark).success).toBe(true);
    expect(abTestBenchmark.id).toBe('ab-test-analysis');
    expect(abTestBenchmark.title).toBe('A/B Test Production Analysis');
    expect(abTestBenchmark.summarySchema).toBe(SummarySchema);
    expect(abTestBenchmark.dataset.scenarios).toEqual(SCENARIO_NAMES);
  });

  it('lists the required outputs and notebook sections', () => {
    expect(abTestBenchmark.requiredOutputs.map((o) => o.file)).toEqual([
      'summary.json',
      'chart-distribution.png',
      'chart-treatment-effect.png',
      'chart-completion-rates.png',
    ]);
    expect(abTestBenchmark.notebook.file).toBe('analysis.ipynb');
    expect(abTestBenchmark.notebook.sections.map((s) => s.id)).toEqual([
      'setup',
      'sanity-checks',
      'primary',
      'guardrails',
      'visualizations',
      'conclusion',
    ]);
    expect(abTestBenchmark.pythonPackages).toEqual(['pandas', 'scipy', 'matplotlib', 'requests']);
  });

  it('section keywords match what a correct notebook would contain', () => {
    const matches = (id: string, text: string): boolean => {
      const section = abTestBenchmark.notebook.sections.find((s) => s.id === id);
      return section?.keywords.some((k) => new RegExp(k, 'i').test(text)) ?? false;
    };
    expect(matches('primary', 'stats.ttest_ind(b, a, equal_var=False)')).toBe(true);
    expect(matches('guardrails', 'chi2_contingency(table, correction=False)')).toBe(true);
    expect(matches('visualizations', "plt.savefig('chart-distribution.png')")).toBe(true);
    expect(matches('primary', 'print("hello")')).toBe(false);
  });

  it('carries every fact the task needs', () => {
    // Compare with whitespace collapsed, so re-wrapping the text does not matter.
    const task = abTestBenchmark.task.replace(/\s+/g, ' ');
    const facts = [
      'Pineapple Finder',
      '4 pineapples',
      '5 pineapples',
      'posthog_events',
      ...EVENT_COLUMNS,
      ...EVENT_TYPES,
      'assigned to A or B',
      'per session',
      'one observation',
      'supabase.json',
      '"apikey"',
      '"Authorization": "Bearer',
      '?select=*',
      'requests.get',
      'at most 1000 rows',
      'Content-Range',
      'Range: 1000-1999',
      'offset',
      "Welch's two-sided t-test",
      'Welch–Satterthwaite',
      "Cohen's d",
      'n − 1',
      'no continuity correction',
      'pooled proportion',
      'goodness-of-fit',
      'below 0.01',
      'below 0.05',
      '"inconclusive"',
      '"significant"',
      '"not_significant"',
      'summary.json',
      'chart-distribution.png',
      'chart-treatment-effect.png',
      'chart-completion-rates.png',
      'analysis.ipynb',
      'pandas',
      'scipy',
      'matplotlib',
    ];
    for (const fact of facts) expect(task, fact).toContain(fact);
    for (const section of abTestBenchmark.notebook.sections) expect(task).toContain(section.title);
  });

  it('reads its numbers from the definitions', () => {
    expect(abTestBenchmark.definitions).toBe(abTestDefinitions);
    expect(abTestBenchmark.task).toContain(`${abTestDefinitions.game.timeLimitSeconds} seconds`);
  });
});

describe('defineBenchmark', () => {
  const valid = { ...abTestBenchmark };

  it('names the field that is wrong', () => {
    expect(() => defineBenchmark({ ...valid, version: 'v1' })).toThrow(/version/);
    expect(() => defineBenchmark({ ...valid, id: 'Has Spaces' })).toThrow(/id/);
  });

  it('rejects a keyword that is not a regular expression', () => {
    const sections = [{ id: 'broken', title: 'Broken', keywords: ['(unclosed'] }];
    expect(() =>
      defineBenchmark({ ...valid, notebook: { file: 'analysis.ipynb', sections } }),
    ).toThrow(/regular expression/);
  });

  it('rejects a summary schema that is not a zod schema', () => {
    expect(() => defineBenchmark({ ...valid, summarySchema: {} as never })).toThrow(/zod schema/);
  });

  it('rejects a default scenario that is not listed', () => {
    expect(() =>
      defineBenchmark({ ...valid, dataset: { ...valid.dataset, defaultScenario: 'nope' } }),
    ).toThrow(/default scenario "nope"/);
  });
});
