// The visual run machinery, loaded on first use: the agent's visual loop (reply → file → render →
// feedback → revise) with the page's renderer, streamed into the live store and saved after every turn.
import type { VisualBenchmark } from '@localds/benchmarks';
import { createReplayModel, type ChatModel } from '@localds/agent/model';
import { runVisual, type VisualAgentEvent, type VisualRun } from '@localds/agent/visual';
import { modelSlug } from '@localds/scorer';
import { openAIChatModel, PROVIDER_OF_SOURCE, webLLMChatModel } from '../runs/chat-models.js';
import type { RunSecrets } from '../runs/run-settings.js';
import { saveVisualRun } from '../storage/visual-runs-db.js';
import { VISUAL_RECORD_SCHEMA, type VisualRunRecord } from '../storage/visual-record.js';
import { createPageRenderer } from './page-renderer.js';
import { getVisualLive, updateVisualLive, updateVisualTurn } from './visual-live-store.js';
import { isScriptedChoice, type VisualRunSettings } from './visual-settings.js';

async function buildModel(
  recordId: string,
  benchmark: VisualBenchmark,
  settings: VisualRunSettings,
  secrets: RunSecrets,
): Promise<ChatModel> {
  const choice = settings.model;
  switch (choice.source) {
    case 'scripted':
      return createReplayModel(benchmark.demoReplay, { name: `${benchmark.id}-demo` });
    case 'replay':
      return createReplayModel(choice.replay, { name: choice.model });
    case 'openai':
      return openAIChatModel(choice, secrets.apiKey);
    case 'webllm':
      updateVisualLive(recordId, () => ({ phase: 'loading-model' }));
      return webLLMChatModel(choice, (modelProgress) =>
        updateVisualLive(recordId, () => ({ modelProgress })),
      );
  }
}

/** The record's turns from the loop's result. */
function recordTurns(run: VisualRun): VisualRunRecord['turns'] {
  return run.result.turns.map((t) => ({
    reply: t.reply,
    html: t.file?.html ?? null,
    observation: t.observation,
    feedback: t.feedback,
  }));
}

/** Runs one visual trial: the record `recordId` is saved after every render and scored at the end. */
export async function runVisualTrial(
  recordId: string,
  benchmark: VisualBenchmark,
  settings: VisualRunSettings,
  secrets: RunSecrets,
  signal: AbortSignal,
): Promise<void> {
  const createdAt = new Date().toISOString();
  const base: VisualRunRecord = {
    schema: VISUAL_RECORD_SCHEMA,
    kind: 'visual',
    id: recordId,
    runId: recordId,
    createdAt,
    origin: 'workbench',
    benchmark: { id: benchmark.id, version: benchmark.version },
    model: {
      name: settings.model.model,
      provider: PROVIDER_OF_SOURCE[settings.model.source],
      slug: modelSlug(settings.model.model),
    },
    scripted: isScriptedChoice(settings.model),
    sampling: { ...settings.sampling },
    turns: [],
    html: null,
    observation: null,
    score: null,
    endReason: 'running',
    endDetail: null,
    files: {},
  };

  // Saves happen in order, one at a time; the latest state wins.
  let saving: Promise<void> = Promise.resolve();
  const save = (record: VisualRunRecord) => {
    saving = saving.then(() => saveVisualRun(record)).catch(() => undefined);
  };
  const savePartial = () => {
    const live = getVisualLive(recordId);
    if (!live) return;
    const turns = live.turns.map(({ reply, html, observation, feedback }) => ({
      reply,
      html,
      observation,
      feedback,
    }));
    const last = [...turns].reverse().find((t) => t.html !== null) ?? null;
    save({ ...base, turns, html: last?.html ?? null, observation: last?.observation ?? null });
  };

  let model: ChatModel;
  try {
    model = await buildModel(recordId, benchmark, settings, secrets);
  } catch (error) {
    updateVisualLive(recordId, () => ({ phase: 'failed', error: (error as Error).message }));
    return;
  }
  updateVisualLive(recordId, () => ({ phase: 'asking', startedAt: Date.now() }));

  const onEvent = (event: VisualAgentEvent) => {
    switch (event.type) {
      case 'turn_started':
        updateVisualLive(recordId, () => ({ phase: 'asking' }));
        updateVisualTurn(recordId, event.turn, () => ({}));
        break;
      case 'token':
        if (event.channel === 'answer')
          updateVisualTurn(recordId, event.turn, (t) => ({ reply: t.reply + event.text }));
        break;
      case 'render_started':
        updateVisualLive(recordId, () => ({ phase: 'rendering' }));
        break;
      case 'render_finished':
        updateVisualTurn(recordId, event.turn, () => ({ observation: event.observation }));
        savePartial();
        break;
      default:
        break;
    }
  };

  // The file being rendered belongs to the turn that gave it (the loop renders each turn's file once).
  const pageRenderer = createPageRenderer();
  const renderer: typeof pageRenderer = {
    render: (html, options) => {
      const turn = getVisualLive(recordId)?.turns.at(-1)?.turn;
      if (turn !== undefined) updateVisualTurn(recordId, turn, () => ({ html }));
      return pageRenderer.render(html, options);
    },
    close: () => pageRenderer.close(),
  };
  let run: VisualRun;
  try {
    // runVisual is the CLI's: the loop, the final file's score and the run folder, one definition.
    run = await runVisual({
      benchmark,
      model,
      renderer,
      turns: settings.turns,
      sampling: {
        temperature: settings.sampling.temperature,
        top_p: settings.sampling.top_p,
        max_tokens: settings.sampling.max_tokens,
        ...(settings.sampling.seed === null ? {} : { seed: settings.sampling.seed }),
      },
      signal,
      onEvent,
      runId: recordId,
      modelName: settings.model.model,
      keys: [secrets.apiKey].filter(Boolean),
      versions: { localds: '0.1.0' },
    });
  } catch (error) {
    await renderer.close();
    updateVisualLive(recordId, () => ({ phase: 'failed', error: (error as Error).message }));
    await saving;
    return;
  }
  await renderer.close();

  const final = run.result.final;
  // The final file as its folder holds it (keys redacted), which is what was scored.
  const stored = run.files.get('index.html');
  const record: VisualRunRecord = {
    ...base,
    runId: run.runId,
    turns: recordTurns(run),
    html: stored ? new TextDecoder().decode(stored) : null,
    observation: final?.observation ?? null,
    score: run.score,
    endReason: run.runJson.end_reason,
    endDetail: run.runJson.end_detail,
    files: Object.fromEntries(run.files),
  };
  updateVisualLive(recordId, () => ({
    turns: record.turns.map((t, i) => ({ turn: i + 1, ...t })),
    score: run.score,
  }));
  save(record);
  await saving;
  updateVisualLive(recordId, () => ({ phase: 'done' }));
}
