import { describe, expect, it } from 'vitest';
import { retentionTask } from '../task.js';

/** Issue #12's definitions, copied verbatim from the issue: the task must state exactly these. */
const ISSUE_DEFINITIONS = [
  '**Usable rows**: `variant` is "A" or "B" and `distinct_id` is not null. A player (`distinct_id`) whose usable rows carry both variants is excluded from every figure and counted in `mixed_players`.',
  "**Activity day**: the UTC calendar date of a usable event's `timestamp`.",
  "A player's **day 0** is their earliest activity day. The **data end** is the latest activity day of any usable row (mixed players' rows included).",
  'A player is **eligible for Dk** when day 0 + k days ≤ data end. A player is **retained at Dk** when they have an activity day exactly equal to day 0 + k.',
  '**Dk retention** of a variant = eligible players of that variant retained at Dk / eligible players of that variant, for k = 1, 7, 14.',
  '**Primary test**: D7 retention of B versus A, two-sided two-proportion z-test with the pooled proportion; the difference (B − A) with its 95% Wald interval (unpooled standard error), using z = Φ⁻¹(0.975) (not 1.96). Quantities that are undefined (no eligible player in a variant, a pooled proportion of 0 or 1) are null; a null in the D7 test makes the status `not_significant`.',
  '**Cohort table**: weekly cohorts by the Monday on or before day 0; D1, D7 and D14 retention of each cohort and variant, null where no player of the cell is eligible. `cohort-table.csv` has the columns `cohort_monday,variant,players,d1,d7,d14` (ISO date, "A"/"B", count, fractions; an empty cell for null), sorted by cohort then variant.',
  '**SRM**: players per variant (every non-mixed player with a usable row, eligible or not) against an even split, chi-square goodness of fit.',
  '**Decision**: SRM p < 0.01 → `inconclusive`, no variant; otherwise D7 p < 0.05 → `significant`, recommend the variant with the higher D7 retention; otherwise `not_significant`, no variant.',
];

const RAW_STATS = [
  'd1_retention_a',
  'd1_retention_b',
  'd7_retention_a',
  'd7_retention_b',
  'd14_retention_a',
  'd14_retention_b',
  'd7_eligible_a',
  'd7_eligible_b',
  'd7_p_value',
  'd7_diff_ci_low',
  'd7_diff_ci_high',
  'srm_p_value',
  'mixed_players',
];

describe('retention task text', () => {
  it.each(ISSUE_DEFINITIONS)('states the issue definition verbatim: %s', (line) => {
    expect(retentionTask).toContain(`- ${line}\n`);
  });

  it('names every raw_stats field, every deliverable and the packages line the stdlib variant replaces', () => {
    for (const field of RAW_STATS) expect(retentionTask).toContain(`"${field}"`);
    for (const file of [
      'summary.json',
      'cohort-table.csv',
      'chart-retention-curve.png',
      'chart-cohort-heatmap.png',
    ]) {
      expect(retentionTask).toContain(file);
    }
    expect(retentionTask).toMatch(
      /^Python packages available: pandas, numpy, scipy, matplotlib, requests\.$/m,
    );
  });
});
