/** What one check decided. `judged: false`: the evidence cannot exist; `detail` is the reason. */
export interface CheckOutcome {
  pass: boolean;
  detail: string;
  judged?: boolean;
  /**
   * Points earned by a check that grades partially (e.g. max × F1), an integer from 0 to its max; absent,
   * a judged check earns its max when it passes and 0 otherwise.
   */
  earned?: number;
}

/** A check whose evidence cannot exist for this run: neither earns nor loses points. */
export function notJudged(reason: string): CheckOutcome {
  return { pass: false, judged: false, detail: `not judged: ${reason}` };
}
