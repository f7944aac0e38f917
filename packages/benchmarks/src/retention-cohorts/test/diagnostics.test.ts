import { describe, expect, it } from 'vitest';
import {
  d1d14RetentionCheck,
  d7EligibleCheck,
  d7IntervalCheck,
  d7PValueCheck,
  d7RetentionCheck,
  srmCheck,
} from '../checks.js';
import type { CheckOutcome } from '@localds/scorer';
import {
  RETENTION_DIAGNOSTIC_IDS,
  retentionDiagnostics,
  type RetentionDiagnosticId,
} from '../diagnostics.js';
import { computeRetentionOracle } from '../oracle.js';
import { RETENTION_RAW_STAT_FIELDS } from '../oracle-types.js';
import { plantedScenarios } from './planted.js';

type RawCheck =
  'd7_eligible' | 'd7_retention' | 'd1_d14_retention' | 'd7_p_value' | 'd7_interval' | 'srm';
const RAW_CHECKS: Record<
  RawCheck,
  (raw: Record<string, unknown>, o: ReturnType<typeof computeRetentionOracle>) => CheckOutcome
> = {
  d7_eligible: d7EligibleCheck,
  d7_retention: d7RetentionCheck,
  d1_d14_retention: d1d14RetentionCheck,
  d7_p_value: d7PValueCheck,
  d7_interval: d7IntervalCheck,
  srm: srmCheck,
};

/** What each planted mistake must cost (checks that fail) and must not (checks that still pass). */
const EFFECTS: Record<RetentionDiagnosticId, { loses: RawCheck[]; keeps: RawCheck[] }> = {
  censored_in_denominator: {
    loses: ['d7_eligible', 'd7_retention', 'd1_d14_retention', 'd7_p_value', 'd7_interval'],
    keeps: ['srm'],
  },
  unbounded_retention: {
    loses: ['d7_retention', 'd1_d14_retention', 'd7_p_value', 'd7_interval'],
    keeps: ['d7_eligible', 'srm'],
  },
  rolling_24h_windows: {
    loses: ['d7_retention', 'd1_d14_retention', 'd7_p_value', 'd7_interval'],
    keeps: ['srm'],
  },
  session_level_retention: {
    loses: ['d7_eligible', 'd7_retention', 'd1_d14_retention', 'd7_interval'],
    keeps: [],
  },
  srm_on_eligible_only: {
    loses: ['srm'],
    keeps: ['d7_eligible', 'd7_retention', 'd1_d14_retention', 'd7_p_value', 'd7_interval'],
  },
  rates_as_percent: {
    loses: ['d7_retention', 'd1_d14_retention', 'd7_interval'],
    keeps: ['d7_eligible', 'd7_p_value', 'srm'],
  },
  first_page_only: {
    loses: ['d7_eligible', 'd7_retention', 'd1_d14_retention', 'd7_interval', 'srm'],
    keeps: [],
  },
};

const scenarios = plantedScenarios();

describe.each(scenarios.map((s) => [s.scenario, s] as const))(
  'planted mistakes on %s',
  (_name, planted) => {
    const oracle = computeRetentionOracle(planted.rows);

    it('finds no diagnostic and fails no check for the right figures', () => {
      const right = Object.fromEntries(RETENTION_RAW_STAT_FIELDS.map((f) => [f, oracle[f]]));
      expect(retentionDiagnostics(right, planted.rows, oracle)).toEqual([]);
      for (const [id, check] of Object.entries(RAW_CHECKS))
        expect(check(right, oracle).pass, id).toBe(true);
    });

    it.each(RETENTION_DIAGNOSTIC_IDS)(
      '%s: names exactly that mistake and loses the right checks',
      (mistake) => {
        const raw = planted.rawStats[mistake]!;
        expect(raw, `fixture for ${mistake}`).toBeDefined();
        const found = retentionDiagnostics(raw, planted.rows, oracle);
        expect(new Set(found.map((d) => d.id))).toEqual(new Set([mistake]));
        for (const d of found) {
          expect(d.message).toContain(d.field);
          expect(d.message.length).toBeLessThan(300);
        }
        const { loses, keeps } = EFFECTS[mistake];
        for (const id of loses)
          expect(RAW_CHECKS[id](raw, oracle).pass, `${mistake} should lose ${id}`).toBe(false);
        for (const id of keeps)
          expect(RAW_CHECKS[id](raw, oracle).pass, `${mistake} should keep ${id}`).toBe(true);
      },
    );
  },
);

describe('censoring-trap', () => {
  it('changes the decision when censored players count as churned', () => {
    const trap = scenarios.find((s) => s.scenario === 'censoring-trap')!;
    const oracle = computeRetentionOracle(trap.rows);
    expect(oracle.status).toBe('significant');
    expect(trap.rawStats.censored_in_denominator!.d7_p_value).toBeGreaterThanOrEqual(0.05);
  });
});
