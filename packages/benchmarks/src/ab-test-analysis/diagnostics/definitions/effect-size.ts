import { diffOver, oracleSummaries } from '../two-sample.js';
import type { WrongDefinition } from '../types.js';

/** Cohen's d over an unpooled SD: the plain average of the two variances, or one group's SD. */
export const cohensDUnpooled: WrongDefinition = {
  id: 'cohens_d_unpooled',
  fields: ['cohens_d'],
  figures: ({ oracle }) => {
    const { a, b } = oracleSummaries(oracle);
    const field = 'cohens_d';
    return [
      {
        field,
        value: diffOver(a, b, Math.sqrt((a.variance + b.variance) / 2)),
        how: 'over the unpooled SD √((s_A²+s_B²)/2)',
      },
      { field, value: diffOver(a, b, Math.sqrt(a.variance)), how: "over A's SD alone" },
      { field, value: diffOver(a, b, Math.sqrt(b.variance)), how: "over B's SD alone" },
    ];
  },
};
