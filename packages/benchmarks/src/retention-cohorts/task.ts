import { RETENTION_MAX_ROWS_PER_REQUEST } from './events.js';
import { retentionDefinitions as d } from './definitions.js';
import { RETENTION_RAW_STAT_FIELDS } from './oracle-types.js';

export const COHORT_TABLE_FILE = 'cohort-table.csv';
export const RETENTION_CURVE_CHART = 'chart-retention-curve.png';
export const COHORT_HEATMAP_CHART = 'chart-cohort-heatmap.png';
export const COHORT_TABLE_COLUMNS = [
  'cohort_monday',
  'variant',
  'players',
  'd1',
  'd7',
  'd14',
] as const;

const [k1, k7, k14] = d.horizons;
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * The definitions exactly as issue #12 words them; the oracle computes exactly these. Numbers come
 * from ./definitions.ts, and test/task.test.ts checks the rendered lines against the issue's text.
 */
export const retentionDefinitionLines = [
  `**Usable rows**: \`variant\` is "${d.control}" or "${d.treatment}" and \`distinct_id\` is not null. A player (\`distinct_id\`) whose usable rows carry both variants is excluded from every figure and counted in \`mixed_players\`.`,
  `**Activity day**: the UTC calendar date of a usable event's \`timestamp\`.`,
  `A player's **day 0** is their earliest activity day. The **data end** is the latest activity day of any usable row (mixed players' rows included).`,
  `A player is **eligible for Dk** when day 0 + k days ≤ data end. A player is **retained at Dk** when they have an activity day exactly equal to day 0 + k.`,
  `**Dk retention** of a variant = eligible players of that variant retained at Dk / eligible players of that variant, for k = ${k1}, ${k7}, ${k14}.`,
  `**Primary test**: D${d.primaryHorizon} retention of ${d.treatment} versus ${d.control}, two-sided two-proportion z-test with the pooled proportion; the difference (${d.treatment} − ${d.control}) with its ${pct(d.ciLevel)} Wald interval (unpooled standard error), using z = Φ⁻¹(${0.5 + d.ciLevel / 2}) (not 1.96). Quantities that are undefined (no eligible player in a variant, a pooled proportion of 0 or 1) are null; a null in the D${d.primaryHorizon} test makes the status \`not_significant\`.`,
  `**Cohort table**: weekly cohorts by the Monday on or before day 0; D${k1}, D${k7} and D${k14} retention of each cohort and variant, null where no player of the cell is eligible. \`cohort-table.csv\` has the columns \`cohort_monday,variant,players,d1,d7,d14\` (ISO date, "${d.control}"/"${d.treatment}", count, fractions; an empty cell for null), sorted by cohort then variant.`,
  `**SRM**: players per variant (every non-mixed player with a usable row, eligible or not) against an even split, chi-square goodness of fit.`,
  `**Decision**: SRM p < ${d.srmAlpha} → \`inconclusive\`, no variant; otherwise D${d.primaryHorizon} p < ${d.alpha} → \`significant\`, recommend the variant with the higher D${d.primaryHorizon} retention; otherwise \`not_significant\`, no variant.`,
] as const;

const rawStatsExample = RETENTION_RAW_STAT_FIELDS.map((f) =>
  f.startsWith('d7_eligible') || f === 'mixed_players' ? `"${f}": 0` : `"${f}": 0.0`,
).join(', ');

/** The prompt of `retention-cohorts`, written for this project; see ab-test/task.ts for the shared parts. */
export const retentionTask = `# Player Retention Analysis: ${d.game.name}

You are the analyst on a live product experiment. Work in a Python notebook: write one cell at a
time; each cell is executed and you see its output before writing the next. Produce the files
listed under "Deliverables" in the current working directory.

## The experiment

${d.game.name} is a memory game: a puzzle shows a board for a few seconds, then the player has to
find every pineapple on it. The experiment is randomised **per player**: every player
(\`distinct_id\`) is assigned to ${d.control} or ${d.treatment} with equal probability and keeps that
variant for good.

- Variant ${d.control} (control): the game as it is.
- Variant ${d.treatment} (treatment): a streak reward for playing on consecutive days.

The question: does the reward bring players back? The table holds about eight weeks of events.
Players keep joining until the last day, so the most recent ones have not been around long enough
to be seen coming back; the definitions below say how to treat them.

## The data

The events are in the Supabase table \`${d.table}\`, one row per event:

| column | type | meaning |
| --- | --- | --- |
| id | bigint | row id, increasing with time |
| event | text | event type: puzzle_started, puzzle_completed, puzzle_failed, puzzle_repeated |
| distinct_id | text | the player |
| session_id | text | the session (a visit); a player has many |
| timestamp | timestamptz | when the event happened |
| variant | text | "${d.control}" or "${d.treatment}" |
| feature_flag_response | text | the feature-flag value the client received |
| completion_time_seconds | double precision | seconds to find every pineapple (completions only) |
| correct_words_count | integer | pineapples found (completions only) |
| total_guesses_count | integer | clicks made (completions only) |

Any event counts as activity; the event type does not matter for retention.

## Getting the data

The file \`supabase.json\` in the working directory has this shape:

    {"url": "<table endpoint>?select=*", "headers": {"apikey": "<key>", "Authorization": "Bearer <key>"}}

Send a GET request to \`url\` with exactly those \`headers\` (\`requests.get(url, headers=headers)\` or
any equivalent HTTP client) and load the JSON array of rows into pandas. The URL applies no filter:
you receive every row, including rows that cannot be analysed, and cleaning them out is part of
the task. The endpoint is Supabase's REST API (PostgREST): one request returns at most
${RETENTION_MAX_ROWS_PER_REQUEST} rows. The \`Content-Range\` response header states which rows were sent
(for example \`0-999/*\`; with the request header \`Prefer: count=exact\` the part after the slash
is the table's total). Later rows are requested with a \`Range: 1000-1999\` request header, or with
\`limit\` and \`offset\` query parameters (\`&limit=1000&offset=1000\`); rows come in no guaranteed
order unless \`&order=id\` is added.

## Definitions (use exactly these)

${retentionDefinitionLines.map((line) => `- ${line}`).join('\n')}

In the cohort table, \`players\` is the number of non-mixed players of the cohort and variant
(eligible or not), and there is one row per cohort and variant with at least one player.

## Notebook sections

Give the notebook these parts, each opened by a markdown heading:

1. Setup & data pull: read \`supabase.json\`, fetch all rows, build the DataFrame.
2. Definitions & data quality: state the definitions; excluded rows, mixed players, the data end;
   the SRM test.
3. Retention: eligibility, D${k1}/D${k7}/D${k14} retention per variant, the D${d.primaryHorizon}
   z-test and its Wald interval.
4. Cohorts: the weekly cohort table.
5. Visualizations: the two charts below.
6. Conclusion & recommendation: the decision and why; write \`summary.json\`.

The notebook \`analysis.ipynb\` is recorded from the cells you execute; you do not write it.

## Deliverables

- \`${RETENTION_CURVE_CHART}\`: retention by day since day 0 for k = 0…${d.curveDays} (eligible players
  retained at Dk / eligible players at Dk), one line per variant.
- \`${COHORT_HEATMAP_CHART}\`: a heatmap of the cohort table's retention (cohorts by D${k1}, D${k7},
  D${k14}), for each variant.
- \`${COHORT_TABLE_FILE}\`: the cohort table, as defined above.
- \`summary.json\`, shaped like this:

    {
      "status": "significant" | "not_significant" | "inconclusive",
      "recommended_variant": "${d.control}" | "${d.treatment}" | null,
      "decision": "<one or two sentences>",
      "raw_stats": {${rawStatsExample}}
    }

  Every field shown is required. In \`raw_stats\`, rates are fractions between 0 and 1 (0.25, not
  25), \`d7_eligible_a\`, \`d7_eligible_b\` and \`mixed_players\` are counts, and a quantity the
  definitions leave undefined is \`null\`. Write numbers as JSON numbers. \`decision\` is free text.

Python packages available: pandas, numpy, scipy, matplotlib, requests.
`;
