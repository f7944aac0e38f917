// Everything a run has produced so far, in one object the loop's steps take: the transcript (the
// one log of the conversation; what the model is sent is derived from it), the cells, the turns'
// parts and the totals. The steps change it only through these methods.
import type { ChatMessage, TokenUsage } from '../model/types.js';
import type { ConversationEntry, EntryKind, FitResult } from './context.js';
import { calibrated, tokenEstimator, type TokenEstimator } from './tokens.js';
import type {
  AgentRunResult,
  CellRecord,
  RecordedToolCall,
  TranscriptEntry,
  TurnRecord,
} from './types.js';

/** The chat message a transcript entry is: tool calls in OpenAI's shape, without our own marks. */
export function entryMessage(
  t: Pick<TranscriptEntry, 'role' | 'content' | 'toolCalls' | 'toolCallId'>,
): ChatMessage {
  return {
    role: t.role,
    content: t.content,
    ...(t.toolCalls?.length
      ? { tool_calls: t.toolCalls.map(({ id, type, function: f }) => ({ id, type, function: f })) }
      : {}),
    ...(t.toolCallId ? { tool_call_id: t.toolCallId } : {}),
  };
}

type FitOk = Extract<FitResult, { ok: true }>;

/** One model call's outcome, as the transcript records it. */
export interface AnswerRecord {
  answer: string;
  reasoning: string;
  finishReason: NonNullable<TranscriptEntry['finishReason']>;
  usage: TokenUsage | null;
  startedAt: number;
  durationMs: number;
}

export class RunState {
  readonly transcript: TranscriptEntry[] = [];
  readonly cells: CellRecord[] = [];
  readonly turns: TurnRecord[] = [];
  readonly totals = {
    promptTokens: 0,
    completionTokens: 0,
    tokensEstimated: false,
    modelMs: 0,
    executionMs: 0,
  };
  turnCount = 0;
  /** The notebook's execution counter (the kernel's restarts with the kernel). */
  executionCount = 0;
  /** Characters per token, calibrated on the first real usage report. */
  estimator: TokenEstimator = tokenEstimator();
  /** The last call's fit, for the budget status. */
  lastFit: FitResult | null = null;

  constructor(private readonly now: () => number) {}

  /** The conversation as the model sees it before elision: the transcript's kinds and messages. */
  conversation(): ConversationEntry[] {
    return this.transcript.map((t) => ({
      kind: t.kind,
      message: entryMessage(t),
    }));
  }

  /** The calls the latest answer made, as the protocol read them (ids filled in, calls in text found). */
  recordToolCalls(calls: RecordedToolCall[]): void {
    const last = this.transcript.at(-1);
    if (last?.kind === 'assistant' && calls.length) last.toolCalls = calls;
  }

  /** A message to the model (system, task, results); unsent until a call carries it. */
  addPrompt(kind: Exclude<EntryKind, 'assistant'>, message: ChatMessage): void {
    this.transcript.push({
      kind,
      role: message.role,
      content: message.content,
      ...(message.tool_call_id ? { toolCallId: message.tool_call_id } : {}),
      reasoning: null,
      startedAt: new Date(this.now()).toISOString(),
      durationMs: null,
      usage: null,
      sent: false,
    });
  }

  /** The model's answer to `fit`: every message before it was sent; its tokens are counted. */
  addAnswer(a: AnswerRecord, fit: FitOk): void {
    this.totals.modelMs += a.durationMs;
    this.totals.promptTokens += a.usage?.promptTokens ?? fit.estimatedTokens;
    this.totals.completionTokens +=
      a.usage?.completionTokens ?? this.estimator.text(a.answer + a.reasoning);
    if (!a.usage || a.usage.estimated) this.totals.tokensEstimated = true;
    // Only a real tokenizer's count says anything about this model's characters per token.
    if (a.usage && !a.usage.estimated) {
      this.estimator = calibrated(this.estimator, fit.messages, a.usage.promptTokens);
    }
    for (const entry of this.transcript) entry.sent = true;
    this.transcript.push({
      kind: 'assistant',
      role: 'assistant',
      content: a.answer,
      reasoning: a.reasoning || null,
      startedAt: new Date(a.startedAt).toISOString(),
      durationMs: a.durationMs,
      usage: a.usage,
      sent: true,
      elisions: fit.elisions,
      estimatedPromptTokens: fit.estimatedTokens,
      finishReason: a.finishReason,
    });
  }

  addCell(record: CellRecord): void {
    this.cells.push(record);
    this.totals.executionMs += record.durationMs;
  }

  /** Counts a model call: the turn's number. */
  beginTurn(): number {
    return ++this.turnCount;
  }

  /** A turn whose answer is acted on: its record, whose parts the turn's steps fill in. */
  recordTurn(turn: number): TurnRecord {
    const record: TurnRecord = { turn, parts: [] };
    this.turns.push(record);
    return record;
  }

  usedTokens(): number {
    return this.totals.promptTokens + this.totals.completionTokens;
  }

  /** The result's run-wide totals. */
  summary(startedAt: number, finishedAt: number): AgentRunResult['totals'] {
    return {
      turns: this.turnCount,
      ...this.totals,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - startedAt,
    };
  }
}
