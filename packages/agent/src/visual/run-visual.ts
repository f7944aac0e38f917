// One visual benchmark run end to end, the same in the page and the CLI: the loop, the score of the
// final file, and the run folder (layout: @localds/benchmarks' visual/run-folder.ts).
import {
  scoreVisual,
  VISUAL_CHECKS,
  visualRunFolderFiles,
  type VisualBenchmark,
  type VisualRunJson,
  type VisualScore,
  type VisualTrace,
} from '@localds/benchmarks';
import { modelSlug, runFolderPath } from '@localds/scorer';
import { samplingJson } from '../loop/run-json.js';
import { defaultModelName, defaultRunId, providerOf } from '../run/run-benchmark.js';
import { redactKeys } from '../run/files.js';
import { runVisualAgent } from './run-visual-agent.js';
import type { RunVisualAgentOptions, VisualAgentResult, VisualEndReason } from './types.js';

export interface RunVisualOptions extends RunVisualAgentOptions {
  /** Default: the start time and a random suffix. */
  runId?: string;
  /** Default: derived from the model id, as for analysis runs. */
  modelName?: string;
  versions?: { localds?: string };
  /** Key literals to keep out of the folder (besides anything key-shaped). */
  keys?: readonly string[];
  /** Builds the contact sheet and preview from the final render's screenshots (Node only). */
  images?: (frames: Uint8Array[]) => Promise<{ contactSheet: Uint8Array; preview: Uint8Array }>;
}

export interface VisualRun {
  runId: string;
  /** `runs/<benchmark>/<model-slug>/<run-id>` */
  folderPath: string;
  files: Map<string, Uint8Array>;
  runJson: VisualRunJson;
  score: VisualScore | null;
  /** The loop's raw result, in memory only (holds the screenshots). */
  result: VisualAgentResult;
  /** Things the user should be told (the preview could not be built). */
  warnings: string[];
}

/** Ends that are not the model's doing: no score at all. */
const UNSCORED: readonly VisualEndReason[] = ['environment_error', 'aborted'];

/** The score of a run whose model gave no file to render: every check failed, saying so. */
export function noFileScore(benchmark: VisualBenchmark, why: string): VisualScore {
  return {
    benchmark: { id: benchmark.id, version: benchmark.version },
    score: 0,
    checks: VISUAL_CHECKS.map((c) => ({
      id: c.id,
      points: 0,
      max: c.max,
      passed: false,
      detail: `no file to judge: ${why}`,
    })),
    environmentError: null,
  };
}

/**
 * The run's score: the final file's checks; zero when the model gave no file; null when the run
 * ended through no fault of the model's (the renderer or server failed, the user stopped it) and
 * there is no file, or the environment failed at any point.
 */
function scoreOf(
  benchmark: VisualBenchmark,
  result: VisualAgentResult,
  html: string | null,
): VisualScore | null {
  if (result.endReason === 'environment_error') return null;
  if (result.final?.observation && html !== null) {
    return scoreVisual(benchmark, html, result.final.observation);
  }
  if (UNSCORED.includes(result.endReason)) return null;
  return noFileScore(benchmark, result.endDetail ?? result.endReason);
}

function traceOf(result: VisualAgentResult): VisualTrace {
  return {
    messages: result.messages.map((m) => ({
      role: m.role,
      content: m.content,
      ...(m.tool_calls ? { tool_calls: m.tool_calls } : {}),
      ...(m.tool_call_id ? { tool_call_id: m.tool_call_id } : {}),
    })),
    turns: result.turns.map((t) => ({
      turn: t.turn,
      started_at: t.startedAt,
      model_ms: t.modelMs,
      finish_reason: t.finishReason,
      usage: t.usage,
      file: t.file
        ? {
            source: t.file.source,
            bytes: new TextEncoder().encode(t.file.html).length,
            unterminated: t.file.unterminated,
          }
        : null,
      malformed: t.malformed,
      render_ms: t.renderMs,
      feedback: t.feedback,
    })),
  };
}

/** Runs a visual benchmark once, scores the final file and returns its run folder. Never throws once started. */
export async function runVisual(options: RunVisualOptions): Promise<VisualRun> {
  const { benchmark, model } = options;
  const runId = options.runId ?? defaultRunId(new Date());
  const modelName = options.modelName ?? defaultModelName(model);
  const folderPath = runFolderPath(benchmark.id, modelSlug(modelName), runId);
  const keys = options.keys ?? [];
  const result = await runVisualAgent(options);
  const warnings: string[] = [];
  // Scored as the folder stores it (keys redacted), so `localds score` on the folder agrees.
  const html = result.final?.file ? redactKeys(result.final.file.html, keys) : null;
  const score = scoreOf(benchmark, result, html);
  let images: Awaited<ReturnType<NonNullable<RunVisualOptions['images']>>> | undefined;
  const frames = result.final?.frames ?? [];
  if (options.images && frames.length) {
    try {
      images = await options.images(frames);
    } catch (error) {
      warnings.push(`the contact sheet and preview could not be built: ${String(error)}`);
    }
  }
  const observation = result.final?.observation ?? null;
  const runJson: VisualRunJson = {
    schema_version: 1,
    kind: 'visual',
    run_id: runId,
    benchmark: result.benchmark,
    model: { name: modelName, provider: providerOf(model), id: model.id },
    scripted: model.scripted,
    sampling: samplingJson(result.sampling),
    protocol: result.protocol,
    protocol_choice: result.protocolChoice,
    turns: { allowed: result.turnsAllowed, used: result.turns.length },
    final_turn: result.final?.turn ?? null,
    renderer: observation?.renderer ?? null,
    end_reason: result.endReason,
    end_detail: result.endDetail,
    score: score?.score ?? null,
    timings: {
      started_at: result.timings.startedAt,
      finished_at: result.timings.finishedAt,
      duration_ms: result.timings.durationMs,
      model_ms: result.timings.modelMs,
      render_ms: result.timings.renderMs,
    },
    versions: { ...(options.versions?.localds ? { localds: options.versions.localds } : {}) },
  };
  const files = visualRunFolderFiles({
    runJson,
    trace: traceOf(result),
    turns: result.turns.map((t) => ({
      turn: t.turn,
      reply: t.reply,
      html: t.file?.html ?? null,
      observation: t.observation,
    })),
    final: html !== null && observation ? { html, observation } : null,
    scorecard: score,
    ...(images ? { images } : {}),
    keys,
  });
  return { runId, folderPath, files, runJson, score, result, warnings };
}
