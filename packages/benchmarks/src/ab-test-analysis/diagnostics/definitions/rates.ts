import type { Stat, VariantFigures } from '../../oracle/types.js';
import type { Figure, WrongDefinition } from '../types.js';

const ratio = (num: number, den: number): Stat => (den > 0 ? num / den : null);

/** Completion rate as the share of sessions that ever completed, instead of completed ÷ started events. */
export const sessionLevelCompletionRate: WrongDefinition = {
  id: 'session_level_completion_rate',
  fields: ['completion_rate_a', 'completion_rate_b'],
  figures: ({ oracle: { variants } }) => {
    const how = 'the share of sessions that ever completed';
    return [
      { field: 'completion_rate_a', value: variants.A.session_completion_rate, how },
      { field: 'completion_rate_b', value: variants.B.session_completion_rate, how },
    ];
  },
};

function wrongRepeatRates(field: 'repeat_rate_a' | 'repeat_rate_b', v: VariantFigures): Figure[] {
  return [
    { field, value: ratio(v.repeated, v.started), how: 'repeats ÷ started events' },
    { field, value: ratio(v.repeated, v.sessions), how: 'repeats ÷ sessions' },
  ];
}

/** Repeat rate over started events or over sessions, instead of over completions. */
export const repeatRateDenominator: WrongDefinition = {
  id: 'repeat_rate_denominator',
  fields: ['repeat_rate_a', 'repeat_rate_b'],
  figures: ({ oracle: { variants } }) => [
    ...wrongRepeatRates('repeat_rate_a', variants.A),
    ...wrongRepeatRates('repeat_rate_b', variants.B),
  ],
};
