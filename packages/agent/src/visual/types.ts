// The visual loop's public shapes: options, events and the result the run folder is written from.
import type { Observation, VisualBenchmark, VisualRenderer } from '@localds/benchmarks';
import type {
  ChatMessage,
  ChatModel,
  FinishReason,
  SamplingSettings,
  TokenUsage,
} from '../model/types.js';
import type { ModelTurnEvent, ProtocolName, RecordedToolCall } from '../loop/types.js';
import type { ReplyFile } from './file-reply.js';

/**
 * Why a visual run ended. The model's: `turns_used` (every allowed turn gave a file), `no_revision` (a
 * reply without a file after one existed: the last file stands), `no_file` (the first reply had none),
 * `malformed_reply` (a write_file call that could not be read), `reply_too_large` (over the cap),
 * `model_exhausted` (a replay ran out), `model_error`. Not the model's: `environment_error` (the
 * renderer or the model server failed: never a score), `aborted`.
 */
export type VisualEndReason =
  | 'turns_used'
  | 'no_revision'
  | 'no_file'
  | 'malformed_reply'
  | 'reply_too_large'
  | 'model_exhausted'
  | 'model_error'
  | 'environment_error'
  | 'aborted';

export interface RunVisualAgentOptions {
  benchmark: VisualBenchmark;
  model: ChatModel;
  renderer: VisualRenderer;
  /** Replies the model may give (the first and its revisions); default the benchmark's, at most its max. */
  turns?: number;
  sampling?: SamplingSettings;
  /** fenced (default), tools, or auto (tools when the model takes them); a replay's file decides. */
  protocol?: ProtocolName | 'auto';
  signal?: AbortSignal;
  onEvent?: (event: VisualAgentEvent) => void;
  /** Characters of one reply before it is cut off; default 4 × the benchmark's file limit. */
  maxReplyChars?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export type VisualAgentEvent =
  | ModelTurnEvent
  | { type: 'render_started'; turn: number; bytes: number }
  | { type: 'render_finished'; turn: number; observation: Observation; durationMs: number }
  | { type: 'error'; source: 'model' | 'renderer'; message: string }
  | { type: 'done'; endReason: VisualEndReason; detail: string | null };

/** One reply of the model and what became of it. */
export interface VisualTurn {
  turn: number;
  reply: string;
  reasoning: string;
  toolCalls: RecordedToolCall[];
  finishReason: FinishReason;
  usage: TokenUsage | null;
  startedAt: string;
  modelMs: number;
  /** The file this reply gave; null when none. */
  file: ReplyFile | null;
  /** Why the reply's file could not be read (a bad write_file call), if so. */
  malformed: string | null;
  observation: Observation | null;
  /** PNG screenshots of this render (Node), in memory only. */
  frames: Uint8Array[];
  renderMs: number | null;
  /** What the harness answered this turn with; null when nothing was sent (the run ended). */
  feedback: string | null;
}

export interface VisualAgentResult {
  model: { id: string; kind: ChatModel['kind']; scripted: boolean };
  benchmark: { id: string; version: string };
  sampling: SamplingSettings;
  protocol: ProtocolName;
  protocolChoice: { requested: ProtocolName | 'auto'; reason: string };
  turnsAllowed: number;
  turns: VisualTurn[];
  /**
   * Every message sent and received, in order (the first two are the system prompt and the task), in
   * full; each request left out every file but the latest (requestMessages).
   */
  messages: ChatMessage[];
  /** The last turn that gave a file: the one that is scored. */
  final: VisualTurn | null;
  endReason: VisualEndReason;
  endDetail: string | null;
  timings: {
    startedAt: string;
    finishedAt: string;
    durationMs: number;
    modelMs: number;
    renderMs: number;
  };
}
