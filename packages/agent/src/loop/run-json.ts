// The loop's result in the scorer's run-folder terms (`RunJsonSchema`, `TraceSchema`), so whoever
// writes run.json copies these fields rather than re-deriving them.
import {
  redactSecrets,
  type RunJson,
  type Trace,
  type TraceCell,
  type TraceRequest,
} from '@localds/scorer';
import type { SamplingSettings } from '../model/types.js';
import type { RequestRecord } from '../sandbox/types.js';
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

type Range = TraceRequest['range'];

/** What a request asked for: its limit/offset parameters, else its `Range: from-to` header. */
function requestedRange(url: string, rangeHeader: string | null | undefined): Range {
  const query = new URL(url, 'http://localhost/').searchParams;
  const offset = query.get('offset');
  const limit = query.get('limit');
  const int = (v: string | null | undefined) =>
    v !== null && v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  if (offset !== null || limit !== null) return { offset: int(offset) ?? 0, limit: int(limit) };
  const header = /^\s*(\d+)-(\d*)\s*$/.exec(rangeHeader ?? '');
  if (!header) return null;
  const from = Number(header[1]);
  const to = int(header[2]);
  return { offset: from, limit: to === null ? null : Math.max(0, to - from + 1) };
}

/** `Content-Range: 0-999/4210` → the last row sent (999) and the total (4210), each when stated. */
function parseContentRange(value: string | null | undefined): {
  last: number | null;
  total: number | null;
} {
  const m = /^\s*(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/.exec(value ?? '');
  if (!m) return { last: null, total: null };
  return {
    last: m[2] === undefined ? null : Number(m[2]),
    total: m[3] === undefined || m[3] === '*' ? null : Number(m[3]),
  };
}

/** The trace's data-access evidence for one recorded request. */
function requestEvidence(r: RequestRecord) {
  const range = requestedRange(r.url, r.rangeHeader);
  const rows = r.rowsReturned ?? null;
  const { last, total } = parseContentRange(r.contentRange);
  let more: boolean | null = null;
  if (total !== null) more = last === null ? false : last + 1 < total;
  else if (rows !== null && (rows === 0 || (range?.limit != null && rows < range.limit)))
    more = false; // a short page is the last one
  return { rows_returned: rows, total_rows: total, more_rows: more, range };
}

/**
 * The execution trace. Cells are numbered as the notebook's code cells (0-based), which leaves out
 * cells skipped after a failure. Rows returned, the table's total and whether more rows existed come
 * from what the harness answered (body, `Content-Range`); a request's range from its limit/offset
 * parameters, else its `Range` header. What was not seen is null.
 */
export function buildTrace(result: AgentRunResult): Trace {
  const ran = result.cells.filter((c) => c.status !== 'skipped');
  const toolErrors = result.turns.flatMap((t) =>
    t.parts.flatMap((p) =>
      p.kind === 'invalid_call'
        ? [{ turn: t.turn, call_id: p.callId, name: p.name, error: redactSecrets(p.error) }]
        : [],
    ),
  );
  return {
    version: 1,
    ...(toolErrors.length ? { tool_errors: toolErrors } : {}),
    cells: ran.map((c, index) => ({
      index,
      status: c.status as TraceCell['status'],
      duration_ms: c.durationMs,
      error: traceError(c),
      ...(c.peakMemoryBytes === undefined ? {} : { peak_memory_bytes: c.peakMemoryBytes }),
    })),
    requests: ran.flatMap((c, cell) =>
      c.requests.map((r) => ({
        cell,
        method: r.method,
        url: redactSecrets(r.url),
        status: r.status,
        ...requestEvidence(r),
        error: r.error ?? null,
        ...(r.blocked === undefined ? {} : { blocked: redactSecrets(r.blocked) }),
        ...(r.drift === undefined ? {} : { drift: r.drift }),
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
  | 'protocol'
  | 'protocol_choice'
>;

/** Sampling settings as run.json records them: unset (the server's default) is null. */
export function samplingJson(s: SamplingSettings): RunJson['sampling'] {
  return {
    temperature: s.temperature ?? null,
    top_p: s.top_p ?? null,
    seed: s.seed ?? null,
    max_tokens: s.max_tokens ?? null,
  };
}

/** The run.json fields the loop knows, keys redacted; messages never sent are left out. */
export function runJsonParts(result: AgentRunResult): RunJsonParts {
  const sent = result.transcript.filter((t) => t.sent);
  return {
    benchmark: result.benchmark,
    sampling: samplingJson(result.sampling),
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
      ...(t.toolCalls?.length
        ? {
            tool_calls: t.toolCalls.map((c) => ({
              id: c.id,
              name: c.function.name,
              arguments: redactSecrets(c.function.arguments),
              ...(c.fromText ? { from_text: true } : {}),
            })),
          }
        : {}),
      ...(t.toolCallId ? { tool_call_id: t.toolCallId } : {}),
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
    protocol: result.protocol,
    protocol_choice: result.protocolChoice,
    trace: buildTrace(result),
  };
}
