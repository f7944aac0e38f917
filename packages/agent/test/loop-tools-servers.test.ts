// The tools protocol end to end against a fake OpenAI-compatible server streaming tool calls the
// way llama.cpp's server, Ollama and vLLM each do (shapes in helpers/tool-call-streams.ts).
import { TraceSchema } from '@localds/scorer';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent } from '../src/loop/run-agent.js';
import { buildTrace, runJsonParts } from '../src/loop/run-json.js';
import type { AgentEvent, AgentRunResult } from '../src/loop/types.js';
import { createOpenAIModel } from '../src/model/openai.js';
import type { ChatMessage } from '../src/model/types.js';
import {
  budgets,
  FakeSandbox,
  type CellScript,
  toyBenchmark as benchmark,
} from './helpers/fakes.js';
import {
  deltaChunk,
  llamaPayloads,
  startSse,
  startSseServer,
  writeEvents,
  type SseServer,
} from './helpers/sse-server.js';
import {
  codeArgs,
  llamaCppToolStream,
  ollamaToolStream,
  vllmToolStream,
} from './helpers/tool-call-streams.js';

let server: SseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const writeSummary = 'open("summary.json", "w").write("{}")';
const writes: CellScript = (code) =>
  code.includes('summary.json') ? { writes: { 'summary.json': '{}' } } : {};
const finalAnswer = llamaPayloads({ content: ['Everything ', 'is written.'] });

/** Serves the streams in order, one per chat request (then `finalAnswer`); `drop` breaks the connection after its payloads. */
async function runAgainst(streams: (string[] | { payloads: string[]; drop: true })[]): Promise<{
  result: AgentRunResult;
  sandbox: FakeSandbox;
  sent: ChatMessage[][];
  events: AgentEvent[];
}> {
  let n = 0;
  server = await startSseServer(async (_req, res) => {
    const stream = streams[n++] ?? finalAnswer;
    startSse(res);
    if (Array.isArray(stream)) {
      await writeEvents(res, stream);
      res.end();
    } else {
      await writeEvents(res, stream.payloads);
      // Let the pieces reach the client before the connection breaks.
      await new Promise((r) => setTimeout(r, 50));
      res.destroy();
    }
  });
  const sandbox = new FakeSandbox(writes);
  const events: AgentEvent[] = [];
  const result = await runAgent({
    model: createOpenAIModel({ baseUrl: server.baseUrl, model: 'qwen3-8b', retryDelayMs: 5 }),
    sandbox,
    benchmark,
    sampling: { temperature: 0 },
    budgets,
    protocol: 'tools',
    onEvent: (e) => events.push(e),
  });
  const sent = server
    .chatRequests()
    .map((r) => (JSON.parse(r.body) as { messages: ChatMessage[] }).messages);
  return { result, sandbox, sent, events };
}

const servers = {
  'llama.cpp': llamaCppToolStream,
  Ollama: (calls: Parameters<typeof llamaCppToolStream>[0]) => ollamaToolStream(calls),
  vLLM: vllmToolStream,
};

describe.each(Object.entries(servers))(
  'tool calls streamed as %s streams them',
  (_name, stream) => {
    it('assembles parallel calls, runs them in order, answers each by id, and ends on the answer without a call', async () => {
      const { result, sandbox, sent, events } = await runAgainst([
        stream([
          { id: 'call_a1', name: 'run_python', arguments: codeArgs('print("first")') },
          { id: 'call_b2', name: 'run_python', arguments: codeArgs(writeSummary) },
        ]),
      ]);
      expect(result.endReason).toBe('no_code_outputs_present');
      expect(sandbox.ran.map((r) => r.code)).toEqual(['print("first")', writeSummary]);
      const second = sent[1]!;
      expect(second.at(-3)!.tool_calls!.map((c) => [c.id, c.function.name])).toEqual([
        ['call_a1', 'run_python'],
        ['call_b2', 'run_python'],
      ]);
      expect(second.slice(-2).map((m) => [m.role, m.tool_call_id])).toEqual([
        ['tool', 'call_a1'],
        ['tool', 'call_b2'],
      ]);
      expect(second.at(-2)!.content).toContain('first');
      expect(second.at(-1)!.content).toContain('files written: summary.json (2 bytes)');
      // Usage came from the server, not an estimate.
      expect(
        result.transcript.find((t) => t.kind === 'assistant')!.usage?.estimated,
      ).toBeUndefined();
      expect(result.totals.tokensEstimated).toBe(false);
      // The live view saw the arguments arrive, in pieces or whole.
      const streamed = events.filter((e) => e.type === 'tool_call' && e.turn === 1);
      const args = (i: number) =>
        streamed.map((e) => (e.type === 'tool_call' && e.index === i ? e.arguments : '')).join('');
      expect([args(0), args(1)]).toEqual([codeArgs('print("first")'), codeArgs(writeSummary)]);
    });

    it('answers malformed arguments and an unknown function with tool-result errors and goes on', async () => {
      const { result, sandbox, sent } = await runAgainst([
        stream([
          { id: 'call_bad', name: 'run_python', arguments: '{"code": "print(1)' },
          { id: 'call_sh', name: 'bash', arguments: '{"command": "ls"}' },
        ]),
        stream([{ id: 'call_ok', name: 'run_python', arguments: codeArgs(writeSummary) }]),
      ]);
      expect(result.endReason).toBe('no_code_outputs_present');
      expect(sandbox.ran.map((r) => r.code)).toEqual([writeSummary]);
      const tools = sent[1]!.filter((m) => m.role === 'tool');
      expect(tools.map((m) => [m.tool_call_id, m.content.slice(0, 40)])).toEqual([
        ['call_bad', 'error: the arguments of run_python are n'],
        ['call_sh', 'error: "bash" is not a tool here: the on'],
      ]);
      const trace = TraceSchema.parse(buildTrace(result));
      expect(trace.tool_errors?.map((e) => e.call_id)).toEqual(['call_bad', 'call_sh']);
    });
  },
);

describe('tool-call streams that go wrong', () => {
  it('a stream dropped mid-arguments ends as the model’s error, runs nothing, and keeps the partial call on record', async () => {
    const full = llamaCppToolStream([
      { id: 'call_cut', name: 'run_python', arguments: codeArgs('print("never runs")') },
    ]);
    // Role, first piece, two argument pieces, then the connection breaks.
    const { result, sandbox } = await runAgainst([{ payloads: full.slice(0, 4), drop: true }]);
    expect(result.endReason).toBe('model_error');
    expect(result.endDetail).toContain('before the answer was complete');
    expect(sandbox.ran).toEqual([]);
    const answer = result.transcript.find((t) => t.kind === 'assistant')!;
    expect(answer.finishReason).toBe('error');
    expect(answer.toolCalls).toEqual([
      {
        id: 'call_cut',
        type: 'function',
        function: { name: 'run_python', arguments: codeArgs('print("never runs")').slice(0, 14) },
      },
    ]);
    expect(runJsonParts(result).transcript.at(-1)!.tool_calls?.[0]?.id).toBe('call_cut');
  });

  it('Ollama’s older layer without indexes: two whole calls stay two calls', async () => {
    const { sandbox, sent } = await runAgainst([
      ollamaToolStream(
        [
          { id: 'call_x', name: 'run_python', arguments: codeArgs('print("x")') },
          { id: 'call_y', name: 'run_python', arguments: codeArgs(writeSummary) },
        ],
        false,
      ),
    ]);
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("x")', writeSummary]);
    expect(sent[1]!.slice(-2).map((m) => m.tool_call_id)).toEqual(['call_x', 'call_y']);
  });

  it('a server that leaves the call in the text (no --jinja): recognised, run, and recorded as not parsed', async () => {
    const text = `<tool_call>\n{"name": "run_python", "arguments": ${JSON.stringify({ code: writeSummary })}}\n</tool_call>`;
    const { result, sandbox } = await runAgainst([
      [
        deltaChunk({ role: 'assistant', content: null }),
        ...text.match(/[\s\S]{1,9}/g)!.map((c) => deltaChunk({ content: c })),
        deltaChunk({}, 'stop'),
        '[DONE]',
      ],
    ]);
    expect(sandbox.ran.map((r) => r.code)).toEqual([writeSummary]);
    expect(result.endReason).toBe('no_code_outputs_present');
    const assistant = runJsonParts(result).transcript.find((t) => t.role === 'assistant')!;
    expect(assistant.tool_calls).toEqual([
      { id: 'call_1_1', name: 'run_python', arguments: codeArgs(writeSummary), from_text: true },
    ]);
  });

  it('sends the tools with the request', async () => {
    await runAgainst([finalAnswer]);
    const body = JSON.parse(server!.chatRequests()[0]!.body) as { tools: unknown[] };
    expect(body.tools).toEqual([
      expect.objectContaining({
        type: 'function',
        function: expect.objectContaining({ name: 'run_python' }),
      }),
    ]);
  });
});

describe('the auto protocol', () => {
  async function autoRun(refuse: { status: number; body: unknown } | null) {
    let n = 0;
    server = await startSseServer(async (req, res) => {
      const body = JSON.parse(req.body) as { tools?: unknown[]; max_tokens?: number };
      n++;
      if (n === 1 && refuse) {
        res.writeHead(refuse.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(refuse.body));
        return;
      }
      startSse(res);
      await writeEvents(
        res,
        body.max_tokens === 1 ? llamaPayloads({ content: ['OK'] }) : finalAnswer,
      );
      res.end();
    });
    const model = createOpenAIModel({
      baseUrl: server.baseUrl,
      model: 'qwen3-8b',
      retryDelayMs: 5,
    });
    const result = await runAgent({
      model,
      sandbox: new FakeSandbox(),
      benchmark,
      sampling: {},
      budgets: { ...budgets, maxTurns: 1 },
      protocol: 'auto',
    });
    const bodies = server.chatRequests().map((r) => JSON.parse(r.body) as { tools?: unknown[] });
    return { result, bodies };
  }

  it('uses tools when the server accepts a request offering them, and says so', async () => {
    const { result, bodies } = await autoRun(null);
    expect(result.protocol).toBe('tools');
    expect(result.protocolChoice).toEqual({
      requested: 'auto',
      reason: 'the server accepted a request offering tools',
    });
    // The probe, then the run's own call, both offering run_python.
    expect(bodies.map((b) => b.tools?.length)).toEqual([1, 1]);
    expect(runJsonParts(result).protocol_choice?.requested).toBe('auto');
  });

  it('falls back to fenced when the server refuses tools (llama.cpp without --jinja)', async () => {
    const { result, bodies } = await autoRun({
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'tools param requires --jinja flag',
          type: 'invalid_request_error',
        },
      },
    });
    expect(result.protocol).toBe('fenced');
    expect(result.protocolChoice.reason).toMatch(
      /^the server refused tools: .*tools param requires --jinja flag/,
    );
    expect(bodies.map((b) => b.tools === undefined)).toEqual([false, true]);
    expect(runJsonParts(result).protocol).toBe('fenced');
  });

  it('falls back to fenced, saying why, when the probe fails for another reason', async () => {
    const { result } = await autoRun({
      status: 500,
      body: { error: { message: 'out of memory' } },
    });
    expect(result.protocol).toBe('fenced');
    expect(result.protocolChoice.reason).toMatch(/^could not tell whether the server takes tools/);
  });
});
