import { formatPassK } from '@localds/scorer/score-stats';

/** pass^k is shown up to this k (as in the report); a table of models never needs more. */
const SHOWN_K = 5;

/** The k of a table's pass^k columns: 1 up to the most trials any of its models has, at most SHOWN_K. */
export function shownKs(trialCounts: readonly number[]): number[] {
  return Array.from({ length: Math.min(SHOWN_K, Math.max(...trialCounts)) }, (_, i) => i + 1);
}

/** The pass^k column heads. */
export function PassKHeads({ ks }: { ks: readonly number[] }) {
  return ks.map((k) => (
    <th key={k} scope="col">
      pass^{k}
    </th>
  ));
}

/** One model's pass^k cells (— where it has fewer than k trials). */
export function PassKCells({
  ks,
  passK,
}: {
  ks: readonly number[];
  passK: readonly { value: number }[];
}) {
  return ks.map((k) => (
    <td key={k} className="num" data-stat={`pass^${k}`}>
      {passK[k - 1] ? formatPassK(passK[k - 1]!.value) : '—'}
    </td>
  ));
}
