import { RunJsonSchema, TraceSchema } from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import { messagesSentFor } from '../src/loop/context.js';
import { TOOLS_SYSTEM_PROMPT } from '../src/loop/prompt.js';
import { runAgent } from '../src/loop/run-agent.js';
import { buildTrace, runJsonParts } from '../src/loop/run-json.js';
import { RUN_PYTHON_TOOL } from '../src/loop/tool-calls.js';
import { buildNotebook } from '../src/notebook/build.js';
import { createReplayModel } from '../src/model/replay.js';
import type { StreamedToolCall } from '../src/model/types.js';
import {
  budgets,
  FakeModel,
  FakeSandbox,
  fence,
  type CellScript,
  toyBenchmark as benchmark,
  runOnFakes,
  type ScriptedTurn,
} from './helpers/fakes.js';

const runTools = (turns: ScriptedTurn[], script?: CellScript) =>
  runOnFakes(turns, script, { protocol: 'tools' });

const call = (code: string, id: string | null = 'c1'): StreamedToolCall => ({
  id,
  name: 'run_python',
  arguments: JSON.stringify({ code }),
});

const writeSummary = 'open("summary.json", "w").write("{}")';
const writes: CellScript = (code) =>
  code.includes('summary.json') ? { writes: { 'summary.json': '{}' } } : {};

describe('runAgent, tools protocol', () => {
  it('offers run_python, answers each call with its own tool message, and ends on an answer without a call once the deliverables exist', async () => {
    const { result, model, sandbox } = await runTools(
      [
        { text: 'Loading.', toolCalls: [call('print("a")', 'c1'), call('print("b")', 'c2')] },
        { text: '', toolCalls: [call(writeSummary, 'c3')] },
        { text: 'All written.' },
      ],
      writes,
    );
    expect(result.endReason).toBe('no_code_outputs_present');
    expect(result.protocol).toBe('tools');
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("a")', 'print("b")', writeSummary]);
    expect(model.requests[0]!.tools).toEqual([RUN_PYTHON_TOOL]);
    expect(model.requests[0]!.messages[0]!.content).toBe(TOOLS_SYSTEM_PROMPT);
    const second = model.requests[1]!.messages;
    expect(second.slice(2)).toEqual([
      {
        role: 'assistant',
        content: 'Loading.',
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'run_python', arguments: '{"code":"print(\\"a\\")"}' },
          },
          {
            id: 'c2',
            type: 'function',
            function: { name: 'run_python', arguments: '{"code":"print(\\"b\\")"}' },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'c1',
        content: expect.stringMatching(/^\[run_python\] ok .*\nstdout:\na$/),
      },
      {
        role: 'tool',
        tool_call_id: 'c2',
        content: expect.stringMatching(/^\[run_python\] ok .*\nstdout:\nb$/),
      },
    ]);
    expect(result.cells.map((c) => c.toolCallId)).toEqual(['c1', 'c2', 'c3']);
    // What each call sent is rebuilt exactly from the transcript.
    const third = result.transcript.findLastIndex((t) => t.kind === 'assistant');
    expect(messagesSentFor(result.transcript, third)).toEqual(model.requests[2]!.messages);
  });

  it('tells the model what is missing when it answers without a call too early', async () => {
    const { result, model } = await runTools([{ text: 'I think we are done.' }, { text: 'Yes.' }]);
    expect(result.endReason).toBe('model_exhausted');
    const told = model.requests[1]!.messages.at(-1)!;
    expect(told.role).toBe('user');
    expect(told.content).toContain('called no tool');
    expect(told.content).toContain('summary.json');
  });

  it('answers malformed arguments, a missing code and an unknown function with a tool-result error, records them, and goes on', async () => {
    const { result, model, sandbox } = await runTools(
      [
        {
          text: '',
          toolCalls: [
            { id: 'bad', name: 'run_python', arguments: '{"code": "print(1)' },
            { id: 'nocode', name: 'run_python', arguments: '{"source": "print(1)"}' },
            { id: 'other', name: 'shell', arguments: '{"cmd": "ls"}' },
            call('print("still runs")', 'good'),
          ],
        },
        { text: '', toolCalls: [call(writeSummary, 'w')] },
        { text: 'Done.' },
      ],
      writes,
    );
    expect(result.endReason).toBe('no_code_outputs_present');
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("still runs")', writeSummary]);
    const tools = model.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.tool_call_id)).toEqual(['bad', 'nocode', 'other', 'good']);
    expect(tools[0]!.content).toMatch(/^error: the arguments of run_python are not valid JSON/);
    expect(tools[1]!.content).toMatch(
      /^error: run_python needs a non-empty string argument "code"; the arguments had only "source"/,
    );
    expect(tools[2]!.content).toMatch(/^error: "shell" is not a tool here/);
    expect(tools[3]!.content).toContain('still runs');
    const trace = TraceSchema.parse(buildTrace(result));
    expect(trace.tool_errors?.map((e) => [e.turn, e.call_id, e.name])).toEqual([
      [1, 'bad', 'run_python'],
      [1, 'nocode', 'run_python'],
      [1, 'other', 'shell'],
    ]);
    const notebook = buildNotebook(result);
    const invalid = notebook.cells.filter((c) =>
      JSON.stringify(c.metadata).includes('invalid_tool_call'),
    );
    expect(invalid).toHaveLength(3);
    const code = notebook.cells.filter((c) => c.cell_type === 'code');
    expect(
      code.map(
        (c) => (c.metadata as { localds: { tool_call?: { id: string } } }).localds.tool_call?.id,
      ),
    ).toEqual(['good', 'w']);
  });

  it('shows fenced code in a tools reply without running it, and reminds the model once', async () => {
    const { result, model, sandbox } = await runTools([
      { text: `Here:\n${fence('print("fenced")')}` },
      { text: `Again:\n${fence('print("fenced again")')}` },
      { text: 'x', toolCalls: [call('print("tool")')] },
    ]);
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("tool")']);
    const first = model.requests[1]!.messages.at(-1)!.content;
    const second = model.requests[2]!.messages.at(-1)!.content;
    expect(first).toContain('shown, not run');
    expect(second).not.toContain('shown, not run');
    expect(second).toContain('called no tool');
    expect(result.turns[0]!.parts).toEqual([
      { kind: 'prose', text: `Here:\n${fence('print("fenced")')}` },
    ]);
  });

  it('runs calls a server left in the text (<tool_call> and a bare JSON object) and records that it did not parse them', async () => {
    const tagged = `Let me look.\n<tool_call>\n{"name": "run_python", "arguments": {"code": "print(\\"tagged\\")"}}\n</tool_call>`;
    const bare = `{"name": "run_python", "parameters": {"code": ${JSON.stringify(writeSummary)}}}`;
    const { result, model, sandbox } = await runTools(
      [{ text: tagged }, { text: bare }, { text: 'Finished.' }],
      writes,
    );
    expect(result.endReason).toBe('no_code_outputs_present');
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("tagged")', writeSummary]);
    const sent = model.requests[1]!.messages;
    expect(sent.at(-2)!.tool_calls).toEqual([
      {
        id: 'call_1_1',
        type: 'function',
        function: { name: 'run_python', arguments: '{"code":"print(\\"tagged\\")"}' },
      },
    ]);
    expect(sent.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1_1' });
    expect(result.turns[0]!.parts[0]).toEqual({ kind: 'prose', text: 'Let me look.' });
    const parts = runJsonParts(result);
    const assistant = parts.transcript.filter((t) => t.role === 'assistant');
    expect(assistant[0]!.tool_calls).toEqual([
      {
        id: 'call_1_1',
        name: 'run_python',
        arguments: '{"code":"print(\\"tagged\\")"}',
        from_text: true,
      },
    ]);
    expect(assistant[1]!.tool_calls?.[0]?.from_text).toBe(true);
    expect(parts.protocol).toBe('tools');
    expect(parts.transcript.filter((t) => t.role === 'tool').map((t) => t.tool_call_id)).toEqual([
      'call_1_1',
      'call_2_1',
    ]);
    // The transcript entries pass run.json's schema.
    expect(RunJsonSchema.shape.transcript.parse(parts.transcript)).toHaveLength(
      parts.transcript.length,
    );
  });

  it('skips the calls after a failed one, each still answered', async () => {
    const { model, sandbox, result } = await runTools(
      [{ text: '', toolCalls: [call('boom', 'a'), call('print("later")', 'b')] }],
      (code) => (code === 'boom' ? { status: 'error' } : {}),
    );
    expect(sandbox.ran.map((r) => r.code)).toEqual(['boom']);
    expect(result.cells.map((c) => c.status)).toEqual(['error', 'skipped']);
    const tools = model.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(tools[1]!.content).toBe('[run_python] not run: an earlier call of this reply failed');
  });

  it('fills in an id the server left out, so every tool message answers a call', async () => {
    const { model } = await runTools([{ text: '', toolCalls: [call('print(1)', null)] }]);
    const sent = model.requests[1]!.messages;
    expect(sent.at(-2)!.tool_calls![0]!.id).toBe('call_1_1');
    expect(sent.at(-1)!.tool_call_id).toBe('call_1_1');
  });

  it('keeps fenced as the default protocol, with no tools offered', async () => {
    const model = new FakeModel([{ text: 'DONE' }]);
    const result = await runAgent({
      model,
      sandbox: new FakeSandbox(),
      benchmark,
      sampling: {},
      budgets,
    });
    expect(result.protocol).toBe('fenced');
    expect(model.requests[0]!.tools).toBeUndefined();
    expect(runJsonParts(result).protocol).toBe('fenced');
  });
});

describe('replay files with tool calls', () => {
  it('replays assistant messages with tool calls in the tools protocol, whatever the run asked for', async () => {
    const file = {
      responses: [
        {
          content: 'Start.',
          tool_calls: [{ id: 'r1', name: 'run_python', arguments: { code: 'print("r")' } }],
        },
        { tool_calls: [{ name: 'run_python', arguments: '{"code": ' }] },
        { tool_calls: [{ name: 'run_python', arguments: { code: writeSummary } }] },
        'All written.',
      ],
    };
    const model = createReplayModel(file, { name: 'tools-demo' });
    expect(model.protocol).toBe('tools');
    const sandbox = new FakeSandbox(writes);
    const result = await runAgent({
      model,
      sandbox,
      benchmark,
      sampling: {},
      budgets,
      protocol: 'fenced',
    });
    expect(result.protocol).toBe('tools');
    expect(result.protocolChoice.reason).toContain(
      'file is written in the tools protocol (fenced was asked for)',
    );
    expect(result.endReason).toBe('no_code_outputs_present');
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("r")', writeSummary]);
    expect(result.turns[1]!.parts[0]).toMatchObject({ kind: 'invalid_call', callId: 'call_2_1' });
  });

  it('keeps plain string files fenced, and a file may name its protocol', () => {
    expect(createReplayModel({ responses: ['DONE'] }).protocol).toBe('fenced');
    expect(createReplayModel({ protocol: 'tools', responses: ['Nothing to do.'] }).protocol).toBe(
      'tools',
    );
  });

  it('rejects a malformed tool-call response with a message naming the format', () => {
    expect(() => createReplayModel({ responses: [{ tool_calls: [{ arguments: {} }] }] })).toThrow(
      /each response a string or \{"content": "…", "tool_calls": .*responses\.0/,
    );
  });
});
