import { abTestDefinitions as d } from './definitions.js';

/** Supabase answers at most this many rows per request unless the project raises the cap. */
export const MAX_ROWS_PER_REQUEST = 1000;

const { game, events: e } = d;
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * The prompt of `ab-test-analysis`, written for this project. Every threshold and name is read from
 * the definitions, so the text cannot drift from what the oracle computes.
 */
export const abTestTask = `# A/B Test Production Analysis: ${game.name}

You are the analyst on a live product experiment. Work in a Python notebook: write one cell at a
time; each cell is executed and you see its output before writing the next. Produce the files
listed under "Deliverables" in the current working directory.

## The experiment

${game.name} is a memory game. A puzzle shows a board for ${game.memorizeSeconds} seconds; the
player memorises where the pineapples are and then has ${game.timeLimitSeconds} seconds to find
all of them. Two versions are being compared:

- Variant ${d.control} (control): ${game.pineapples.A} pineapples to find.
- Variant ${d.treatment} (treatment): ${game.pineapples.B} pineapples to find.

The question is whether the extra pineapple makes the game harder. Traffic is real and
randomised: every session is assigned to ${d.control} or ${d.treatment} with equal probability and
keeps that variant for its whole life. One player (\`distinct_id\`) may play several sessions.

## The data

The events are in the Supabase table \`${d.table}\`, one row per event:

| column | type | meaning |
| --- | --- | --- |
| id | bigint | row id, increasing with time |
| event | text | event type (below) |
| distinct_id | text | the player |
| session_id | text | the session; the variant is assigned per session |
| timestamp | timestamptz | when the event happened (UTC) |
| variant | text | "${d.control}" or "${d.treatment}" |
| feature_flag_response | text | the feature-flag value the client received |
| ${d.primaryMetric} | double precision | seconds the player needed to find every pineapple |
| correct_words_count | integer | pineapples found |
| total_guesses_count | integer | clicks made, right and wrong |

Event types:

- \`${e.started}\`: an attempt at a puzzle begins.
- \`${e.completed}\`: the player found every pineapple in time.
- \`${e.failed}\`: the attempt ended without finding them all.
- \`${e.repeated}\`: after a completed puzzle the player chose to play again; a new
  \`${e.started}\` follows.

\`${d.primaryMetric}\`, \`correct_words_count\` and \`total_guesses_count\` are filled only on
\`${e.completed}\` rows and are null on every other event. A session may hold many attempts and
many completions: in the primary analysis each \`${e.completed}\` event is one observation. Do not
reduce the data to one value per session or per player.

## Getting the data

The file \`supabase.json\` in the working directory has this shape:

    {"url": "<table endpoint>?select=*", "headers": {"apikey": "<key>", "Authorization": "Bearer <key>"}}

Send a GET request to \`url\` with exactly those \`headers\` (\`requests.get(url, headers=headers)\` or
any equivalent HTTP client) and load the JSON array of rows into pandas. The URL applies no filter:
you receive every row, including rows that cannot be analysed, and cleaning them out is part of
the task. The endpoint is Supabase's REST API (PostgREST): one request returns at most
${MAX_ROWS_PER_REQUEST} rows. The \`Content-Range\` response header states which rows were sent
(for example \`0-999/*\`; with the request header \`Prefer: count=exact\` the part after the slash
is the table's total). Later rows are requested with a \`Range: 1000-1999\` request header, or with
\`limit\` and \`offset\` query parameters (\`&limit=1000&offset=1000\`); rows come in no guaranteed
order unless \`&order=id\` is added.

## Definitions (use exactly these)

- **Usable rows.** Drop every row whose \`variant\` is null (or anything other than
  "${d.control}"/"${d.treatment}") or whose \`session_id\` is null. Every figure below uses usable
  rows only.
- **Primary metric.** \`${d.primaryMetric}\` of the \`${e.completed}\` events, per variant. Report
  each variant's mean and standard deviation (sample SD, n − 1 in the denominator). Compare
  ${d.treatment} with ${d.control} by Welch's two-sided t-test (variances not assumed equal).
  Give the difference mean_${d.treatment} − mean_${d.control} with its ${pct(d.ciLevel)} confidence
  interval, using the Welch–Satterthwaite degrees of freedom. Effect size is Cohen's d =
  (mean_${d.treatment} − mean_${d.control}) / pooled SD, where pooled SD =
  √(((n_A − 1)·s_A² + (n_B − 1)·s_B²) / (n_A + n_B − 2)).
- **Completion rate** (guardrail). Per variant: the number of \`${e.completed}\` events divided by
  the number of \`${e.started}\` events. Test the difference with Pearson's chi-square test on the 2×2 table of
  variant × (completed, started − completed), with no continuity correction.
- **Repeat rate** (guardrail). Per variant: the number of \`${e.repeated}\` events divided by the
  number of \`${e.completed}\` events. Test the difference with a two-sided two-proportion z-test
  that uses the pooled proportion.
- **Sample ratio mismatch (SRM).** Count distinct \`session_id\` values per variant and compare
  them with an even 50/50 split by a chi-square goodness-of-fit test.
- **Decision.**
  1. If the SRM p-value is below ${d.srmAlpha}, the status is "inconclusive" and no variant is
     recommended.
  2. Otherwise, if the primary p-value is below ${d.alpha}, the status is "significant". Recommend
     the variant with the lower mean completion time, unless that variant's completion rate or
     repeat rate is lower than the other variant's with a guardrail p-value below ${d.alpha}; in
     that case recommend the other variant.
  3. Otherwise the status is "not_significant" and no variant is recommended.

## Notebook sections

Give the notebook these parts, each opened by a markdown heading:

1. Setup & data pull: read \`supabase.json\`, fetch all rows, build the DataFrame.
2. Metric definitions & sanity checks: state the definitions; data quality (nulls, excluded rows,
   event counts); the SRM test.
3. Primary analysis: Welch's t-test, the confidence interval, Cohen's d.
4. Guardrail analysis: completion-rate chi-square test and repeat-rate z-test.
5. Visualizations: the three charts below.
6. Conclusion & recommendation: the decision and why; write \`summary.json\`.

The notebook \`analysis.ipynb\` is recorded from the cells you execute; you do not write it.

## Deliverables

- \`chart-distribution.png\`: the distribution of completion times for each variant.
- \`chart-treatment-effect.png\`: the difference in mean completion time (${d.treatment} −
  ${d.control}) with its ${pct(d.ciLevel)} confidence interval.
- \`chart-completion-rates.png\`: the completion rate of each variant.
- \`summary.json\`, shaped like this:

    {
      "status": "significant" | "not_significant" | "inconclusive",
      "recommended_variant": "A" | "B" | null,
      "decision": "<one or two sentences>",
      "metrics": [{"label": "...", "value": 0.0, "delta": 0.0, "delta_direction": "up" | "down" | "neutral", "context": "..."}],
      "raw_stats": {
        "p_value": 0.0, "cohens_d": 0.0, "mean_a": 0.0, "mean_b": 0.0, "std_a": 0.0, "std_b": 0.0,
        "completion_rate_a": 0.0, "completion_rate_b": 0.0, "repeat_rate_a": 0.0, "repeat_rate_b": 0.0,
        "srm_p_value": 0.0
      },
      "warnings": ["..."],
      "methodology": "...",
      "generated_at": "<ISO 8601 time>"
    }

  \`status\`, \`recommended_variant\` and, in \`raw_stats\`, \`p_value\` (primary test), \`cohens_d\`,
  \`mean_a\`, \`mean_b\`, \`completion_rate_a\`, \`completion_rate_b\` and \`srm_p_value\` are required; the
  other fields are optional but must have these types if present. Write numbers as JSON numbers,
  times in seconds and rates as fractions between 0 and 1 (0.5, not 50).

Python packages available: pandas, numpy, scipy, matplotlib, requests.
`;
