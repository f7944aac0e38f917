// The visual loop: the task → the model's reply → its file → a render → what the harness saw, sent
// back → a revision, up to the allowed turns. It never throws once started: every way out (a reply
// without a file, a bad or huge reply, a model or renderer failure, an abort) ends the run with a
// recorded reason, and the last rendered file stands.
import type { Observation } from '@localds/benchmarks';
import { chooseProtocol } from '../loop/choose-protocol.js';
import { message } from '../loop/end-of-run.js';
import { modelFailure } from '../loop/model-failure.js';
import { recordedCalls } from '../loop/tool-calls.js';
import type { ProtocolName } from '../loop/types.js';
import type {
  ChatMessage,
  ChatModel,
  FinishReason,
  SamplingSettings,
  StreamedToolCall,
  TokenUsage,
} from '../model/types.js';
import { feedbackMessage } from './feedback.js';
import { readReply, WRITE_FILE_TOOL, type ReadReply } from './file-reply.js';
import { VISUAL_SYSTEM_PROMPT, VISUAL_TOOLS_SYSTEM_PROMPT } from './prompt.js';
import type {
  RunVisualAgentOptions,
  VisualAgentEvent,
  VisualAgentResult,
  VisualEndReason,
  VisualTurn,
} from './types.js';

/** The number of replies a run allows: the benchmark's default unless asked, never over its max. */
export function allowedTurns(
  benchmark: RunVisualAgentOptions['benchmark'],
  requested?: number,
): number {
  const turns = requested ?? benchmark.turns.default;
  if (!Number.isInteger(turns) || turns < 1 || turns > benchmark.turns.max) {
    throw new RangeError(
      `${benchmark.id} allows 1 to ${benchmark.turns.max} turns; ${String(turns)} was asked for`,
    );
  }
  return turns;
}

class VisualEnd extends Error {
  constructor(
    readonly reason: VisualEndReason,
    readonly detail: string | null,
    /** Whose failure, for the `error` event: the model (server) or the renderer. */
    readonly source?: 'model' | 'renderer',
  ) {
    super(detail ?? reason);
  }
}

interface Reply {
  text: string;
  reasoning: string;
  toolCalls: StreamedToolCall[];
  finishReason: FinishReason;
  usage: TokenUsage | null;
  error: unknown;
  failed: boolean;
  /** The reply passed the cap and was cut there. */
  tooLarge: boolean;
  durationMs: number;
}

/** Streams one reply, cutting it off (and the request) once it passes `maxChars`. */
async function streamReply(
  model: ChatModel,
  request: { messages: ChatMessage[]; sampling: SamplingSettings; protocol: ProtocolName },
  maxChars: number,
  signal: AbortSignal | undefined,
  emit: (event: VisualAgentEvent) => void,
  turn: number,
  now: () => number,
): Promise<Reply> {
  const started = now();
  const cut = new AbortController();
  const stop = () => cut.abort();
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) cut.abort();
  const got: Reply = {
    text: '',
    reasoning: '',
    toolCalls: [],
    finishReason: 'stop',
    usage: null,
    error: undefined,
    failed: false,
    tooLarge: false,
    durationMs: 0,
  };
  let written = 0;
  try {
    const stream = model.stream({
      messages: request.messages,
      sampling: request.sampling,
      ...(request.protocol === 'tools' ? { tools: [WRITE_FILE_TOOL] } : {}),
      signal: cut.signal,
    });
    for await (const event of stream) {
      if (event.type === 'token') {
        if (event.channel === 'answer') {
          got.text += event.text;
          written += event.text.length;
        } else got.reasoning += event.text;
        emit({ type: 'token', turn, channel: event.channel, text: event.text });
      } else if (event.type === 'tool_call') {
        written += event.arguments.length;
        emit({ ...event, turn });
      } else {
        got.finishReason = event.finishReason;
        got.toolCalls = event.toolCalls ?? [];
        got.usage = event.usage ?? null;
        if (event.error) [got.error, got.failed] = [event.error, true];
      }
      if (written > maxChars) {
        got.tooLarge = true;
        got.text = got.text.slice(0, maxChars);
        cut.abort();
        break;
      }
      // An adapter that ignores the signal must not hold the run past an abort.
      if (signal?.aborted) {
        got.finishReason = 'abort';
        break;
      }
    }
  } catch (error) {
    if (!got.tooLarge) {
      [got.error, got.failed] = [error, true];
      got.finishReason = signal?.aborted ? 'abort' : 'error';
    }
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  got.durationMs = now() - started;
  emit({
    type: 'turn_finished',
    turn,
    finishReason: got.finishReason,
    usage: got.usage,
    durationMs: got.durationMs,
  });
  return got;
}

/** Why the run cannot go on after this reply, before its file is read; null when it can. */
function endAfterReply(reply: Reply, maxChars: number): VisualEnd | null {
  if (reply.tooLarge) {
    return new VisualEnd(
      'reply_too_large',
      `the reply passed ${maxChars.toLocaleString('en')} characters and was cut off there`,
    );
  }
  if (reply.finishReason === 'abort') return new VisualEnd('aborted', 'the run was stopped');
  if (reply.failed || reply.finishReason === 'error') {
    const received = reply.text !== '' || reply.reasoning !== '' || reply.toolCalls.length > 0;
    const end = modelFailure(reply.error, received);
    return new VisualEnd(
      end.reason === 'environment_error' ? 'environment_error' : 'model_error',
      end.detail,
      'model',
    );
  }
  return null;
}

/** Notes that go with the feedback: what the harness did with the reply beyond rendering it. */
function replyNotes(read: ReadReply): string[] {
  const notes: string[] = [];
  if (read.file?.unterminated) {
    notes.push('Note: your ```html block was never closed, so the file may have been cut short.');
  }
  if (read.file?.source === 'fenced' && read.calls.length) {
    notes.push('Note: the file came from your ```html block; your tool calls wrote nothing.');
  }
  if (read.otherFences) {
    notes.push(`Note: ${read.otherFences} fenced block(s) that were not html were ignored.`);
  }
  return notes;
}

/** The messages that answer a rendered reply: one `tool` message per call, or one user message. */
function answerMessages(read: ReadReply, feedback: string): ChatMessage[] {
  if (!read.calls.length) return [{ role: 'user', content: feedback }];
  const fileCall =
    read.file?.source === 'tool' ? read.calls.findLast((c) => 'html' in c.result) : undefined;
  const answers: ChatMessage[] = read.calls.map((c) => ({
    role: 'tool',
    tool_call_id: c.call.id,
    content:
      c === fileCall
        ? feedback
        : 'error' in c.result
          ? `error: ${c.result.error}`
          : 'This version was replaced by a later write_file call in the same reply.',
  }));
  // A file from a fence: the calls are answered, and the feedback is said once after them.
  if (!fileCall) answers.push({ role: 'user', content: feedback });
  return answers;
}

function newTurn(turn: number, reply: Reply, startedAt: number): VisualTurn {
  return {
    turn,
    reply: reply.text,
    reasoning: reply.reasoning,
    toolCalls: recordedCalls(reply.toolCalls, turn),
    finishReason: reply.finishReason,
    usage: reply.usage,
    startedAt: new Date(startedAt).toISOString(),
    modelMs: reply.durationMs,
    file: null,
    malformed: null,
    observation: null,
    frames: [],
    renderMs: null,
    feedback: null,
  };
}

/** Runs a visual benchmark: up to `turns` replies, each file rendered and described to the model. */
export async function runVisualAgent(options: RunVisualAgentOptions): Promise<VisualAgentResult> {
  const { benchmark, model, renderer, signal } = options;
  const now = options.now ?? Date.now;
  const emit = (event: VisualAgentEvent) => options.onEvent?.(event);
  const startedAt = now();
  const turnsAllowed = allowedTurns(benchmark, options.turns);
  const sampling = options.sampling ?? {};
  const maxReplyChars = options.maxReplyChars ?? 4 * benchmark.limits.maxFileBytes;
  const choice = await chooseProtocol(model, options.protocol ?? 'fenced', signal);
  emit({ type: 'protocol', ...choice });
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content: choice.protocol === 'tools' ? VISUAL_TOOLS_SYSTEM_PROMPT : VISUAL_SYSTEM_PROMPT,
    },
    { role: 'user', content: benchmark.task },
  ];
  const turns: VisualTurn[] = [];
  let final: VisualTurn | null = null;
  let modelMs = 0;
  let renderMs = 0;
  let end: VisualEnd;

  const render = async (record: VisualTurn, html: string): Promise<Observation> => {
    emit({
      type: 'render_started',
      turn: record.turn,
      bytes: new TextEncoder().encode(html).length,
    });
    const before = now();
    let rendered: Awaited<ReturnType<typeof renderer.render>>;
    try {
      rendered = await renderer.render(html, {
        requirements: benchmark.requirements,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw new VisualEnd('aborted', 'the run was stopped');
      throw new VisualEnd(
        'environment_error',
        `the renderer failed, so this is not the model's score: ${message(error)}`,
        'renderer',
      );
    } finally {
      record.renderMs = now() - before;
      renderMs += record.renderMs;
    }
    record.observation = rendered.observation;
    record.frames = rendered.frames ?? [];
    emit({
      type: 'render_finished',
      turn: record.turn,
      observation: rendered.observation,
      durationMs: record.renderMs,
    });
    if (rendered.observation.environmentError !== null) {
      throw new VisualEnd(
        'environment_error',
        `the renderer failed, so this is not the model's score: ${rendered.observation.environmentError}`,
        'renderer',
      );
    }
    return rendered.observation;
  };

  try {
    if (renderer.prepare) {
      // The renderer is checked before the model is asked anything: a missing browser costs no turn.
      try {
        await renderer.prepare(signal);
      } catch (error) {
        throw new VisualEnd(
          'environment_error',
          `the renderer could not start, so this is not the model's score: ${message(error)}`,
          'renderer',
        );
      }
    }
    for (let turn = 1; ; turn++) {
      if (signal?.aborted) throw new VisualEnd('aborted', 'the run was stopped');
      emit({ type: 'turn_started', turn });
      const before = now();
      const reply = await streamReply(
        model,
        { messages, sampling, protocol: choice.protocol },
        maxReplyChars,
        signal,
        emit,
        turn,
        now,
      );
      modelMs += reply.durationMs;
      if (reply.finishReason === 'exhausted') {
        // A replay with no response left: the scripted model stopped; no turn took place.
        throw new VisualEnd('model_exhausted', 'the scripted model has no response left');
      }
      const record = newTurn(turn, reply, before);
      turns.push(record);
      messages.push({
        role: 'assistant',
        content: reply.text,
        ...(record.toolCalls.length
          ? {
              tool_calls: record.toolCalls.map(({ id, type, function: f }) => ({
                id,
                type,
                function: f,
              })),
            }
          : {}),
      });
      const stopped = endAfterReply(reply, maxReplyChars);
      if (stopped) throw stopped;
      const read = readReply(choice.protocol, reply.text, reply.toolCalls, turn);
      record.file = read.file;
      record.malformed = read.malformed;
      if (!read.file) {
        if (read.malformed) throw new VisualEnd('malformed_reply', read.malformed);
        throw final
          ? new VisualEnd(
              'no_revision',
              `reply ${turn} gave no file: the file of reply ${final.turn} stands`,
            )
          : new VisualEnd('no_file', 'the reply gave no ```html block and no write_file call');
      }
      const observation = await render(record, read.file.html);
      final = record;
      if (signal?.aborted) throw new VisualEnd('aborted', 'the run was stopped');
      if (turn >= turnsAllowed) {
        throw new VisualEnd('turns_used', `${turnsAllowed} of ${turnsAllowed} turns used`);
      }
      record.feedback = feedbackMessage(
        observation,
        benchmark.requirements,
        turnsAllowed - turn,
        replyNotes(read),
      );
      messages.push(...answerMessages(read, record.feedback));
    }
  } catch (error) {
    end =
      error instanceof VisualEnd
        ? error
        : new VisualEnd('environment_error', `the harness failed: ${message(error)}`, 'renderer');
  }
  if (end.source) emit({ type: 'error', source: end.source, message: end.detail ?? end.reason });
  emit({ type: 'done', endReason: end.reason, detail: end.detail });
  const finishedAt = now();
  return {
    model: { id: model.id, kind: model.kind, scripted: model.scripted },
    benchmark: { id: benchmark.id, version: benchmark.version },
    sampling,
    protocol: choice.protocol,
    protocolChoice: { requested: choice.requested, reason: choice.reason },
    turnsAllowed,
    turns,
    messages,
    final,
    endReason: end.reason,
    endDetail: end.detail,
    timings: {
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - startedAt,
      modelMs,
      renderMs,
    },
  };
}
