/**
 * The pictures of the statistics of scores as Vega-Lite specifications: plain data built only from
 * the statistics module's output, so the CLI's report and the page draw the very same pictures
 * (each renders them to SVG with `renderSvg`).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { GroupStats, PairedComparison } from '../score-stats/index.js';

const FONT = 'system-ui, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11 },
};

/** A small deterministic offset per dot, so equal scores do not hide one another. */
const jitter = (i: number) => ((i * 7) % 11) / 10 - 0.5;

/** Each trial a dot; each model's mean a tick and its bootstrap interval a bar. */
export function scoreDistributionSpec(group: GroupStats): TopLevelSpec {
  const order = group.models.map((m) => m.model);
  const dots = group.models.flatMap((m) =>
    m.scores.map((score, i) => ({ model: m.model, score, run: m.runIds[i], jitter: jitter(i) })),
  );
  const means = group.models.map((m) => ({
    model: m.model,
    mean: m.mean,
    low: m.interval.low,
    high: m.interval.high,
  }));
  const y = { field: 'model', type: 'nominal', sort: order, title: null } as const;
  return {
    width: 520,
    height: { step: 36 },
    config: CONFIG,
    layer: [
      {
        data: { values: dots },
        mark: { type: 'circle', opacity: 0.55, size: 40, color: '#4c78a8' },
        encoding: {
          x: { field: 'score', type: 'quantitative', scale: { domain: [0, 100] }, title: 'score' },
          y,
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1.5, 1.5] } },
          tooltip: [{ field: 'run' }, { field: 'score' }],
        },
      },
      {
        data: { values: means.filter((m) => m.low !== null) },
        mark: { type: 'rule', strokeWidth: 3, color: '#e45756' },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, y },
      },
      {
        data: { values: means },
        mark: { type: 'tick', thickness: 3, color: '#222' },
        encoding: { x: { field: 'mean', type: 'quantitative' }, y },
      },
    ],
  };
}

/** Models × checks, coloured by pass rate, with the rate written in each cell. */
export function checkHeatmapSpec(group: GroupStats): TopLevelSpec {
  const order = group.models.map((m) => m.model);
  const checkOrder = [...new Set(group.models.flatMap((m) => m.checks.map((c) => c.id)))];
  const cells = group.models.flatMap((m) =>
    m.checks.map((c) => ({
      model: m.model,
      check: c.id,
      rate: c.rate,
      label: `${c.passed}/${c.n}`,
    })),
  );
  const encoding = {
    x: { field: 'check', type: 'nominal', sort: checkOrder, title: null },
    y: { field: 'model', type: 'nominal', sort: order, title: null },
  } as const;
  return {
    config: CONFIG,
    data: { values: cells },
    width: { step: 44 },
    height: { step: 28 },
    layer: [
      {
        mark: 'rect',
        encoding: {
          ...encoding,
          color: {
            field: 'rate',
            type: 'quantitative',
            scale: { domain: [0, 1], scheme: 'redyellowgreen' },
            title: 'pass rate',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: { ...encoding, text: { field: 'label' } },
      },
    ],
  };
}

/** One dot per pair (a − b), the mean difference with its interval, and the line of no difference. */
export function pairedDifferencesSpec(comparison: PairedComparison): TopLevelSpec {
  const dots = comparison.pairs.map((p, i) => ({ diff: p.diff, pair: p.key, jitter: jitter(i) }));
  const summary = [
    {
      mean: comparison.meanDiff,
      low: comparison.interval.low,
      high: comparison.interval.high,
    },
  ];
  const x = {
    field: 'diff',
    type: 'quantitative' as const,
    scale: { domain: [-100, 100] },
    title: `${comparison.a} − ${comparison.b} (score points)`,
  };
  return {
    width: 520,
    height: 60,
    config: CONFIG,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: '#999' },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values: dots },
        mark: { type: 'circle', opacity: 0.55, size: 40, color: '#4c78a8' },
        encoding: {
          x,
          y: { field: 'jitter', type: 'quantitative', axis: null, scale: { domain: [-1, 1] } },
          tooltip: [{ field: 'pair' }, { field: 'diff' }],
        },
      },
      {
        data: { values: summary.filter((s) => s.low !== null) },
        mark: { type: 'rule', strokeWidth: 3, color: '#e45756' },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
      {
        data: { values: summary.filter((s) => s.mean !== null) },
        mark: { type: 'tick', thickness: 3, color: '#222', orient: 'vertical' },
        encoding: { x: { field: 'mean', type: 'quantitative' } },
      },
    ],
  };
}
