// Reading a `tools` answer's calls: the calls the server parsed (`tool_calls`), or, when it parsed
// none, the calls a model left in its text (Qwen/Hermes `<tool_call>{…}</tool_call>`, or a reply
// that is one bare JSON object `{"name": …, "arguments": …}` as Llama templates emit). Each call
// is checked here; a bad one becomes an error the model is told, never a crash.
import { z } from 'zod';
import type { StreamedToolCall, ToolDefinition } from '../model/types.js';
import type { RecordedToolCall } from './types.js';

export const RUN_PYTHON = 'run_python';

/** The one function the `tools` protocol offers. */
export const RUN_PYTHON_TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: RUN_PYTHON,
    description:
      'Run Python code as the next cell of a persistent notebook kernel. Returns what the cell printed, ' +
      'the value of its last expression, errors, files written and figures.',
    parameters: {
      type: 'object',
      properties: { code: { type: 'string', description: 'The Python source of the cell.' } },
      required: ['code'],
    },
  },
};

/** A call checked against run_python's signature: its code, or why it cannot run. */
export type CheckedCall =
  { call: RecordedToolCall; code: string } | { call: RecordedToolCall; error: string };

export interface AnswerCalls {
  calls: CheckedCall[];
  /** The answer's text without the calls that were left in it. */
  prose: string;
}

const TAGGED = /<tool_call>\s*([\s\S]*?)\s*(?:<\/tool_call>|$)/g;
const TextCallSchema = z.object({
  name: z.string(),
  // Hermes/Qwen say `arguments`; Llama 3.x templates say `parameters`.
  arguments: z.unknown().optional(),
  parameters: z.unknown().optional(),
});

/**
 * The answer's calls, each with an id (the server's, else one made from turn and position), each
 * checked by `checkCall` (default: against run_python's signature; the visual loop checks write_file).
 */
export function answerCalls(text: string, streamed: StreamedToolCall[], turn: number): AnswerCalls;
export function answerCalls<T>(
  text: string,
  streamed: StreamedToolCall[],
  turn: number,
  checkCall: (call: RecordedToolCall) => T,
): { calls: T[]; prose: string };
export function answerCalls(
  text: string,
  streamed: StreamedToolCall[],
  turn: number,
  checkCall: (call: RecordedToolCall) => unknown = check,
): { calls: unknown[]; prose: string } {
  if (streamed.length) {
    return { calls: recordedCalls(streamed, turn).map(checkCall), prose: text };
  }
  const id = (i: number) => callId(turn, i);
  const found = callsInText(text);
  return {
    calls: found.calls.map((c, i) =>
      checkCall({ id: id(i), type: 'function', function: c, fromText: true }),
    ),
    prose: found.prose,
  };
}

function callsInText(text: string): {
  calls: { name: string; arguments: string }[];
  prose: string;
} {
  const calls: { name: string; arguments: string }[] = [];
  if (text.includes('<tool_call>')) {
    const prose = text.replace(TAGGED, (_, body: string) => {
      calls.push(textCall(body) ?? { name: '', arguments: body });
      return '';
    });
    return { calls, prose: prose.trim() };
  }
  // A reply that is nothing but one call object (optionally in a ```json fence).
  const bare = /^(?:```(?:json)?\s*)?(\{[\s\S]*\})(?:\s*```)?$/.exec(text.trim());
  const call = bare?.[1] ? textCall(bare[1]) : null;
  return call ? { calls: [call], prose: '' } : { calls: [], prose: text };
}

/** A call's id when the server gave none: unique in the run, stable across replays. */
function callId(turn: number, position: number): string {
  return `call_${turn}_${position + 1}`;
}

/** The streamed calls as recorded: the server's ids, else made ones; a missing name is empty. */
export function recordedCalls(streamed: StreamedToolCall[], turn: number): RecordedToolCall[] {
  return streamed.map((c, i) => ({
    id: c.id ?? callId(turn, i),
    type: 'function',
    function: { name: c.name ?? '', arguments: c.arguments },
  }));
}

/** `{"name": …, "arguments": {…}}` as a call; null when the text is not such an object. */
function textCall(body: string): { name: string; arguments: string } | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = TextCallSchema.safeParse(json);
  if (!parsed.success) return null;
  const args = parsed.data.arguments ?? parsed.data.parameters ?? {};
  return {
    name: parsed.data.name,
    arguments: typeof args === 'string' ? args : JSON.stringify(args),
  };
}

/**
 * The parsed JSON arguments of a call to `tool`, the only tool offered (shown to the model as
 * `signature`), or what the model must fix: another function, or arguments that are not JSON
 * (`nothing` ends that sentence, saying what did not happen).
 */
export function toolArguments(
  call: RecordedToolCall,
  tool: string,
  signature: string,
  nothing: string,
): { json: unknown } | { error: string } {
  const { name, arguments: args } = call.function;
  if (name !== tool) {
    const called = name ? `"${name}"` : 'a function without a name';
    return { error: `${called} is not a tool here: the only tool is ${signature}.` };
  }
  try {
    return { json: JSON.parse(args) as unknown };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { error: `the arguments of ${tool} are not valid JSON (${why}); ${nothing}` };
  }
}

/** run_python's code from a call, or what the model must fix. */
function check(call: RecordedToolCall): CheckedCall {
  const args = toolArguments(
    call,
    RUN_PYTHON,
    'run_python({"code": …})',
    'nothing ran. Send {"code": "<python source>"}.',
  );
  if ('error' in args) return { call, error: args.error };
  const { json } = args;
  const code =
    typeof json === 'object' && json !== null ? (json as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !code.trim()) {
    return {
      call,
      error:
        'run_python needs a non-empty string argument "code"' +
        (typeof json === 'object' && json !== null
          ? `; the arguments had ${
              Object.keys(json).length
                ? `only ${Object.keys(json)
                    .map((k) => `"${k}"`)
                    .join(', ')}`
                : 'no keys'
            }`
          : '') +
        '. Nothing ran.',
    };
  }
  return { call, code };
}
