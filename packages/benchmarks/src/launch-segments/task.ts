import { dataAccessSection, SUPABASE_MAX_ROWS } from '../task-data-access.js';
import { launchSegmentsDefinitions as d } from './definitions.js';

const { events: e } = d;
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * The prompt of `launch-segments`. The definitions are the words (#13); every threshold and
 * name is read from ./definitions.ts, so the text cannot drift from what the oracle computes.
 */
export const launchSegmentsTask = `# Launch Read Across Segments: Pineapple Finder

You are the analyst asked whether a product launch helped or hurt. Work in a Python notebook: write
one cell at a time; each cell is executed and you see its output before writing the next. Produce
the files listed under "Deliverables" in the current working directory.

## The launch

Pineapple Finder is a memory game: a board is shown for 7 seconds, then the player has 60 seconds
to find every pineapple on it. At ${d.launchInstant} (a Monday morning, UTC) the board went from
${d.pineapples.before} to ${d.pineapples.after} pineapples for everyone. There was no randomisation:
every player saw the old board before that instant and the new one after it. At the same time a
marketing campaign moved traffic from mobile to desktop, and desktop players complete puzzles far
more often than mobile players. The question is whether the new board changed how often players
complete a puzzle.

## The data

The events are in the Supabase table \`${d.table}\`, one row per event:

| column | type | meaning |
| --- | --- | --- |
| id | bigint | row id, increasing with time |
| event | text | event type (below) |
| distinct_id | text | the player |
| session_id | text | the session |
| timestamp | timestamptz | when the event happened (UTC) |
| variant | text | unused here (no experiment ran): null |
| feature_flag_response | text | unused here: null |
| completion_time_seconds | double precision | seconds the player needed to find every pineapple |
| correct_words_count | integer | pineapples found |
| total_guesses_count | integer | clicks made, right and wrong |
| platform | text | "mobile" or "desktop"; null when it was not captured |

Event types:

- \`${e.started}\`: an attempt at a puzzle begins.
- \`${e.completed}\`: the player found every pineapple in time.
- \`${e.failed}\`: the attempt ended without finding them all.
- \`${e.repeated}\`: after a completed puzzle the player chose to play again; a new
  \`${e.started}\` follows.

${dataAccessSection(SUPABASE_MAX_ROWS)}

## Definitions (use exactly these)

- **Usable rows**: \`platform\` is "mobile" or "desktop" and \`session_id\` is not null. Every figure
  below uses usable rows only.
- **Period**: \`before\` when \`timestamp\` < the launch instant (${d.launchInstant}), otherwise
  \`after\`.
- **Completion rate** of a cell: \`${e.completed}\` events / \`${e.started}\` events, per period and
  platform, and pooled over platforms per period.
- **Pooled test**: Pearson chi-square on the 2×2 table period × (completed, started − completed), no
  continuity correction.
- **Stratified effect**: per platform the 2×2 table period (after, before) × (completed, started −
  completed); the Mantel–Haenszel common odds ratio of completion (after versus before) over the two
  platforms, its ${pct(d.ciLevel)} confidence interval with the Robins–Breslow–Greenland variance,
  and the Cochran–Mantel–Haenszel test of a common odds ratio of 1 without continuity correction (the
  values statsmodels' \`StratifiedTable\` gives with \`correction=False\`), with z = Φ⁻¹(0.975). A
  platform with no events in either period is left out; if a cell is negative (more completions than
  starts) or the odds ratio is undefined (Σ b·c/n or Σ a·d/n is 0), the stratified statistics are
  null and the status is \`not_significant\`.
- **Decision**: CMH p < ${d.alpha} and odds ratio < 1 → \`status\` "significant", \`direction\`
  "worse", \`recommendation\` "roll_back"; CMH p < ${d.alpha} and odds ratio > 1 → "significant",
  "better", "keep"; otherwise "not_significant", null, null.

## Notebook sections

Give the notebook these parts, each opened by a markdown heading:

1. Setup & data pull: read \`supabase.json\`, fetch all rows, build the DataFrame.
2. Data quality: excluded rows (null or other platforms, null sessions), event counts per period.
3. Segment mix: each period's platform mix.
4. Pooled comparison: the pooled rates and the pooled chi-square test.
5. Stratified analysis: the per-platform rates, the Mantel–Haenszel odds ratio with its interval,
   the CMH test.
6. Visualizations: the two charts below.
7. Conclusion & recommendation: the decision and why; write \`summary.json\`.

The notebook \`analysis.ipynb\` is recorded from the cells you execute; you do not write it.

## Deliverables

- \`chart-rates-by-segment.png\`: the completion rate per period and platform, and pooled.
- \`chart-segment-mix.png\`: each period's platform mix (share of started events per platform).
- \`summary.json\`, shaped like this:

    {
      "status": "significant" | "not_significant",
      "direction": "better" | "worse" | null,
      "recommendation": "keep" | "roll_back" | null,
      "decision": "<one or two sentences citing the figures>",
      "raw_stats": {
        "pooled_rate_before": 0.0, "pooled_rate_after": 0.0, "pooled_p_value": 0.0,
        "rate_before_mobile": 0.0, "rate_after_mobile": 0.0,
        "rate_before_desktop": 0.0, "rate_after_desktop": 0.0,
        "mh_odds_ratio": 0.0, "mh_ci_low": 0.0, "mh_ci_high": 0.0, "cmh_p_value": 0.0
      },
      "warnings": ["..."],
      "methodology": "...",
      "generated_at": "<ISO 8601 time>"
    }

  Every field but \`warnings\`, \`methodology\` and \`generated_at\` is required; a statistic the
  definitions leave undefined is null. Write numbers as JSON numbers and rates as fractions between 0
  and 1 (0.5, not 50).

Python packages available: pandas, numpy, scipy, statsmodels, matplotlib, requests.
`;
