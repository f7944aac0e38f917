import type { Oracle, Stat } from '../oracle/types.js';
import type { Candidate, StatField } from './types.js';

/** The right definition of each field, in the words a message uses. */
const RIGHT: Record<StatField, string> = {
  p_value: 'the two-sided Welch t-test p over every completion',
  cohens_d: 'd = (mean B − mean A) ÷ pooled SD over every completion',
  mean_a: 'the mean over every completion',
  mean_b: 'the mean over every completion',
  std_a: 'the SD over every completion',
  std_b: 'the SD over every completion',
  completion_rate_a: 'the attempt-level rate (completed ÷ started events)',
  completion_rate_b: 'the attempt-level rate (completed ÷ started events)',
  repeat_rate_a: 'repeats ÷ completions',
  repeat_rate_b: 'repeats ÷ completions',
  srm_p_value: 'the SRM χ² p on sessions per variant',
};

const at = (v: number, digits: number) => String(Number(v.toPrecision(digits)));

/** Shortest rendering (3 to 6 significant digits) that still tells the two numbers apart. */
function formatPair(x: number, y: number): [string, string] {
  let digits = 3;
  while (digits < 6 && at(x, digits) === at(y, digits)) digits += 1;
  return [at(x, digits), at(y, digits)];
}

/**
 * E.g. "completion_rate_a is 0.956, the share of sessions that ever completed; the attempt-level rate
 * (completed ÷ started events) is 0.889".
 */
export function diagnosticMessage(
  { field, how }: Candidate,
  reported: number,
  expected: Stat,
  oracle: Oracle,
): string {
  const [shown, right] =
    expected === null
      ? [
          at(reported, 3),
          `undefined on these rows (${oracle.undefined_reasons[field] ?? 'no value'})`,
        ]
      : formatPair(reported, expected);
  return `${field} is ${shown}, ${how.join(', ')}; ${RIGHT[field]} is ${right}`;
}
