import {
  findVisualBenchmark,
  ObservationSchema,
  readVisualRunFolder,
  scoreVisual,
  VisualRunJsonSchema,
  VisualTraceSchema,
} from '@localds/benchmarks';
import { modelSlug, redactSecrets } from '@localds/scorer';
import { z } from 'zod';
import { newRecordId } from '../storage/record-id.js';
import { VISUAL_RECORD_SCHEMA, type VisualRunRecord } from '../storage/visual-record.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(files: ReadonlyMap<string, Uint8Array>, name: string): string | null {
  const bytes = files.get(name);
  if (!bytes) return null;
  try {
    return redactSecrets(utf8.decode(bytes));
  } catch {
    throw new Error(`${name} is not UTF-8 text`);
  }
}

/** A JSON file of the folder validated by `schema`; null when absent; errors name the file. */
function jsonOf<T>(
  files: ReadonlyMap<string, Uint8Array>,
  name: string,
  schema: z.ZodType<T>,
): T | null {
  const text = textOf(files, name);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${name} is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** What the harness told the model after each turn, from trace.json (a missing or bad trace: a warning). */
function traceFeedback(
  files: ReadonlyMap<string, Uint8Array>,
  warnings: string[],
): Map<number, string | null> {
  try {
    const trace = jsonOf(files, 'trace.json', VisualTraceSchema);
    if (trace === null) {
      warnings.push('no trace.json: the feedback to the model is not shown');
      return new Map();
    }
    return new Map(trace.turns.map((t) => [t.turn, t.feedback]));
  } catch (error) {
    warnings.push(`${(error as Error).message.slice(0, 300)}: the feedback is not shown`);
    return new Map();
  }
}

/**
 * A visual run folder (from `localds run` or a page export) as a record: run.json, index.html and
 * observation.json validated (each error names its file), the turns read from turns/<n>/, and the final
 * file scored here from its observation by the same checks `localds score` uses. The folder's files are
 * kept (text redacted again) so it exports as it came.
 */
export function importVisualRunFolder(files: ReadonlyMap<string, Uint8Array>): {
  record: VisualRunRecord;
  warnings: string[];
} {
  const warnings: string[] = [];
  const runJson = jsonOf(files, 'run.json', VisualRunJsonSchema);
  if (runJson === null) throw new Error('the visual run folder has no run.json');
  const benchmark = findVisualBenchmark(runJson.benchmark.id);
  if (!benchmark)
    throw new Error(
      `run.json names visual benchmark "${runJson.benchmark.id}", which this page does not know`,
    );
  if (benchmark.version !== runJson.benchmark.version) {
    warnings.push(
      `run made with ${benchmark.id} v${runJson.benchmark.version}; this page has v${benchmark.version}: scored against this page's`,
    );
  }
  // With a final file, the folder must be complete enough to score; without one, there is nothing to score.
  const final = files.has('index.html') ? readVisualRunFolder(files) : null;
  const feedback = traceFeedback(files, warnings);
  const turns: VisualRunRecord['turns'] = [];
  for (let n = 1; files.has(`turns/${n}/reply.md`); n++) {
    turns.push({
      reply: textOf(files, `turns/${n}/reply.md`) ?? '',
      html: textOf(files, `turns/${n}/index.html`),
      observation: jsonOf(files, `turns/${n}/observation.json`, ObservationSchema),
      feedback: feedback.get(n) ?? null,
    });
  }
  const score = final ? scoreVisual(benchmark, final.html, final.observation) : null;
  if (final && runJson.score !== null && score && score.score !== runJson.score) {
    warnings.push(`run.json says ${runJson.score}; scored here: ${score.score}`);
  }
  const kept: Record<string, Uint8Array> = {};
  const encoder = new TextEncoder();
  for (const [path, bytes] of files) {
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      kept[path] = bytes; // an image: nothing to redact
      continue;
    }
    kept[path] = encoder.encode(redactSecrets(text));
  }
  const id = newRecordId();
  return {
    record: {
      schema: VISUAL_RECORD_SCHEMA,
      kind: 'visual',
      id,
      runId: runJson.run_id,
      createdAt: runJson.timings.started_at || new Date().toISOString(),
      origin: 'import',
      benchmark: { id: benchmark.id, version: runJson.benchmark.version },
      model: {
        name: runJson.model.name,
        provider: runJson.model.provider,
        slug: modelSlug(runJson.model.name),
      },
      scripted: runJson.scripted,
      sampling: runJson.sampling,
      turns,
      html: final?.html ?? null,
      observation: final?.observation ?? null,
      score,
      endReason: runJson.end_reason,
      endDetail: runJson.end_detail,
      files: kept,
    },
    warnings,
  };
}
