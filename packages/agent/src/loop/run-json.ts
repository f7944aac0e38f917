// The loop's result in the scorer's run-folder terms (`RunJsonSchema`, `TraceSchema`), so whoever
// writes run.json copies these fields rather than re-deriving them.
import { redactSecrets, type RunJson, type Trace, type TraceCell } from '@localds/scorer';
import type { AgentRunResult, CellRecord } from './types.js';

function traceError(cell: CellRecord): TraceCell['error'] {
  const error = cell.outputs.find((o) => o.output_type === 'error');
  if (error?.output_type === 'error') {
    return { name: error.ename, message: redactSecrets(error.evalue) };
  }
  if (cell.status === 'ok') return null;
  const names: Partial<Record<CellRecord['status'], string>> = {
    crashed: 'KernelCrashed',
    timeout: 'Timeout',
    interrupted: 'Interrupted',
  };
  const name = names[cell.status];
  return { name: name ?? 'Error', message: `the cell ended: ${cell.status}` };
}

function pagingOf(url: string): { offset: number; limit: number | null } | null {
  const query = new URL(url, 'http://localhost/').searchParams;
  const offset = query.get('offset');
  const limit = query.get('limit');
  if (offset === null && limit === null) return null;
  const int = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);
  return { offset: int(offset) ?? 0, limit: int(limit) };
}

/**
 * The execution trace. Cells are numbered as the notebook's code cells (0-based), which leaves out
 * cells skipped after a failure. What the sandbox does not record (rows returned, Content-Range,
 * a `Range` request header) is null; a request's range comes from its limit/offset parameters.
 */
export function buildTrace(result: AgentRunResult): Trace {
  const ran = result.cells.filter((c) => c.status !== 'skipped');
  return {
    version: 1,
    cells: ran.map((c, index) => ({
      index,
      status: c.status as TraceCell['status'],
      duration_ms: c.durationMs,
      error: traceError(c),
    })),
    requests: ran.flatMap((c, cell) =>
      c.requests.map((r) => ({
        cell,
        method: r.method,
        url: redactSecrets(r.url),
        status: r.status,
        rows_returned: null,
        total_rows: null,
        more_rows: null,
        range: pagingOf(r.url),
        error: r.error ?? null,
      })),
    ),
    files: ran.flatMap((c, cell) =>
      c.files.flatMap((f) =>
        f.sha256 ? [{ cell, name: f.name, size: f.size, sha256: f.sha256 }] : [],
      ),
    ),
    figures: ran.flatMap((c, cell) =>
      c.figures.map((f) => ({
        cell,
        filename: f.filename ?? null,
        title: f.title ?? null,
        x_label: f.xlabel ?? null,
        y_label: f.ylabel ?? null,
      })),
    ),
  };
}

export type RunJsonParts = Pick<
  RunJson,
  | 'benchmark'
  | 'sampling'
  | 'prompts'
  | 'transcript'
  | 'timings'
  | 'tokens'
  | 'isolation'
  | 'scripted'
  | 'end_reason'
  | 'end_detail'
  | 'trace'
>;

/** The run.json fields the loop knows, keys redacted; messages never sent are left out. */
export function runJsonParts(result: AgentRunResult): RunJsonParts {
  const sent = result.transcript.filter((t) => t.sent);
  const s = result.sampling;
  return {
    benchmark: result.benchmark,
    sampling: {
      temperature: s.temperature ?? null,
      top_p: s.top_p ?? null,
      seed: s.seed ?? null,
      max_tokens: s.max_tokens ?? null,
    },
    prompts: {
      system: redactSecrets(result.transcript[0]?.content ?? ''),
      user: redactSecrets(result.transcript[1]?.content ?? ''),
    },
    transcript: sent.map((t) => ({
      role: t.role,
      content: redactSecrets(t.content),
      reasoning: t.reasoning === null ? null : redactSecrets(t.reasoning),
      started_at: t.startedAt,
      duration_ms: t.durationMs,
      tokens: t.usage
        ? { prompt: t.usage.promptTokens, completion: t.usage.completionTokens }
        : null,
    })),
    timings: {
      started_at: result.totals.startedAt,
      finished_at: result.totals.finishedAt,
      duration_ms: result.totals.durationMs,
      model_ms: result.totals.modelMs,
      execution_ms: result.totals.executionMs,
    },
    tokens: { prompt: result.totals.promptTokens, completion: result.totals.completionTokens },
    isolation: result.isolation,
    scripted: result.model.scripted,
    end_reason: result.endReason,
    end_detail: result.endDetail,
    trace: buildTrace(result),
  };
}
