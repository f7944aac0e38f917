import type { Modifier } from './types.js';

/** Rates reported as percentages. */
export const ratesAsPercent: Modifier = {
  id: 'rates_as_percent',
  fields: ['completion_rate_a', 'completion_rate_b', 'repeat_rate_a', 'repeat_rate_b'],
  apply: (value) => [{ value: value * 100, how: 'reported as a percentage (×100)' }],
};

/** Cohen's d as (A − B) instead of (B − A). */
export const cohensDSign: Modifier = {
  id: 'cohens_d_sign',
  fields: ['cohens_d'],
  apply: (value) => [{ value: -value, how: 'with the sign flipped (A − B)' }],
};

/** A one-tailed p: half the two-sided p, or its complement when the tail points the other way. */
export const oneTailedP: Modifier = {
  id: 'one_tailed_p',
  fields: ['p_value'],
  apply: (value) => [
    { value: value / 2, how: 'one-tailed (half the two-sided p)' },
    { value: 1 - value / 2, how: 'one-tailed in the direction opposite to the effect' },
  ],
};

export const MODIFIERS: readonly Modifier[] = [ratesAsPercent, cohensDSign, oneTailedP];
