// WebLLM's function calling (Hermes models only): the adapter says which models take tools, shapes
// the conversation as WebLLM's Hermes handling requires, and turns its final tool-call chunk into
// the contract's calls. The fake engine answers as WebLLM's engine does (web-llm lib/index.js,
// makeStreamFinalChunk and getToolCallFromOutputMessage): the Hermes JSON streamed as content,
// then a final chunk with finish_reason "tool_calls" and the parsed calls (index, no id).
import { describe, expect, it } from 'vitest';
import { chooseProtocol } from '../src/loop/choose-protocol.js';
import { runAgent } from '../src/loop/run-agent.js';
import { RUN_PYTHON_TOOL } from '../src/loop/tool-calls.js';
import type {
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  WebLLMEngine,
} from '../src/model/webllm.js';
import { createWebLLMModel, hermesMessages, webllmToolSupport } from '../src/model/webllm.js';
import { budgets, FakeSandbox, toyBenchmark as benchmark } from './helpers/fakes.js';

const HERMES = 'Hermes-3-Llama-3.1-8B-q4f16_1-MLC';
const QWEN = 'Qwen3-1.7B-q4f32_1-MLC';

type Answer = { calls: { name: string; arguments: Record<string, unknown> }[] } | { text: string };

class HermesEngine implements WebLLMEngine {
  requests: ChatCompletionRequestStreaming[] = [];
  private next = 0;
  constructor(private readonly answers: Answer[]) {}
  chat = {
    completions: {
      create: async (request: ChatCompletionRequestStreaming) => {
        this.requests.push(structuredClone(request));
        return this.generate(this.answers[this.next++] ?? { text: 'Finished.' });
      },
    },
  };
  interruptGenerate(): void {}
  async unload(): Promise<void> {}
  private async *generate(answer: Answer): AsyncGenerator<ChatCompletionChunk> {
    const text = 'calls' in answer ? JSON.stringify(answer.calls) : answer.text;
    for (let i = 0; i < text.length; i += 8) {
      yield { choices: [{ delta: { content: text.slice(i, i + 8) }, finish_reason: null }] };
    }
    yield {
      choices: [
        'calls' in answer
          ? {
              delta: {
                tool_calls: answer.calls.map((c, index) => ({
                  index,
                  function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                  type: 'function',
                })),
              },
              finish_reason: 'tool_calls',
            }
          : { delta: {}, finish_reason: 'stop' },
      ],
    };
    yield { choices: [], usage: { prompt_tokens: 120, completion_tokens: 30 } };
  }
}

const load = (modelId: string, engine: WebLLMEngine) =>
  createWebLLMModel({ modelId, engineFactory: async () => engine });

describe('WebLLM function calling', () => {
  it('says which models take tools: the Hermes models WebLLM lists, not the others', async () => {
    expect(webllmToolSupport(HERMES).accepted).toBe(true);
    expect(webllmToolSupport(QWEN)).toEqual({
      accepted: false,
      reason: `WebLLM does function calling only for its Hermes models, not ${QWEN}`,
    });
    const hermes = await load(HERMES, new HermesEngine([]));
    const qwen = await load(QWEN, new HermesEngine([]));
    expect((await chooseProtocol(hermes, 'auto')).protocol).toBe('tools');
    expect((await chooseProtocol(qwen, 'auto')).protocol).toBe('fenced');
  });

  it('runs a Hermes model in the tools protocol: calls become cells, the conversation as WebLLM takes it', async () => {
    const write = 'open("summary.json", "w").write("{}")';
    const engine = new HermesEngine([
      { calls: [{ name: 'run_python', arguments: { code: 'print("hi")' } }] },
      { calls: [{ name: 'run_python', arguments: { code: write } }] },
      { text: 'Everything is written.' },
    ]);
    const sandbox = new FakeSandbox((code) =>
      code === write ? { writes: { 'summary.json': '{}' } } : {},
    );
    const result = await runAgent({
      model: await load(HERMES, engine),
      sandbox,
      benchmark,
      sampling: {},
      budgets,
      protocol: 'auto',
    });
    expect(result.protocol).toBe('tools');
    expect(result.endReason).toBe('no_code_outputs_present');
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("hi")', write]);
    // No system message (WebLLM refuses one with tools): ours leads the task.
    const first = engine.requests[0]!;
    expect(first.tools).toEqual([RUN_PYTHON_TOOL]);
    expect(first.messages.map((m) => m.role)).toEqual(['user']);
    expect(first.messages[0]!.content).toMatch(/^You are a data analyst[\s\S]*Write summary\.json/);
    // The earlier call goes back as the JSON Hermes wrote, its result as a tool message.
    const second = engine.requests[1]!.messages;
    expect(second.slice(1)).toEqual([
      {
        role: 'assistant',
        content: '[{"name":"run_python","arguments":{"code":"print(\\"hi\\")"}}]',
      },
      { role: 'tool', content: expect.stringContaining('hi'), tool_call_id: 'call_1_1' },
    ]);
    // The Hermes JSON is not shown as prose: it is the call.
    expect(result.turns[0]!.parts).toEqual([{ kind: 'cell', cell: 0 }]);
    expect(result.transcript.find((t) => t.kind === 'assistant')!.content).toBe('');
  });

  it('keeps other models fenced, with no tools in the request', async () => {
    const engine = new HermesEngine([{ text: 'DONE' }]);
    const result = await runAgent({
      model: await load(QWEN, engine),
      sandbox: new FakeSandbox(),
      benchmark,
      sampling: {},
      budgets,
      protocol: 'auto',
    });
    expect(result.protocol).toBe('fenced');
    expect(engine.requests[0]!.tools).toBeUndefined();
    expect(engine.requests[0]!.messages[0]!.role).toBe('system');
  });

  it('hermesMessages leaves a conversation without a system message as it is', () => {
    expect(hermesMessages([{ role: 'user', content: 'x' }])).toEqual([
      { role: 'user', content: 'x' },
    ]);
  });
});
