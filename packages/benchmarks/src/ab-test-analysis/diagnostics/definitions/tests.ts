import { abTestDefinitions } from '../../definitions.js';
import { type EventRow } from '../../events.js';
import { evenSplitChiSquare } from '@localds/scorer';
import { oracleSummaries, studentP } from '../two-sample.js';
import type { WrongDefinition } from '../types.js';

/** Student's pooled-variance t-test instead of Welch's. */
export const studentT: WrongDefinition = {
  id: 'student_t',
  fields: ['p_value'],
  figures: ({ oracle }) => {
    const { a, b } = oracleSummaries(oracle);
    return [
      {
        field: 'p_value',
        value: studentP(a, b),
        how: "Student's pooled-variance t-test instead of Welch's",
      },
    ];
  },
};

/** Events per variant counting every row with a variant, null session or not (no cleaning first). */
function srmOnAllEvents(rows: readonly EventRow[]) {
  const { control, treatment } = abTestDefinitions;
  let a = 0;
  let b = 0;
  for (const row of rows) {
    if (row.variant === control) a++;
    else if (row.variant === treatment) b++;
  }
  return evenSplitChiSquare(a, b, 'events').values.p;
}

/** The sample-ratio-mismatch χ² on events per variant instead of sessions per variant. */
export const srmOnEvents: WrongDefinition = {
  id: 'srm_on_events',
  fields: ['srm_p_value'],
  figures: ({ oracle, rows }) => [
    {
      field: 'srm_p_value',
      value: oracle.srm_p_value_events,
      how: 'the SRM χ² on events instead of sessions',
    },
    {
      field: 'srm_p_value',
      value: srmOnAllEvents(rows),
      how: 'the SRM χ² on events (rows without a session included) instead of sessions',
    },
  ],
};
