import { dataAccessSection, SUPABASE_MAX_ROWS } from '../task-data-access.js';
import { anomalyDaysDefinitions as d } from './definitions.js';

const [lag1, lag2, lag3, lag4] = d.baselineLags;

/**
 * The prompt of `anomaly-days`. The definitions are the words (#13); every threshold is read
 * from ./definitions.ts, so the text cannot drift from what the oracle computes.
 */
export const anomalyDaysTask = `# Anomalous Days: Pineapple Finder traffic

You are the analyst asked which days of the last quarter's traffic were anomalous. Work in a Python
notebook: write one cell at a time; each cell is executed and you see its output before writing the
next. Produce the files listed under "Deliverables" in the current working directory.

## The situation

Pineapple Finder is a memory game. Its daily traffic has a strong weekly rhythm. Somewhere in these
thirteen weeks there may be a tracking outage (one platform's events missing for a day), a bot (one
\`distinct_id\` firing thousands of \`${d.event}\` events on one day) and a holiday spike; or
nothing unusual at all. Flagging a normal day is as wrong as missing an anomalous one.

## The data

The events are in the Supabase table \`${d.table}\`, one row per event:

| column | type | meaning |
| --- | --- | --- |
| id | bigint | row id, increasing with time |
| event | text | event type: \`puzzle_started\`, \`puzzle_completed\`, \`puzzle_failed\`, \`puzzle_repeated\` |
| distinct_id | text | the player |
| session_id | text | the session |
| timestamp | timestamptz | when the event happened (UTC) |
| variant | text | unused here: null |
| feature_flag_response | text | unused here: null |
| completion_time_seconds | double precision | seconds to find every pineapple (completed events only) |
| correct_words_count | integer | pineapples found (completed events only) |
| total_guesses_count | integer | clicks made (completed events only) |
| platform | text | "mobile" or "desktop"; null when it was not captured |

${dataAccessSection(SUPABASE_MAX_ROWS)}

## Definitions (use exactly these)

- **Usable rows**: \`event\` is \`${d.event}\` and both \`distinct_id\` and \`session_id\` are not
  null.
- **Bots**: a \`distinct_id\` with more than ${d.botRowsPerDay} usable rows on any single UTC day is a
  bot; all of its rows are excluded.
- **Daily count** c(d): usable rows of non-bots per UTC calendar date, for every date from the first
  to the last UTC date of any usable row (bots included when finding that range), zero where there
  are none.
- **Baseline** b(d): the median of c(d−${lag1}), c(d−${lag2}), c(d−${lag3}), c(d−${lag4}) (the mean of
  the two middle values); defined from the ${d.firstEvaluatedDay}th day of the data on. Flagged days
  stay in later baselines as they are.
- **Ratio** r(d) = c(d) / b(d) − 1. A day is **anomalous** when |r(d)| ≥ ${d.threshold}: a \`drop\`
  when r < 0, a \`spike\` when r > 0. When b(d) = 0 the ratio is null and the day is a \`spike\` if
  c(d) > 0, normal otherwise.

## Notebook sections

Give the notebook these parts, each opened by a markdown heading:

1. Setup & data pull: read \`supabase.json\`, fetch all rows, build the DataFrame.
2. Data quality: usable rows, excluded rows, the bots and their rows.
3. Daily counts and baselines.
4. Anomalies: the flagged days and their type.
5. Visualizations: the chart below.
6. Conclusion: what happened on the flagged days; write \`summary.json\` and \`anomalies.csv\`.

The notebook \`analysis.ipynb\` is recorded from the cells you execute; you do not write it.

## Deliverables

- \`chart-daily-counts.png\`: the daily counts, the baseline and the flagged days.
- \`anomalies.csv\`: the anomalous days, one row each, with the header
  \`date,count,baseline,ratio,type\` (date as YYYY-MM-DD, an empty ratio when it is null), sorted by
  date.
- \`summary.json\`, shaped like this:

    {
      "anomalies": [{"date": "YYYY-MM-DD", "count": 0, "baseline": 0.0, "ratio": 0.0, "type": "drop" | "spike"}],
      "bot_ids": ["..."],
      "raw_stats": {"days_evaluated": 0, "anomaly_count": 0, "usable_rows": 0, "bot_rows": 0},
      "decision": "<one or two sentences on what the flagged days were>",
      "warnings": ["..."],
      "methodology": "...",
      "generated_at": "<ISO 8601 time>"
    }

  \`anomalies\` is sorted by date (empty when no day is anomalous), \`bot_ids\` is sorted.
  \`days_evaluated\` counts every day from the ${d.firstEvaluatedDay}th on, including those with a zero
  baseline; \`usable_rows\` counts usable rows before the bots are removed; \`bot_rows\` counts the
  bots' usable rows. \`anomalies\`, \`bot_ids\` and \`raw_stats\` are required.

Python packages available: pandas, numpy, matplotlib, requests.
`;
