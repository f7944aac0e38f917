/** What one check decided. `judged: false`: the evidence cannot exist; `detail` is the reason. */
export interface CheckOutcome {
  pass: boolean;
  detail: string;
  judged?: boolean;
}

/** A check whose evidence cannot exist for this run: neither earns nor loses points. */
export function notJudged(reason: string): CheckOutcome {
  return { pass: false, judged: false, detail: `not judged: ${reason}` };
}
