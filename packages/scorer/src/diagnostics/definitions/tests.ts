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

/** The sample-ratio-mismatch χ² on events per variant instead of sessions per variant. */
export const srmOnEvents: WrongDefinition = {
  id: 'srm_on_events',
  fields: ['srm_p_value'],
  figures: ({ oracle }) => [
    {
      field: 'srm_p_value',
      value: oracle.srm_p_value_events,
      how: 'the SRM χ² on events instead of sessions',
    },
  ],
};
