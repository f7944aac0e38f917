/**
 * Whether a reported figure follows a known wrong definition rather than the right one: the rule every
 * benchmark's diagnostics share (a diagnostic names the usual mistake a run's numbers follow).
 */
/** Relative and absolute tolerances of a diagnostic match; the looser of the two applies. */
export const MATCH_RELATIVE = 0.005;
export const MATCH_ABSOLUTE = 1e-6;

/** True when `value` is within 0.5% of `target` (relative to the target) or within 1e-6 absolute. */
export function within(value: number, target: number): boolean {
  return Math.abs(value - target) <= Math.max(MATCH_RELATIVE * Math.abs(target), MATCH_ABSOLUTE);
}

/**
 * "The reported value r follows the wrong figure w better than the right figure e", precisely:
 *  1. r is within tolerance of w;
 *  2. w is not within tolerance of e — on these rows the two definitions are told apart at all
 *     (otherwise r cannot say which one the run used; e null counts as told apart);
 *  3. r is not within tolerance of e, or r is strictly closer to w than to e.
 */
export function followsWrongBetter(reported: number, wrong: number, right: number | null): boolean {
  if (!within(reported, wrong)) return false;
  if (right === null) return true;
  if (within(wrong, right)) return false;
  return !within(reported, right) || Math.abs(reported - wrong) < Math.abs(reported - right);
}

/**
 * False when no wrong figure can satisfy followsWrongBetter: if r is within half the tolerance of e,
 * any w closer to r than e is within tolerance of e (|w − e| < 2|r − e|), so rule 2 fails. Lets a run
 * whose figures are right skip the recomputations.
 */
export function mayFollowWrong(reported: number, right: number | null): boolean {
  if (right === null) return true;
  return (
    Math.abs(reported - right) > Math.max(MATCH_RELATIVE * Math.abs(right), MATCH_ABSOLUTE) / 2
  );
}
