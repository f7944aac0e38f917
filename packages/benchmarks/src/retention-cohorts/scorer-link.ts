/** The scorer's generic helpers this benchmark uses, in one place (the scorer never imports a benchmark). */
export {
  evenSplitChiSquare,
  normalInverseCdf,
  statResult,
  twoProportionZTest,
  type Stat,
} from '@localds/scorer';

// The diagnostics' match rule lives in the A/B benchmark's folder since #11; it is generic (numbers only),
// so it is shared from there rather than copied. Moving it to @localds/scorer would end this import.
export { followsWrongBetter, mayFollowWrong } from '@localds/scorer';
