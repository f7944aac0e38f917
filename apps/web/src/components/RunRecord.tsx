// How a run ran, from its run.json: the isolation it had, where its data came from and every request
// model code made (with drift from the snapshot in live Supabase mode). A run.json that does not
// parse (an imported folder from elsewhere) shows nothing rather than guesses.
import { RunJsonSchema, type RunJson, type TraceRequest } from '@localds/scorer';

function parseRunJson(text: string | null): RunJson | null {
  if (text === null) return null;
  try {
    const parsed = RunJsonSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function dataSource(run: RunJson): string {
  const source = run.data.snapshot?.source;
  const where =
    source?.kind === 'scenario'
      ? `the embedded ${source.scenario} dataset (seed ${source.seed})`
      : source?.kind === 'supabase'
        ? `a Supabase project (${source.url})`
        : 'rows of unknown origin';
  const rows = run.data.snapshot ? `${run.data.snapshot.row_count} rows from ` : '';
  return run.data.live
    ? `${rows}${where}, frozen as the snapshot the oracle uses; model code read the live project`
    : `${rows}${where}, served to model code as a snapshot`;
}

/** The isolation report's facts a reader acts on, in words; the full report is in run.json. */
function isolationFacts(run: RunJson): string[] {
  const report = run.isolation_report ?? {};
  const facts: string[] = [run.isolation];
  if (report.runawayCell === 'keyboard-interrupt') facts.push('runaway cells interrupted in place');
  if (report.runawayCell === 'new-worker') facts.push('runaway cells cost a fresh worker');
  if (typeof report.network === 'string') facts.push(`network: ${report.network}`);
  if (report.pidNamespace === true) facts.push('own pid namespace');
  const start = report.start as { prestarted?: unknown; waitedMs?: unknown } | undefined;
  if (start?.prestarted === true && typeof start.waitedMs === 'number') {
    facts.push(`sandbox pre-started before Run (the run waited ${start.waitedMs} ms for it)`);
  }
  if (run.isolation_warning) facts.push(run.isolation_warning);
  return facts;
}

/** Which Python environment model code had; older runs did not record it and had the packages. */
function packagesFact(run: RunJson): string {
  const env = run.environment ?? null;
  if (env === null) return 'the benchmark’s packages (not recorded by this run)';
  if (env.packages === 'stdlib-only') return 'standard library only';
  return env.loaded.length
    ? `the benchmark’s packages: ${env.loaded.join(', ')}`
    : 'the benchmark’s packages';
}

function rowsCell(r: TraceRequest): string {
  if (r.rows_returned === null) return '';
  return r.total_rows === null ? `${r.rows_returned}` : `${r.rows_returned} of ${r.total_rows}`;
}

export function RunRecordView({ runJson }: { runJson: string | null }) {
  const run = parseRunJson(runJson);
  if (!run) return null;
  const requests = run.trace?.requests ?? [];
  const live = requests.some((r) => r.drift !== undefined);
  const blocked = requests.filter((r) => typeof r.blocked === 'string');
  return (
    <section aria-labelledby="record-title">
      <h2 id="record-title">How it ran</h2>
      <dl className="facts small">
        <dt>Ended</dt>
        <dd>
          {run.end_reason}
          {run.end_detail ? `: ${run.end_detail}` : ''}
        </dd>
        <dt>Isolation</dt>
        <dd>{isolationFacts(run).join(' · ')}</dd>
        <dt>Data</dt>
        <dd>{dataSource(run)}</dd>
        <dt>Python packages</dt>
        <dd>{packagesFact(run)}</dd>
      </dl>
      {blocked.length > 0 && (
        <div data-testid="blocked-requests">
          <h3>Blocked attempts ({blocked.length})</h3>
          <p className="muted small">
            Model code asked for something this sandbox does not answer; it was refused, never
            forwarded, and told why.
          </p>
          <ul className="small">
            {blocked.map((r, i) => (
              <li key={i}>
                cell {r.cell}: <span className="mono">{`${r.method} ${r.url}`}</span> — {r.blocked}
              </li>
            ))}
          </ul>
        </div>
      )}
      {requests.length > 0 && (
        <div className="table-wrap">
          <table className="requests small" data-testid="run-requests">
            <caption>Requests made by model code ({requests.length})</caption>
            <thead>
              <tr>
                <th scope="col">cell</th>
                <th scope="col">request</th>
                <th scope="col">status</th>
                <th scope="col">rows</th>
                {live && <th scope="col">live vs snapshot</th>}
              </tr>
            </thead>
            <tbody>
              {requests.map((r, i) => (
                <tr key={i}>
                  <td>{r.cell}</td>
                  <td className="mono">
                    {r.method} {r.url}
                    {r.error ? <span className="muted"> — {r.error}</span> : null}
                    {r.blocked ? <span className="muted"> — blocked</span> : null}
                  </td>
                  <td>{r.status ?? '—'}</td>
                  <td>{rowsCell(r)}</td>
                  {live && <td>{r.drift === undefined ? '' : (r.drift ?? 'same')}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
