// `localds run` for visual benchmarks: each benchmark's run with the Node renderer (Debian's Chromium),
// its folder written (layout: @localds/benchmarks' visual/run-folder.ts), its score printed.
import { createReplayModel, runVisual, type VisualAgentEvent } from '@localds/agent';
import { writeRunFolder } from '@localds/agent/node';
import { NodeVisualRenderer, renderImages } from '@localds/agent/visual-node';
import type { VisualBenchmark } from '@localds/benchmarks';
import { redactSecrets } from '@localds/scorer';
import { formatVisualScoreText } from '../commands/score-visual.js';
import { exitCodeFor, type StopSignal } from './exit-codes.js';
import {
  LOCALDS_VERSION,
  modelFactory,
  notScored,
  runProgress,
  samplingOf,
  type ModelSpec,
} from './trial.js';

export interface VisualRunOptions {
  model: string;
  turns?: number;
  protocol: 'fenced' | 'tools' | 'auto';
  temperature?: number;
  topP?: number;
  samplingSeed?: number;
  maxTokens?: number;
  readTimeout?: number;
}

/** `--model demo`: the benchmark's own scripted demo (a hand-written file), labelled scripted. */
async function visualModel(spec: string, benchmark: VisualBenchmark, readTimeoutMs?: number) {
  if (spec !== 'demo') return modelFactory(spec, readTimeoutMs);
  if (benchmark.demoReplay === null || benchmark.demoReplay === undefined) {
    throw new Error(`${benchmark.id} has no scripted demo yet; pass --model replay:<file>`);
  }
  createReplayModel(benchmark.demoReplay, { name: 'scripted-demo' }); // validates now
  const model: ModelSpec = {
    newModel: () => createReplayModel(benchmark.demoReplay, { name: 'scripted-demo' }),
    endpoint: `demo:${benchmark.id}`,
  };
  return model;
}

function progress(event: VisualAgentEvent): string | null {
  switch (event.type) {
    case 'render_started':
      return `  rendering ${event.bytes} bytes in Chromium`;
    case 'render_finished':
      return `  rendered (${event.durationMs} ms): ${event.observation.scriptErrors.length} script error(s), ${event.observation.blockedRequests.length} refused request(s)`;
    default:
      return runProgress(event);
  }
}

/** Runs each visual benchmark once; returns the exit codes. One browser serves them all. */
export async function runVisualBenchmarks(
  members: readonly VisualBenchmark[],
  opts: VisualRunOptions,
  outDir: string,
  signal: AbortSignal,
  signals: { readonly received: StopSignal | null },
  out: (line: string) => void,
  warn: (line: string) => void,
): Promise<number[]> {
  const renderer = new NodeVisualRenderer();
  const exitCodes: number[] = [];
  const key = process.env.LOCALDS_API_KEY;
  try {
    for (const benchmark of members) {
      if (signal.aborted) break;
      if (members.length > 1) out(`## ${benchmark.id}`);
      const spec = await visualModel(
        opts.model,
        benchmark,
        opts.readTimeout === undefined ? undefined : opts.readTimeout * 1000,
      );
      const model = spec.newModel();
      if (model.scripted) {
        out(`scripted run: ${model.id} replays prepared responses; this is not a live model`);
      }
      const run = await runVisual({
        benchmark,
        model,
        renderer,
        ...(opts.turns === undefined ? {} : { turns: opts.turns }),
        protocol: opts.protocol,
        sampling: samplingOf(opts),
        signal,
        onEvent: (event) => {
          const line = progress(event);
          if (line) process.stderr.write(`${line}\n`);
        },
        versions: { localds: LOCALDS_VERSION },
        keys: key ? [key] : [],
        images: renderImages,
      });
      for (const warning of run.warnings) warn(warning);
      const dir = await writeRunFolder(outDir, run.folderPath, run.files);
      if (run.score) out(formatVisualScoreText(run.score).trimEnd());
      const { end_reason: reason, end_detail: detail, turns } = run.runJson;
      const scored =
        run.score?.score !== null && run.score?.score !== undefined
          ? `${run.score.score}/100`
          : notScored(reason);
      const why = detail ? ` (${redactSecrets(detail)})` : '';
      out(
        `${model.scripted ? '[scripted] ' : ''}${run.runId}: ${scored}, ${turns.used} of ${turns.allowed} turn(s), ended ${reason}${why} -> ${dir}`,
      );
      // As an analysis run's: environment 4, model error 3, else 0.
      exitCodes.push(exitCodeFor(reason, signals.received));
    }
  } finally {
    await renderer.close();
  }
  return exitCodes;
}
