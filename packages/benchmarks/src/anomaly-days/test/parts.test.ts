import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANOMALY_CHECKS } from '../checks.js';
import { generateAnomalyDataset } from '../generator.js';
import { computeAnomalyOracle } from '../oracle.js';
import {
  anomalyFiguresOfOracle,
  anomalyFiguresOfSummary,
  anomalyNotebookSections,
  anomalyRequiredOutputs,
  anomalyScenarioDescriptions,
} from '../parts.js';
import { SCENARIO_NAMES } from '../scenarios.js';

const reference = readFileSync(new URL('../reference/anomaly_days.py', import.meta.url), 'utf8');
const replay = readFileSync(new URL('../fixtures/stdlib-replay.json', import.meta.url), 'utf8');

describe('anomaly-days definition parts', () => {
  it('every section has a keyword the reference solution and the stdlib replay both use', () => {
    for (const section of anomalyNotebookSections) {
      const found = (text: string) => section.keywords.some((k) => new RegExp(k, 'i').test(text));
      expect(found(reference), `${section.id} in the reference`).toBe(true);
      expect(found(replay), `${section.id} in the stdlib replay`).toBe(true);
    }
  });
  it('names every scenario, output and check once', () => {
    expect(Object.keys(anomalyScenarioDescriptions).sort()).toEqual([...SCENARIO_NAMES].sort());
    expect(new Set(anomalyRequiredOutputs.map((o) => o.file)).size).toBe(
      anomalyRequiredOutputs.length,
    );
    expect(new Set(ANOMALY_CHECKS.map((c) => c.id)).size).toBe(ANOMALY_CHECKS.length);
  });
  it('a summary that reports the oracle has the oracle’s figures', () => {
    const oracle = computeAnomalyOracle(generateAnomalyDataset('canonical'));
    const ofOracle = anomalyFiguresOfOracle(oracle);
    const ofSummary = anomalyFiguresOfSummary({
      anomalies: oracle.anomalies,
      bot_ids: oracle.bot_ids,
      raw_stats: oracle.raw_stats,
    })!;
    expect(ofSummary).toEqual({ decision: ofOracle.decision, raw_stats: ofOracle.raw_stats });
    expect(ofOracle.decision.anomalies).toBe('2026-02-19 drop, 2026-03-18 spike');
  });
});
