// The trace's data-access evidence, end to end on the harness side: requests answered by the real
// embedded endpoint through answerRequest (where every level records them), turned into the trace by
// buildTrace, and judged by the scorer's traceDataAccess.
import { AB_TEST_TABLE, abTestScoring, computeOracle, generateDataset } from '@localds/benchmarks';
import {
  readRunFolderFiles,
  scoreRun,
  serializeRunJson,
  type CheckResult,
  type RunJson,
  type Trace,
} from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import {
  answerRequest,
  buildTrace,
  type AgentRunResult,
  type RequestRecord,
} from '../src/index.js';
import { serveRows, randomAnonKey } from '../src/run/data.js';

const rows = generateDataset('large-paginated');
const key = randomAnonKey();
const served = serveRows(rows, 'http://embedded.localds.invalid', AB_TEST_TABLE, key);
const tableUrl = served.tableUrl;

async function get(url: string, headers: Record<string, string> = {}): Promise<RequestRecord> {
  const { record } = await answerRequest(
    { method: 'GET', url, headers: { apikey: key, ...headers } },
    [served.allowedPrefix],
    served.fetchHandler,
  );
  return record;
}

/** The scorer's full-mode data_access verdict on a run whose trace is `trace` (public API only). */
async function traceDataAccess(
  trace: Trace,
  table: string,
  total: number | null,
): Promise<Pick<CheckResult, 'pass' | 'detail'>> {
  const runJson: RunJson = {
    schema_version: 1,
    run_id: 'trace-test',
    benchmark: { id: 'ab-test-analysis', version: '1.0.0' },
    model: { name: 'none', provider: 'replay' },
    sampling: { temperature: null, top_p: null, seed: null, max_tokens: null },
    prompts: { system: '', user: '' },
    transcript: [],
    timings: { started_at: '2026-11-24T00:00:00Z', finished_at: null, duration_ms: null },
    tokens: { prompt: 0, completion: 0 },
    versions: { localds: '0', benchmark: '1.0.0', scorer: '0', pyodide: null },
    isolation: 'node-pyodide',
    scripted: true,
    end_reason: 'done',
    data: { table_url: table, snapshot: null },
    trace,
    scorecard: null,
  };
  const folder = readRunFolderFiles(
    new Map([['run.json', new TextEncoder().encode(serializeRunJson(runJson))]]),
  );
  // Without rows the table's size comes from the trace; with rows, from their count.
  const card = await scoreRun(folder, {
    benchmark: abTestScoring,
    oracle: computeOracle(rows),
    mode: 'full',
    ...(total === null ? {} : { rows }),
  });
  const { pass, detail } = card.checks.data_access!;
  return { pass, detail };
}

function traceOf(requests: RequestRecord[]) {
  const result = {
    turns: [],
    cells: [
      {
        index: 0,
        turn: 1,
        code: '',
        status: 'ok',
        executionCount: 1,
        outputs: [],
        durationMs: 1,
        stateLost: false,
        unterminated: false,
        requests,
        files: [],
        figures: [],
      },
    ],
  } as unknown as AgentRunResult;
  return buildTrace(result);
}

describe('data-access evidence in the trace', () => {
  it('records rows returned, Content-Range and the requested range', async () => {
    const record = await get(`${tableUrl}?select=*&order=id&limit=1000&offset=1000`, {
      Prefer: 'count=exact',
    });
    expect(record.rowsReturned).toBe(1000);
    expect(record.contentRange).toBe(`1000-1999/${rows.length}`);
    const [request] = traceOf([record]).requests;
    expect(request).toMatchObject({
      rows_returned: 1000,
      total_rows: rows.length,
      more_rows: true,
      range: { offset: 1000, limit: 1000 },
    });
  });

  it('passes a full read paged with limit/offset and fails a first-page-only read', async () => {
    const pages: RequestRecord[] = [];
    for (let offset = 0; offset < rows.length; offset += 1000) {
      pages.push(await get(`${tableUrl}?select=*&order=id&limit=1000&offset=${offset}`));
    }
    expect(pages.at(-1)!.rowsReturned).toBe(rows.length % 1000);
    const full = await traceDataAccess(traceOf(pages), tableUrl, rows.length);
    expect(full).toMatchObject({ pass: true });

    const first = await traceDataAccess(
      traceOf([await get(`${tableUrl}?select=*`)]),
      tableUrl,
      rows.length,
    );
    expect(first).toEqual({ pass: false, detail: `read 1000 of ${rows.length} rows` });
  });

  it('reads the range of a request paged by its Range header', async () => {
    const pages: RequestRecord[] = [];
    for (let from = 0; from < rows.length; from += 1000) {
      pages.push(await get(`${tableUrl}?select=*&order=id`, { Range: `${from}-${from + 999}` }));
    }
    const trace = traceOf(pages);
    expect(trace.requests[1]!.range).toEqual({ offset: 1000, limit: 1000 });
    expect(trace.requests.at(-1)!.more_rows).toBe(false);
    // Without a known total the last page's "no more rows" is what proves the read complete.
    expect(await traceDataAccess(trace, tableUrl, null)).toMatchObject({ pass: true });
  });

  it('leaves the evidence empty for a refused request', async () => {
    const { record } = await answerRequest(
      { method: 'GET', url: 'http://elsewhere.invalid/x', headers: {} },
      [served.allowedPrefix],
      served.fetchHandler,
    );
    expect(traceOf([record]).requests[0]).toMatchObject({
      status: 403,
      rows_returned: null,
      total_rows: null,
    });
  });
});
