// The agent loop's public shapes: options, the event stream the page listens to, and the result the
// run folder is written from.
import type {
  ChatMessage,
  ChatModel,
  FinishReason,
  SamplingSettings,
  TokenUsage,
  ToolCall,
} from '../model/types.js';
import type {
  CellStatus,
  FigureInfo,
  NotebookOutput,
  PythonSandbox,
  RequestRecord,
} from '../sandbox/types.js';
import type { EndReason as RunEndReason } from '@localds/scorer';
import type { Elision, EntryKind } from './context.js';
import type { PromptBenchmark } from './prompt.js';

/** Why the loop ended; run.json records the same values. */
export type EndReason = Exclude<RunEndReason, 'harness_error'>;

export interface AgentBudgets {
  /** Model calls at most. */
  maxTurns: number;
  /** Prompt + completion tokens over the whole run (reported usage, else estimates). */
  maxTotalTokens: number;
  wallTimeMs: number;
  /** Passed to the sandbox for every cell; enforcing it is the sandbox's job. */
  cellTimeoutMs: number;
  /** Tokens the model attends to; default the model's own, else unlimited (no elision). */
  contextWindow?: number;
}

export interface AgentBenchmark extends PromptBenchmark {
  id: string;
  version: string;
}

export interface RunAgentOptions {
  model: ChatModel;
  sandbox: PythonSandbox;
  benchmark: AgentBenchmark;
  sampling: SamplingSettings;
  budgets: AgentBudgets;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** Characters of stdout/stderr/result text shown to the model per cell and stream; default 2000. */
  maxOutputChars?: number;
  /** Bytes of cell outputs the whole run may record (notebook, run.json); default 32 MiB. */
  maxRecordedOutputBytes?: number;
  /** Milliseconds since the epoch; injectable so wall-time tests need no real waiting. */
  now?: () => number;
  /**
   * How code reaches the kernel: ```python blocks in text (default) or the `run_python` tool. A
   * model that dictates its protocol (a replay file) overrides this.
   */
  protocol?: ProtocolName | 'auto';
}

export type ProtocolName = 'fenced' | 'tools';

/** A tool call as the transcript records it; `fromText` when the server left it in the text. */
export interface RecordedToolCall extends ToolCall {
  fromText?: boolean;
}

export interface BudgetStatus {
  turns: number;
  maxTurns: number;
  totalTokens: number;
  maxTotalTokens: number;
  elapsedMs: number;
  wallTimeMs: number;
  /** The last prompt's estimated size and the window, when a window is known. */
  contextTokens: number | null;
  contextWindow: number | null;
  /** Messages shortened or dropped for the last call. */
  elided: number;
}

/** The events of the model's side of a turn, the same in the notebook loop and the visual loop. */
export type ModelTurnEvent =
  /** Before the first turn: the protocol this run uses, and why (see choose-protocol.ts). */
  | { type: 'protocol'; protocol: ProtocolName; requested: ProtocolName | 'auto'; reason: string }
  | { type: 'turn_started'; turn: number }
  | { type: 'token'; turn: number; channel: 'answer' | 'reasoning'; text: string }
  /** A streamed piece of a tool call: `index` is the call's position in the answer. */
  | {
      type: 'tool_call';
      turn: number;
      index: number;
      id?: string;
      name?: string;
      arguments: string;
    }
  | {
      type: 'turn_finished';
      turn: number;
      finishReason: FinishReason;
      usage: TokenUsage | null;
      durationMs: number;
    };

export type AgentEvent =
  | ModelTurnEvent
  | { type: 'cell_started'; turn: number; cell: number; code: string }
  | { type: 'cell_finished'; turn: number; cell: CellRecord }
  | { type: 'file_written'; turn: number; cell: number; name: string; size: number }
  | { type: 'budget'; status: BudgetStatus }
  | { type: 'error'; source: 'model' | 'sandbox' | 'budget'; message: string }
  | { type: 'done'; endReason: EndReason; detail: string | null };

/** A message of the conversation, as the model received it (un-elided) or produced it. */
export interface TranscriptEntry {
  kind: EntryKind;
  role: ChatMessage['role'];
  content: string;
  /** The model's separate reasoning channel (assistant turns only). */
  reasoning: string | null;
  /** ISO time the message was sent (prompts) or began streaming (assistant). */
  startedAt: string;
  /** Assistant turns: time from request to end of stream. */
  durationMs: number | null;
  /** Assistant turns: reported usage, or null when the adapter gave none. */
  usage: TokenUsage | null;
  /** False for a message the run ended before sending (e.g. the results of the last turn). */
  sent: boolean;
  /** The call that produced this turn: the elisions applied to the conversation before it. */
  elisions?: Elision[];
  /** Assistant turns: the tokens estimated for the prompt sent. */
  estimatedPromptTokens?: number;
  finishReason?: FinishReason;
  /** Assistant turns of the `tools` protocol: the calls the model made. */
  toolCalls?: RecordedToolCall[];
  /** Tool results: the call answered. */
  toolCallId?: string;
}

export type CellRunStatus = CellStatus | 'skipped';

export interface CellRecord {
  /** 0-based, over the run: the order cells were written in. */
  index: number;
  turn: number;
  code: string;
  /** ok/error/timeout/interrupted/crashed from the sandbox; skipped when an earlier cell of the turn failed. */
  status: CellRunStatus;
  /** Kernel execution counter (1-based) for cells that ran, else null. */
  executionCount: number | null;
  outputs: NotebookOutput[];
  durationMs: number;
  stateLost: boolean;
  /** The block had no closing fence (the turn was cut short). */
  unterminated: boolean;
  /** The `run_python` call this cell ran (the `tools` protocol). */
  toolCallId?: string;
  requests: RequestRecord[];
  files: { name: string; size: number; sha256: string | null }[];
  figures: FigureInfo[];
  /** The kernel's peak memory while the cell ran (CellResult.peakMemoryBytes), when its level read it. */
  peakMemoryBytes?: number;
}

/** One assistant turn's parts in order, for the notebook: prose and the cells its code became. */
export type TurnPart =
  | { kind: 'prose'; text: string }
  | { kind: 'cell'; cell: number }
  /** A tool call that ran nothing (bad arguments, unknown function), and what the model was told. */
  | { kind: 'invalid_call'; callId: string; name: string; arguments: string; error: string };

export interface TurnRecord {
  turn: number;
  parts: TurnPart[];
}

export interface AgentRunResult {
  model: { id: string; kind: ChatModel['kind']; scripted: boolean };
  benchmark: { id: string; version: string };
  isolation: PythonSandbox['isolation'];
  sampling: SamplingSettings;
  protocol: ProtocolName;
  /** What was asked for and why this protocol was used (`auto` asks the model). */
  protocolChoice: { requested: ProtocolName | 'auto'; reason: string };
  /** Every message in order, un-elided; each assistant entry records what its call sent. */
  transcript: TranscriptEntry[];
  turns: TurnRecord[];
  cells: CellRecord[];
  endReason: EndReason;
  /** A sentence on why the run ended (the error, the budget hit), null for a plain DONE. */
  endDetail: string | null;
  totals: {
    turns: number;
    promptTokens: number;
    completionTokens: number;
    /** True when some turn had no reported usage and its tokens were estimated. */
    tokensEstimated: boolean;
    modelMs: number;
    executionMs: number;
    startedAt: string;
    finishedAt: string;
    durationMs: number;
  };
}
