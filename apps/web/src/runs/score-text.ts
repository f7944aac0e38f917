import { formatJudged, type Scorecard } from '@localds/scorer';

/**
 * The page's one way to write a score: "95 of 95 judged (100%)". Points of checks that could not be
 * judged are in neither number, so the judged total is always shown with the percentage.
 */
export function scoreSummary(card: Pick<Scorecard, 'earned' | 'judged' | 'pct'>): string {
  return `${judgedText(card)} (${card.pct}%)`;
}

/** "95 of 95 judged", for where the percentage is shown apart. */
export function judgedText(card: Pick<Scorecard, 'earned' | 'judged'>): string {
  return formatJudged(card);
}
