import type { Trace, TraceRequest } from '../run-folder/trace.js';
import type { CheckOutcome } from './table.js';

const PAGING_PARAMS = new Set(['offset', 'limit']);

function splitUrl(url: string): { base: string; query: URLSearchParams } {
  const at = url.indexOf('?');
  return at < 0
    ? { base: url, query: new URLSearchParams() }
    : { base: url.slice(0, at), query: new URLSearchParams(url.slice(at + 1)) };
}

/** The request without its paging: requests that differ only in offset/limit page one result. */
function resultKey(request: TraceRequest): string {
  const { base, query } = splitUrl(request.url);
  const kept = [...query].filter(([k]) => !PAGING_PARAMS.has(k)).sort();
  return `${request.method.toUpperCase()} ${base}?${new URLSearchParams(kept)}`;
}

/** Distinct row positions covered by [offset, offset + rows) intervals. */
function coveredRows(requests: TraceRequest[]): number {
  const spans = requests
    .map((r) => [r.range?.offset ?? 0, (r.range?.offset ?? 0) + (r.rows_returned ?? 0)] as const)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let end = 0;
  for (const [start, stop] of spans) {
    if (stop > Math.max(start, end)) covered += stop - Math.max(start, end);
    end = Math.max(end, stop);
  }
  return covered;
}

/**
 * Full-mode data_access: the trace shows the run's code reading the table at the run's endpoint and
 * receiving every row of it. Rows are counted per distinct query (paging stripped) as the union of the
 * pages it received, then summed over queries, capped at the table's size: paging one query to the
 * end passes; so does reading two filters that partition the table (variant=eq.A, variant=eq.B).
 * Three differently-shaped reads of the same first page could pass a table of under three pages —
 * the trace does not record row ids, so this is the limit of what it can tell.
 */
export function traceDataAccess(
  trace: Trace,
  tableUrl: string,
  totalRows: number | null,
): CheckOutcome {
  const table = splitUrl(tableUrl).base;
  const reads = trace.requests.filter(
    (r) => splitUrl(r.url).base === table && r.status !== null && r.status >= 200 && r.status < 300,
  );
  if (!reads.length) {
    const other = trace.requests.length;
    return {
      pass: false,
      detail: `no successful request to ${table} in the trace${other ? ` (${other} other request(s))` : ''}`,
    };
  }
  const total = totalRows ?? Math.max(-1, ...reads.map((r) => r.total_rows ?? -1));
  const groups = new Map<string, TraceRequest[]>();
  for (const r of reads) groups.set(resultKey(r), [...(groups.get(resultKey(r)) ?? []), r]);
  const received = [...groups.values()].reduce((n, g) => n + coveredRows(g), 0);
  if (total < 0) {
    const finished = reads.some((r) => r.more_rows === false);
    return finished
      ? { pass: true, detail: `read ${received} rows; the last page reported no more rows` }
      : {
          pass: false,
          detail: `read ${received} rows; the table's size is unknown and no page said it was the last`,
        };
  }
  if (received >= total) {
    return {
      pass: true,
      detail: `read all ${total} rows of the table in ${reads.length} request(s)`,
    };
  }
  return { pass: false, detail: `read ${received} of ${total} rows` };
}
