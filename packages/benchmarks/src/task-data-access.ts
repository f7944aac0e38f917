/**
 * The "Getting the data" section shared by the notebook benchmarks that read `posthog_events` through
 * Supabase's REST API: how to call it and how it pages. Stated once so every task says the same.
 */
export function dataAccessSection(maxRowsPerRequest: number): string {
  return `## Getting the data

The file \`supabase.json\` in the working directory has this shape:

    {"url": "<table endpoint>?select=*", "headers": {"apikey": "<key>", "Authorization": "Bearer <key>"}}

Send a GET request to \`url\` with exactly those \`headers\` (\`requests.get(url, headers=headers)\` or
any equivalent HTTP client) and load the JSON array of rows into pandas. The URL applies no filter:
you receive every row, including rows that cannot be analysed, and cleaning them out is part of
the task. The endpoint is Supabase's REST API (PostgREST): one request returns at most
${maxRowsPerRequest} rows. The \`Content-Range\` response header states which rows were sent
(for example \`0-999/*\`; with the request header \`Prefer: count=exact\` the part after the slash
is the table's total). Later rows are requested with a \`Range: 1000-1999\` request header, or with
\`limit\` and \`offset\` query parameters (\`&limit=1000&offset=1000\`); rows come in no guaranteed
order unless \`&order=id\` is added.`;
}

/** Supabase answers at most this many rows per request unless the project raises the cap. */
export const SUPABASE_MAX_ROWS = 1000;
