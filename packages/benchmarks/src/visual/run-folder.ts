import { REDACTED, redactSecrets, SamplingSchema } from '@localds/scorer';
import { z } from 'zod';
import { ObservationSchema, type Observation } from './observation.js';

/**
 * A visual run folder, `runs/<benchmark>/<model-slug>/<run-id>/`, as `localds run` writes it and the
 * page exports it (both call `visualRunFolderFiles`, so the layout has one definition):
 *
 *   run.json                    VisualRunJsonSchema: kind "visual", benchmark id + version, model, scripted,
 *                               sampling, protocol, turns allowed/used, end reason, score, timings
 *   index.html                  the final file: the last reply that gave one (absent when none did)
 *   observation.json            what the final file's render saw (ObservationSchema)
 *   scorecard.json              scoreVisual(benchmark, index.html, observation.json) (absent when not scored)
 *   trace.json                  VisualTraceSchema: every message sent and received, and each turn's timings
 *   turns/<n>/reply.md          reply n as the model wrote it (n from 1)
 *   turns/<n>/index.html        the file reply n gave, when it gave one
 *   turns/<n>/observation.json  what its render saw, when it was rendered
 *   contact-sheet.png           the final render's screenshots on one sheet (Node renderer only)
 *   preview.png                 an animated PNG (APNG) of the same screenshots (Node renderer only)
 *
 * Keys never reach it: every text file goes through the scorer's redaction (plus any key literals given).
 */
export const VISUAL_RUN_FILES = {
  runJson: 'run.json',
  html: 'index.html',
  observation: 'observation.json',
  scorecard: 'scorecard.json',
  trace: 'trace.json',
  contactSheet: 'contact-sheet.png',
  preview: 'preview.png',
} as const;

export const VISUAL_END_REASONS = [
  'turns_used',
  'no_revision',
  'no_file',
  'malformed_reply',
  'reply_too_large',
  'model_exhausted',
  'model_error',
  'environment_error',
  'aborted',
] as const;

const nonNegInt = z.number().int().nonnegative();
const ProtocolNameSchema = z.enum(['fenced', 'tools']);

export const VisualRunJsonSchema = z.object({
  schema_version: z.literal(1),
  kind: z.literal('visual'),
  run_id: z.string().min(1),
  benchmark: z.object({ id: z.string().min(1), version: z.string() }),
  model: z.object({
    name: z.string().min(1),
    /** The adapter that served it: `openai-http`, `webllm`, `replay`. */
    provider: z.string(),
    /** The adapter's secret-free id, e.g. `openai:http://127.0.0.1:8080/v1#qwen3-8b`. */
    id: z.string(),
  }),
  /** A replay's prepared answers, not a live model: every view of the run says so. */
  scripted: z.boolean(),
  sampling: SamplingSchema,
  protocol: ProtocolNameSchema,
  protocol_choice: z.object({
    requested: z.enum(['fenced', 'tools', 'auto']),
    reason: z.string(),
  }),
  turns: z.object({ allowed: z.number().int().positive(), used: nonNegInt }),
  /** The turn whose file is index.html; null when no reply gave a file. */
  final_turn: z.number().int().positive().nullable(),
  renderer: z.object({ kind: z.enum(['page', 'node']), userAgent: z.string() }).nullable(),
  end_reason: z.enum(VISUAL_END_REASONS),
  end_detail: z.string().nullable(),
  /** scorecard.json's score, for listings; null when not scored (an environment error, an abort). */
  score: z.number().min(0).max(100).nullable(),
  timings: z.object({
    started_at: z.string(),
    finished_at: z.string(),
    duration_ms: z.number().nonnegative(),
    model_ms: z.number().nonnegative(),
    render_ms: z.number().nonnegative(),
  }),
  versions: z.object({ localds: z.string() }).partial(),
});
export type VisualRunJson = z.infer<typeof VisualRunJsonSchema>;

const UsageSchema = z
  .object({
    promptTokens: nonNegInt,
    completionTokens: nonNegInt,
    estimated: z.boolean().optional(),
  })
  .nullable();

export const VisualTraceSchema = z.object({
  /** The conversation in the order it happened; the first two are the system prompt and the task. */
  messages: z.array(
    z.object({
      role: z.enum(['system', 'user', 'assistant', 'tool']),
      content: z.string(),
      tool_calls: z
        .array(
          z.object({
            id: z.string(),
            type: z.literal('function'),
            function: z.object({ name: z.string(), arguments: z.string() }),
          }),
        )
        .optional(),
      tool_call_id: z.string().optional(),
    }),
  ),
  turns: z.array(
    z.object({
      turn: z.number().int().positive(),
      started_at: z.string(),
      model_ms: z.number().nonnegative(),
      finish_reason: z.string(),
      usage: UsageSchema,
      /** The reply's file: how it came and its size; null when it gave none. */
      file: z
        .object({
          source: z.enum(['fenced', 'tool']),
          bytes: nonNegInt,
          unterminated: z.boolean(),
        })
        .nullable(),
      malformed: z.string().nullable(),
      render_ms: z.number().nonnegative().nullable(),
      /** What the harness answered this reply with; null when the run ended instead. */
      feedback: z.string().nullable(),
    }),
  ),
});
export type VisualTrace = z.infer<typeof VisualTraceSchema>;

export interface VisualRunTurnFiles {
  turn: number;
  reply: string;
  html: string | null;
  observation: Observation | null;
}

/** Everything a visual run folder holds, before redaction. */
export interface VisualRunFolderInput {
  runJson: VisualRunJson;
  trace: VisualTrace;
  turns: readonly VisualRunTurnFiles[];
  /** The final file and its render (the last turn that gave a file). */
  final: { html: string; observation: Observation } | null;
  /** scoreVisual's VisualScore (any JSON), or null when not scored. */
  scorecard: unknown;
  /** PNGs from the Node renderer; absent in the page. */
  images?: { contactSheet: Uint8Array; preview: Uint8Array };
  /** Key literals to remove besides anything key-shaped. */
  keys?: readonly string[];
}

const encoder = new TextEncoder();

function redact(text: string, keys: readonly string[]): string {
  let out = text;
  for (const key of keys) if (key) out = out.split(key).join(REDACTED);
  return redactSecrets(out);
}

/** The folder's files, relative path → bytes, keys redacted. */
export function visualRunFolderFiles(input: VisualRunFolderInput): Map<string, Uint8Array> {
  const keys = input.keys ?? [];
  const files = new Map<string, Uint8Array>();
  const text = (name: string, content: string) =>
    files.set(name, encoder.encode(redact(content, keys)));
  const json = (name: string, value: unknown) => text(name, `${JSON.stringify(value, null, 2)}\n`);
  json(VISUAL_RUN_FILES.runJson, VisualRunJsonSchema.parse(input.runJson));
  json(VISUAL_RUN_FILES.trace, VisualTraceSchema.parse(input.trace));
  for (const turn of input.turns) {
    const dir = `turns/${turn.turn}`;
    text(`${dir}/reply.md`, turn.reply);
    if (turn.html !== null) text(`${dir}/index.html`, turn.html);
    if (turn.observation) json(`${dir}/observation.json`, turn.observation);
  }
  if (input.final) {
    text(VISUAL_RUN_FILES.html, input.final.html);
    json(VISUAL_RUN_FILES.observation, input.final.observation);
  }
  if (input.scorecard !== null && input.scorecard !== undefined) {
    json(VISUAL_RUN_FILES.scorecard, input.scorecard);
  }
  if (input.images) {
    files.set(VISUAL_RUN_FILES.contactSheet, input.images.contactSheet);
    files.set(VISUAL_RUN_FILES.preview, input.images.preview);
  }
  return files;
}

/** True when a run.json's JSON says it is a visual run (the analysis run.json has no `kind`). */
export function isVisualRunJson(json: unknown): boolean {
  return (
    typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'visual'
  );
}

/** What scoring a visual folder needs, read back and validated; each error names the file. */
export interface VisualRunFolder {
  runJson: VisualRunJson;
  html: string;
  observation: Observation;
}

/** Reads a visual folder's run.json, index.html and observation.json (from any file source). */
export function readVisualRunFolder(files: ReadonlyMap<string, Uint8Array>): VisualRunFolder {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const textOf = (name: string): string => {
    const bytes = files.get(name);
    if (!bytes) throw new Error(`the visual run folder has no ${name}`);
    try {
      return decoder.decode(bytes);
    } catch {
      throw new Error(`${name} is not UTF-8 text`);
    }
  };
  const jsonOf = <T>(name: string, schema: z.ZodType<T>): T => {
    let json: unknown;
    try {
      json = JSON.parse(textOf(name));
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new Error(`${name} is not valid JSON: ${error.message}`, { cause: error });
      throw error;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${name} is not valid: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  };
  const runJson = jsonOf(VISUAL_RUN_FILES.runJson, VisualRunJsonSchema);
  if (!files.has(VISUAL_RUN_FILES.html)) {
    throw new Error(
      `the visual run folder has no ${VISUAL_RUN_FILES.html}: the run ended ${runJson.end_reason} before any reply gave a file`,
    );
  }
  return {
    runJson,
    html: textOf(VISUAL_RUN_FILES.html),
    observation: jsonOf(VISUAL_RUN_FILES.observation, ObservationSchema),
  };
}
