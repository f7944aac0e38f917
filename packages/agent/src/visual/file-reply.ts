// Reading the file out of a visual benchmark's reply: a ```html fenced block (the `fenced` protocol)
// or a write_file({path: "index.html", content}) call (the `tools` protocol). The fence and call
// parsing is the notebook loop's (parse.ts, tool-calls.ts); only what counts as "the file" is here.
import { z } from 'zod';
import type { ChatMessage, StreamedToolCall, ToolDefinition } from '../model/types.js';
import { elideCode, parseTurn } from '../loop/parse.js';
import { answerCalls, toolArguments } from '../loop/tool-calls.js';
import type { ProtocolName, RecordedToolCall } from '../loop/types.js';

export const WRITE_FILE = 'write_file';
export const FILE_NAME = 'index.html';
/** Fences whose body is the file: ```html (and the odd ```htm / ```xhtml). */
const HTML_FENCE = /^(?:html?|xhtml)$/i;

/** The one function the `tools` protocol offers a visual benchmark. */
export const WRITE_FILE_TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: WRITE_FILE,
    description:
      'Write the complete file index.html (replacing any earlier version). The harness renders it ' +
      'offline and answers with what it saw.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', enum: [FILE_NAME], description: 'Always "index.html".' },
        content: { type: 'string', description: 'The complete HTML file.' },
      },
      required: ['path', 'content'],
    },
  },
};

/** write_file's arguments, as the model must send them. */
const WriteFileArgsSchema = z.object({
  path: z.literal(FILE_NAME, { error: `path must be "${FILE_NAME}"` }),
  content: z
    .string({ error: 'content must be the file as a string' })
    .refine((c) => c.trim() !== '', 'content is empty'),
});

export interface ReplyFile {
  html: string;
  source: 'fenced' | 'tool';
  /** The fence was never closed (the reply was cut short): the file may be incomplete. */
  unterminated: boolean;
}

/** A tool call of the reply and what the harness answers it with (unless it is the file's). */
export interface CheckedFileCall {
  call: RecordedToolCall;
  /** The call's file, or why it gives none (told to the model as the call's result). */
  result: { html: string } | { error: string };
}

export interface ReadReply {
  /** The reply's file; null when it has none. */
  file: ReplyFile | null;
  /** The reply tried to give a file and failed (a bad call): why, in a sentence for the record. */
  malformed: string | null;
  /** The calls made (tools protocol), each checked; the file is the last valid one. */
  calls: CheckedFileCall[];
  /** Fenced blocks that were not HTML (shown, not rendered). */
  otherFences: number;
}

function checkWriteFile(call: RecordedToolCall): CheckedFileCall {
  const args = toolArguments(
    call,
    WRITE_FILE,
    `write_file({"path": "${FILE_NAME}", "content": …})`,
    'nothing was written.',
  );
  if ('error' in args) return { call, result: args };
  const parsed = WriteFileArgsSchema.safeParse(args.json);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => i.message).join('; ');
    return { call, result: { error: `write_file was not done: ${why}.` } };
  }
  return { call, result: { html: parsed.data.content } };
}

/** The file a reply gives under `protocol`, and what went wrong if it tried and failed. */
export function readReply(
  protocol: ProtocolName,
  text: string,
  toolCalls: StreamedToolCall[],
  turn: number,
): ReadReply {
  if (protocol === 'tools') {
    const { calls, prose } = answerCalls(text, toolCalls, turn, checkWriteFile);
    const written = calls.flatMap((c) => ('html' in c.result ? [c.result.html] : []));
    const last = written.at(-1);
    const otherFences = parseTurn(prose, HTML_FENCE).otherFences;
    if (last !== undefined) {
      return {
        file: { html: last, source: 'tool', unterminated: false },
        malformed: null,
        calls,
        otherFences,
      };
    }
    const errors = calls.flatMap((c) => ('error' in c.result ? [c.result.error] : []));
    // A model that wrote the file in a fence instead of calling the tool still wrote the file.
    const fenced = fencedFile(prose);
    return {
      file: fenced,
      malformed: !fenced && errors.length ? errors.join(' ') : null,
      calls,
      otherFences,
    };
  }
  const parsed = parseTurn(text, HTML_FENCE);
  return { file: fencedFile(text), malformed: null, calls: [], otherFences: parsed.otherFences };
}

/** The last ```html block of the text (a reply may quote a snippet before the whole file). */
function fencedFile(text: string): ReplyFile | null {
  const block = parseTurn(text, HTML_FENCE).code.at(-1);
  if (!block) return null;
  return { html: block.code, source: 'fenced', unterminated: !block.terminated };
}

export const FILE_ELIDED =
  '<!-- an earlier version of index.html, left out: only the latest is sent in full -->';

/**
 * An assistant message with its file left out: the request for a revision carries only the latest
 * file in full, so three 100 kB versions do not fill a small model's context window.
 */
export function withoutFile(message: ChatMessage): ChatMessage {
  if (message.role !== 'assistant') return message;
  const content = elideCode(message.content, {
    runnable: HTML_FENCE,
    lang: 'html',
    marker: FILE_ELIDED,
  });
  const calls = message.tool_calls?.map((call) => {
    if (call.function.name !== WRITE_FILE) return call;
    const args = WriteFileArgsSchema.safeParse(safeJson(call.function.arguments));
    if (!args.success) return call;
    const elided = JSON.stringify({ ...args.data, content: FILE_ELIDED });
    return { ...call, function: { ...call.function, arguments: elided } };
  });
  return { ...message, content, ...(calls ? { tool_calls: calls } : {}) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
