import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAUNCH_CHECKS } from '../checks.js';
import { generateLaunchDataset } from '../generator.js';
import { computeLaunchOracle } from '../oracle.js';
import {
  launchFiguresOfOracle,
  launchFiguresOfSummary,
  launchNotebookSections,
  launchRequiredOutputs,
  launchScenarioDescriptions,
} from '../parts.js';
import { SCENARIO_NAMES } from '../scenarios.js';

const reference = readFileSync(new URL('../reference/launch_segments.py', import.meta.url), 'utf8');
const replay = readFileSync(new URL('../fixtures/stdlib-replay.json', import.meta.url), 'utf8');

describe('launch-segments definition parts', () => {
  it('every section has a keyword the reference solution and the stdlib replay both use', () => {
    for (const section of launchNotebookSections) {
      const found = (text: string) => section.keywords.some((k) => new RegExp(k, 'i').test(text));
      expect(found(reference), `${section.id} in the reference`).toBe(true);
      expect(found(replay), `${section.id} in the stdlib replay`).toBe(true);
    }
  });
  it('names every scenario, output and check once', () => {
    expect(Object.keys(launchScenarioDescriptions).sort()).toEqual([...SCENARIO_NAMES].sort());
    expect(new Set(launchRequiredOutputs.map((o) => o.file)).size).toBe(
      launchRequiredOutputs.length,
    );
    expect(new Set(LAUNCH_CHECKS.map((c) => c.id)).size).toBe(LAUNCH_CHECKS.length);
  });
  it('a summary that reports the oracle has the oracle’s figures', () => {
    const oracle = computeLaunchOracle(generateLaunchDataset('canonical'));
    const ofOracle = launchFiguresOfOracle(oracle);
    const summary = {
      status: oracle.status,
      direction: oracle.direction,
      recommendation: oracle.recommendation,
      raw_stats: oracle.raw_stats,
    };
    const ofSummary = launchFiguresOfSummary(summary)!;
    expect(ofSummary.decision).toEqual(ofOracle.decision);
    expect(ofSummary.raw_stats).toEqual(ofOracle.raw_stats);
    expect(ofOracle.reasons!.at(-1)).toContain('roll_back');
    expect(launchFiguresOfSummary([1, 2])).toBeNull();
  });
});
