// How the model's answers become cells and how the cells' results go back: a protocol is a small
// strategy the loop is given, so each way of driving a model is an object, not branches inside the
// loop. `fenced`: ```python blocks in plain text, results in a user message, DONE ends the run.
// `tools`: the request offers run_python({code}); each call runs as a cell and is answered by its
// own `tool` message; an answer without a call ends the run once every deliverable exists.
import type { ChatMessage, StreamedToolCall, ToolDefinition } from '../model/types.js';
import { parseTurn, type CodeSegment, type ProseSegment } from './parse.js';
import { SYSTEM_PROMPT, TOOLS_SYSTEM_PROMPT } from './prompt.js';
import { cellReport, noCodeMessage, resultsMessage } from './results.js';
import { answerCalls, RUN_PYTHON_TOOL } from './tool-calls.js';
import type { CellRecord, ProtocolName, RecordedToolCall } from './types.js';

/** A tool call that runs nothing: the error is its tool result. */
export interface InvalidCallSegment {
  kind: 'invalid_call';
  call: RecordedToolCall;
  error: string;
}

/** A cell to run; under `tools`, the call it came from. */
export type RunnableSegment = CodeSegment & { call?: RecordedToolCall };

export interface ProtocolTurn {
  /** What the turn shows and runs, in order. */
  segments: (ProseSegment | RunnableSegment | InvalidCallSegment)[];
  /** The model said it is done (`fenced`: a DONE line; `tools` ends on an answer without calls). */
  done: boolean;
  /** The calls as recorded and sent back (ids filled in); empty under `fenced`. */
  toolCalls: RecordedToolCall[];
  /** Fenced blocks that were shown, not run. */
  otherFences: number;
  /** Tell the model, this once, that fenced code does not run here. */
  remind: boolean;
}

/** What answers one runnable or invalid segment. */
export type CallOutcome = { cell: CellRecord } | { invalid: InvalidCallSegment };

export interface ModelReply {
  text: string;
  toolCalls: StreamedToolCall[];
}

export interface TurnProtocol {
  readonly name: ProtocolName;
  readonly systemPrompt: string;
  /** Offered with every request; absent for `fenced`. */
  readonly tools?: ToolDefinition[];
  parse(reply: ModelReply, turn: number): ProtocolTurn;
  /** The messages answering a turn's cells and calls, each output cut to `maxChars`. */
  results(outcomes: CallOutcome[], maxChars: number, turn: ProtocolTurn): ChatMessage[];
  /** The user message answering a turn that ran nothing while deliverables are missing. */
  noCode(missing: string[], turn: ProtocolTurn): ChatMessage;
}

export const fencedProtocol: TurnProtocol = {
  name: 'fenced',
  systemPrompt: SYSTEM_PROMPT,
  parse: (reply) => ({ ...parseTurn(reply.text), toolCalls: [], remind: false }),
  results: (outcomes, maxChars) => [
    {
      role: 'user',
      content: resultsMessage(
        outcomes.flatMap((o) => ('cell' in o ? [o.cell] : [])),
        maxChars,
      ),
    },
  ],
  noCode: (missing, turn) => ({ role: 'user', content: noCodeMessage(missing, turn.otherFences) }),
};

const REMINDER =
  'Note: code in your text (```python blocks) is shown, not run. Run code by calling the run_python tool.';

/** A fresh `tools` protocol: it remembers whether the model was already reminded to use the tool. */
export function toolsProtocol(): TurnProtocol {
  let reminded = false;
  return {
    name: 'tools',
    systemPrompt: TOOLS_SYSTEM_PROMPT,
    tools: [RUN_PYTHON_TOOL],
    parse(reply, turn) {
      const { calls, prose } = answerCalls(reply.text, reply.toolCalls, turn);
      const segments: ProtocolTurn['segments'] = [];
      if (prose.trim()) segments.push({ kind: 'prose', text: prose.trim() });
      for (const c of calls) {
        segments.push(
          'code' in c
            ? {
                kind: 'code',
                code: c.code,
                lang: 'python',
                terminated: true,
                start: 0,
                end: 0,
                call: c.call,
              }
            : { kind: 'invalid_call', call: c.call, error: c.error },
        );
      }
      const fences = parseTurn(prose).code.length;
      const remind = fences > 0 && !reminded;
      if (remind) reminded = true;
      return {
        segments,
        done: false,
        toolCalls: calls.map((c) => c.call),
        otherFences: fences,
        remind,
      };
    },
    results(outcomes, maxChars, turn) {
      const messages: ChatMessage[] = outcomes.map((o) =>
        'cell' in o
          ? {
              role: 'tool',
              tool_call_id: o.cell.toolCallId ?? '',
              content: cellReport(o.cell, '[run_python]', maxChars),
            }
          : { role: 'tool', tool_call_id: o.invalid.call.id, content: `error: ${o.invalid.error}` },
      );
      const last = messages.at(-1);
      if (turn.remind && last) last.content += `\n\n${REMINDER}`;
      return messages;
    },
    noCode(missing, turn) {
      const ran = turn.otherFences
        ? 'Your reply had ```python blocks but called no tool, so nothing ran. '
        : 'Your reply called no tool, so nothing ran. ';
      return {
        role: 'user',
        content:
          `${ran}These deliverables do not exist yet: ${missing.join(', ')}. ` +
          'Call run_python with the next step; answer without a tool call when everything is written.' +
          (turn.remind ? `\n\n${REMINDER}` : ''),
      };
    },
  };
}

/** The protocol object for a run. */
export function protocolFor(name: ProtocolName): TurnProtocol {
  return name === 'tools' ? toolsProtocol() : fencedProtocol;
}
