import { abTestBenchmark } from '@localds/benchmarks';
import { describe, expect, it } from 'vitest';
import { messagesSentFor, OUTPUT_ELIDED } from '../src/loop/context.js';
import { CODE_ELIDED } from '../src/loop/parse.js';
import { SYSTEM_PROMPT } from '../src/loop/prompt.js';
import { runAgent } from '../src/loop/run-agent.js';
import { tokenEstimator } from '../src/loop/tokens.js';
import { ModelError } from '../src/model/errors.js';
import { createReplayModel } from '../src/model/replay.js';
import type { ChatMessage } from '../src/model/types.js';
import {
  budgets,
  FakeModel,
  FakeSandbox,
  fence,
  type CellScript,
  toyBenchmark as benchmark,
  runOnFakes as run,
  type ScriptedTurn,
} from './helpers/fakes.js';

const contents = (messages: ChatMessage[]) => messages.map((m) => `${m.role}: ${m.content}`);

describe('runAgent: how a run ends', () => {
  it('ends on DONE after running that turn’s code, sending each turn’s results as the next user message', async () => {
    const a1 = `Step one.\n${fence('print("hello")')}`;
    const a2 = `${fence('print("bye")')}\nDONE`;
    const { result, model, sandbox, events } = await run([{ text: a1 }, { text: a2 }]);
    expect(result.endReason).toBe('done');
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("hello")', 'print("bye")']);
    expect(sandbox.ran[0]!.opts?.timeoutMs).toBe(5_000);
    expect(model.requests).toHaveLength(2);
    expect(contents(model.requests[1]!.messages)).toEqual([
      `system: ${SYSTEM_PROMPT}`,
      `user: ${benchmark.task}`,
      `assistant: ${a1}`,
      'user: Results:\n\n[cell 1] ok (0.0 s)\nstdout:\nhello',
    ]);
    expect(model.requests[1]!.sampling).toEqual({ temperature: 0 });
    expect(result.cells.map((c) => [c.index, c.turn, c.status, c.executionCount])).toEqual([
      [0, 1, 'ok', 1],
      [1, 2, 'ok', 2],
    ]);
    expect(result.turns[0]!.parts).toEqual([
      { kind: 'prose', text: 'Step one.' },
      { kind: 'cell', cell: 0 },
    ]);
    // The last results message was never sent: kept, but flagged.
    expect(result.transcript.map((t) => [t.kind, t.sent])).toEqual([
      ['system', true],
      ['task', true],
      ['assistant', true],
      ['results', true],
      ['assistant', true],
      ['results', false],
    ]);
    expect(events.map((e) => e.type).filter((t) => t !== 'token' && t !== 'budget')).toEqual([
      'protocol',
      'turn_started',
      'turn_finished',
      'cell_started',
      'cell_finished',
      'turn_started',
      'turn_finished',
      'cell_started',
      'cell_finished',
      'done',
    ]);
    expect(events.at(-1)).toEqual({ type: 'done', endReason: 'done', detail: null });
  });

  it('ends when a turn has no code and every required output exists', async () => {
    const { result } = await run(
      [
        { text: fence('write()') },
        { text: 'The analysis is complete.' },
        { text: fence('never()') },
      ],
      (code) => (code === 'write()' ? { writes: { 'summary.json': '{}' } } : {}),
    );
    expect(result.endReason).toBe('no_code_outputs_present');
    expect(result.cells).toHaveLength(1);
    expect(result.cells[0]!.files).toEqual([
      // sha256 of "{}"
      {
        name: 'summary.json',
        size: 2,
        sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      },
    ]);
  });

  it('answers a turn without code by naming the missing deliverables, then ends when the replay runs out', async () => {
    const { result, model } = await run([{ text: 'Let me think.\n```\nprint(1)\n```' }]);
    expect(result.endReason).toBe('model_exhausted');
    expect(model.requests).toHaveLength(2);
    const nudge = model.requests[1]!.messages.at(-1)!;
    expect(nudge.role).toBe('user');
    expect(nudge.content).toContain('only blocks fenced as ```python run');
    expect(nudge.content).toContain('do not exist yet: summary.json');
  });

  it('ends on the turn budget', async () => {
    const turns = Array.from({ length: 5 }, () => ({ text: fence('print("x")') }));
    const { result, model } = await run(turns, undefined, { budgets: { ...budgets, maxTurns: 2 } });
    expect(result.endReason).toBe('budget_turns');
    expect(model.requests).toHaveLength(2);
    expect(result.totals.turns).toBe(2);
  });

  it('ends on the token budget, counting reported usage', async () => {
    const usage = { promptTokens: 600, completionTokens: 100 };
    const turns = Array.from({ length: 5 }, () => ({ text: fence('print("x")'), usage }));
    const { result, model } = await run(turns, undefined, {
      budgets: { ...budgets, maxTotalTokens: 1_000 },
    });
    expect(result.endReason).toBe('budget_tokens');
    expect(model.requests).toHaveLength(2);
    expect(result.totals).toMatchObject({
      promptTokens: 1200,
      completionTokens: 200,
      tokensEstimated: false,
    });
  });

  it('ends on the wall-time budget, aborting a model that does not stop', async () => {
    const { result } = await run([{ text: 'thinking…', hang: true }], undefined, {
      budgets: { ...budgets, wallTimeMs: 50 },
    });
    expect(result.endReason).toBe('budget_wall_time');
    expect(result.transcript.at(-1)).toMatchObject({
      role: 'assistant',
      content: 'thinking…',
      finishReason: 'abort',
    });
  });

  it('checks the wall clock between steps with an injected clock', async () => {
    let t = 0;
    const now = () => (t += 1_000);
    const turns = Array.from({ length: 10 }, () => ({ text: fence('print("x")') }));
    const { result } = await run(turns, undefined, {
      now,
      budgets: { ...budgets, wallTimeMs: 8_000 },
    });
    expect(result.endReason).toBe('budget_wall_time');
    expect(result.totals.turns).toBeLessThan(10);
  });

  it('ends on abort from the caller', async () => {
    const controller = new AbortController();
    const pending = run([{ text: 'working', hang: true }], undefined, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    const { result, events } = await pending;
    expect(result.endReason).toBe('aborted');
    expect(events.at(-1)).toMatchObject({ type: 'done', endReason: 'aborted' });
  });

  it('ends on a model error, keeping the partial turn and not running it', async () => {
    const { result, sandbox, events } = await run([
      { text: fence('print("a")') },
      { text: fence('print("b")'), throws: 'connection reset' },
    ]);
    expect(result.endReason).toBe('model_error');
    expect(result.endDetail).toBe('Error: connection reset');
    expect(sandbox.ran).toHaveLength(1);
    expect(result.transcript.at(-1)).toMatchObject({
      role: 'assistant',
      content: fence('print("b")'),
    });
    expect(events).toContainEqual({
      type: 'error',
      source: 'model',
      message: 'Error: connection reset',
    });
  });

  it('ends on a model that reports an error finish, with the adapter’s error as the detail', async () => {
    const { result } = await run([{ text: '', finishReason: 'error' }]);
    expect(result).toMatchObject({
      endReason: 'model_error',
      endDetail: 'the model reported an error',
    });
    const dropped = new ModelError(
      'dropped',
      'the stream from http://127.0.0.1:8080/v1 closed midway',
    );
    const { result: second } = await run([
      { text: '```python\nx =', finishReason: 'error', error: dropped },
    ]);
    expect(second).toMatchObject({
      endReason: 'model_error',
      endDetail: 'ModelError: the stream from http://127.0.0.1:8080/v1 closed midway',
    });
    expect(second.cells).toEqual([]); // a broken turn is recorded, not run
  });

  it('counts estimated usage as estimated and does not calibrate on it', async () => {
    const usage = { promptTokens: 10_000, completionTokens: 5, estimated: true };
    const { result } = await run([
      { text: fence('print("a")'), usage },
      { text: 'DONE', usage },
    ]);
    expect(result.totals.tokensEstimated).toBe(true);
    // A calibration on 10,000 tokens would have clamped the estimate to 1.5 chars/token.
    const second = result.transcript.findLastIndex((t) => t.kind === 'assistant');
    expect(result.transcript[second]!.estimatedPromptTokens).toBe(
      tokenEstimator().messages(messagesSentFor(result.transcript, second)),
    );
  });

  it('returns the partial run when the sandbox throws', async () => {
    const { result } = await run(
      [{ text: `${fence('print("one")')}\n${fence('boom()')}\n${fence('print("three")')}` }],
      (code) => (code === 'boom()' ? { throws: 'worker died' } : {}),
    );
    expect(result.endReason).toBe('sandbox_error');
    expect(result.endDetail).toContain('worker died');
    expect(result.cells.map((c) => c.code)).toEqual(['print("one")']);
    expect(result.transcript.at(-1)).toMatchObject({ kind: 'results', sent: false });
    expect(result.transcript.at(-1)!.content).toContain('stdout:\none');
  });

  it('ends with environment_error when the sandbox never starts', async () => {
    const sandbox = new FakeSandbox();
    Object.defineProperty(sandbox, 'ready', { value: Promise.reject(new Error('no wasm')) });
    const result = await runAgent({
      model: new FakeModel([]),
      sandbox,
      benchmark,
      sampling: {},
      budgets,
    });
    expect(result).toMatchObject({
      endReason: 'environment_error',
      endDetail: 'the sandbox did not start: Error: no wasm',
    });
  });

  it('rejects a budget that is not a positive number before starting', async () => {
    await expect(
      runAgent({
        model: new FakeModel([]),
        sandbox: new FakeSandbox(),
        benchmark,
        sampling: {},
        budgets: { ...budgets, maxTurns: 0 },
      }),
    ).rejects.toThrow('budgets.maxTurns must be a positive number, got 0');
    await expect(
      runAgent({
        model: new FakeModel([]),
        sandbox: new FakeSandbox(),
        benchmark,
        sampling: {},
        budgets,
        maxOutputChars: 10,
      }),
    ).rejects.toThrow('maxOutputChars must be at least 100, got 10');
  });
});

describe('runAgent: the results message', () => {
  it('truncates long streams in the middle with a marker', async () => {
    const long = 'a'.repeat(600) + 'b'.repeat(400);
    const { model } = await run(
      [{ text: fence('spam()') }, { text: 'DONE' }],
      () => ({
        outputs: [{ output_type: 'stream', name: 'stdout', text: long }],
      }),
      { maxOutputChars: 100 },
    );
    const results = model.requests[1]!.messages.at(-1)!.content;
    expect(results).toContain(
      `stdout:\n${'a'.repeat(60)}\n[… 900 characters truncated …]\n${'b'.repeat(40)}`,
    );
  });

  it('shows the error with the traceback tail and skips the rest of the turn', async () => {
    const traceback = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const { result, model, sandbox } = await run(
      [{ text: `${fence('fail()')}\n${fence('print("after")')}` }, { text: 'DONE' }],
      (code) =>
        code === 'fail()'
          ? {
              status: 'error',
              outputs: [{ output_type: 'error', ename: 'KeyError', evalue: "'x'", traceback }],
            }
          : {},
    );
    expect(sandbox.ran).toHaveLength(1);
    expect(result.cells.map((c) => [c.status, c.executionCount])).toEqual([
      ['error', 1],
      ['skipped', null],
    ]);
    const results = model.requests[1]!.messages.at(-1)!.content;
    expect(results).toContain("error: KeyError: 'x'\ntraceback (last lines):\nline 18\n");
    expect(results).not.toContain('line 17');
    expect(results).toContain('[cell 2] not run: an earlier cell of this reply failed');
  });

  it('tells the model when the kernel state was lost', async () => {
    const { model } = await run([{ text: fence('while True: pass') }, { text: 'DONE' }], () => ({
      status: 'timeout',
      stateLost: true,
      durationMs: 5_000,
    }));
    const results = model.requests[1]!.messages.at(-1)!.content;
    expect(results).toContain('[cell 1] stopped: it ran past the 5.0 s time limit');
    expect(results).toContain('every variable and import is lost');
    expect(results).toContain('Re-import modules and re-load data');
  });

  it('runs an unterminated last block and reports a compile error as not run', async () => {
    const { result, model, sandbox } = await run(
      [{ text: '```python\nfor i in range(', finishReason: 'length' }, { text: 'DONE' }],
      () => ({
        status: 'error',
        outputs: [
          {
            output_type: 'error',
            ename: 'SyntaxError',
            evalue: "'(' was never closed",
            traceback: [],
          },
        ],
      }),
    );
    expect(sandbox.ran.map((r) => r.code)).toEqual(['for i in range(']);
    expect(result.cells[0]!.unterminated).toBe(true);
    const results = model.requests[1]!.messages.at(-1)!.content;
    expect(results).toContain('[cell 1] not run: the block had no closing fence');
    expect(results).toContain("error: SyntaxError: '(' was never closed");
  });

  it('lists files written and figures', async () => {
    const { model } = await run([{ text: fence('plot()') }, { text: 'DONE' }], () => ({
      writes: { 'chart.png': 'png-bytes' },
      figures: [{ title: 'Rates', xlabel: 'variant', filename: 'chart.png' }],
    }));
    const results = model.requests[1]!.messages.at(-1)!.content;
    expect(results).toContain('figure: title "Rates", x "variant", saved as chart.png');
    expect(results).toContain('files written: chart.png (9 bytes)');
  });
  it('mentions displays: an image without a figure record, and text displays', async () => {
    const { model } = await run([{ text: fence('show()') }, { text: 'DONE' }], () => ({
      outputs: [
        { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=' }, metadata: {} },
        { output_type: 'display_data', data: { 'text/plain': 'a table' }, metadata: {} },
      ],
    }));
    const results = model.requests[1]!.messages.at(-1)!.content;
    expect(results).toBe(
      'Results:\n\n[cell 1] ok (0.0 s)\nimage: a PNG was displayed\ndisplay:\na table',
    );
  });
});

describe('runAgent: fitting the context window', () => {
  // Sizes chosen so each call fits whole until the third, which must shorten the first exchange.
  const big = 'o'.repeat(300);
  const code1 = `print("one")\n${'# a comment line\n'.repeat(20)}`;
  const a1 = `First.\n${fence(code1)}`;
  const a2 = `Second, ${'and a long explanation '.repeat(40)}\n${fence('print("two")')}`;
  const a3 = 'DONE';
  const script: CellScript = (code) =>
    code.includes('one') ? { outputs: [{ output_type: 'stream', name: 'stdout', text: big }] } : {};
  const r1 = `Results:\n\n[cell 1] ok (0.0 s)\nstdout:\n${big}`;
  const r2 = 'Results:\n\n[cell 1] ok (0.0 s)\nstdout:\ntwo';
  const sys = { role: 'system' as const, content: SYSTEM_PROMPT };
  const task = { role: 'user' as const, content: benchmark.task };
  const msg = (role: 'user' | 'assistant', content: string) => ({ role, content });
  const est = tokenEstimator();
  const maxTokens = 50;
  /** A window that holds `messages` and the answer's max_tokens, and no more. */
  const windowFor = (messages: ChatMessage[]) => est.messages(messages) + maxTokens;
  const runInWindow = (turns: ScriptedTurn[], contextWindow: number, cells = script) =>
    run(turns, cells, {
      sampling: { max_tokens: maxTokens },
      budgets: { ...budgets, contextWindow },
    });

  it('elides the oldest outputs first and never the system prompt or the task', async () => {
    const expected = [
      sys,
      task,
      msg('assistant', a1),
      msg('user', OUTPUT_ELIDED),
      msg('assistant', a2),
      msg('user', r2),
    ];
    const full = [
      sys,
      task,
      msg('assistant', a1),
      msg('user', r1),
      msg('assistant', a2),
      msg('user', r2),
    ];
    const contextWindow = windowFor(expected);
    expect(windowFor(full)).toBeGreaterThan(contextWindow); // the test needs an overflow
    const { model, result } = await runInWindow(
      [{ text: a1 }, { text: a2 }, { text: a3 }],
      contextWindow,
    );
    expect(result.endReason).toBe('done');
    expect(model.requests[1]!.messages).toEqual(full.slice(0, 4)); // fits whole
    expect(model.requests[2]!.messages).toEqual(expected);
    expect(result.transcript[6]).toMatchObject({
      kind: 'assistant',
      elisions: [{ index: 3, part: 'output' }],
    });
    // The transcript keeps the full text, and what each call sent can be rebuilt from it.
    expect(result.transcript[3]!.content).toBe(r1);
    expect(messagesSentFor(result.transcript, 6)).toEqual(expected);
    expect(messagesSentFor(result.transcript, 4)).toEqual(full.slice(0, 4));
  });

  it('then elides older code bodies, keeping their prose', async () => {
    const a1Elided = `First.\n${fence(CODE_ELIDED)}`;
    const expected = [
      sys,
      task,
      msg('assistant', a1Elided),
      msg('user', OUTPUT_ELIDED),
      msg('assistant', a2),
      msg('user', r2),
    ];
    const contextWindow = windowFor(expected);
    const { model } = await runInWindow([{ text: a1 }, { text: a2 }, { text: a3 }], contextWindow);
    expect(model.requests[2]!.messages).toEqual(expected);
  });

  it('then drops whole older exchanges', async () => {
    const expected = [sys, task, msg('assistant', a2), msg('user', r2)];
    const contextWindow = windowFor(expected);
    const { model } = await runInWindow([{ text: a1 }, { text: a2 }, { text: a3 }], contextWindow);
    expect(model.requests[2]!.messages).toEqual(expected);
  });

  it('cuts the newest outputs shorter when they alone would not fit beside the task', async () => {
    const stdout = 'a'.repeat(1500) + 'b'.repeat(1500);
    // Halving from 2000 characters: 1000 would not fit, 500 does (300 head + 200 tail).
    const shortened = `Results:\n\n[cell 1] ok (0.0 s)\nstdout:\n${'a'.repeat(300)}\n[… 2500 characters truncated …]\n${'b'.repeat(200)}`;
    const expected = [sys, task, msg('assistant', a1), msg('user', shortened)];
    const contextWindow = windowFor(expected);
    const { model } = await runInWindow([{ text: a1 }, { text: 'DONE' }], contextWindow, () => ({
      outputs: [{ output_type: 'stream', name: 'stdout', text: stdout }],
    }));
    expect(model.requests[1]!.messages).toEqual(expected);
  });

  it('ends with a budget error when system, task and the latest exchange cannot fit', async () => {
    const contextWindow = windowFor([sys, task, msg('assistant', a1)]);
    const { model, result, events } = await runInWindow(
      [{ text: a1 }, { text: a2 }],
      contextWindow,
    );
    expect(model.requests).toHaveLength(1);
    expect(result.endReason).toBe('budget_tokens');
    expect(result.endDetail).toMatch(
      /^the context window cannot hold the system prompt, the task and the latest exchange/,
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'error', source: 'budget' }));
  });

  it('uses the model’s own window when the budget sets none, keeping a quarter for the answer', async () => {
    const model = new FakeModel([{ text: 'DONE' }], 100);
    const result = await runAgent({
      model,
      sandbox: new FakeSandbox(),
      benchmark,
      sampling: {},
      budgets,
    });
    // system + task are far more than 75 tokens
    expect(result.endReason).toBe('budget_tokens');
    expect(model.requests).toHaveLength(0);
  });
});

describe('runAgent: an adapter that ignores the abort signal', () => {
  it('stops reading its stream once the run is aborted', async () => {
    const controller = new AbortController();
    let yielded = 0;
    const model = new FakeModel([]);
    model.stream = async function* () {
      for (;;) {
        yielded += 1;
        if (yielded === 3) controller.abort();
        await Promise.resolve();
        yield { type: 'token', channel: 'answer', text: 'x' } as const;
      }
    };
    const result = await runAgent({
      model,
      sandbox: new FakeSandbox(),
      benchmark,
      sampling: {},
      budgets,
      signal: controller.signal,
    });
    expect(result.endReason).toBe('aborted');
    expect(yielded).toBe(3);
    expect(result.transcript.at(-1)).toMatchObject({ content: 'xxx', finishReason: 'abort' });
  });
});

describe('runAgent: the real task in WebLLM’s default window', () => {
  it('sends the system prompt and the whole ab-test task within 4096 tokens, leaving room to work', async () => {
    const model = new FakeModel([{ text: 'DONE' }], 4096);
    const result = await runAgent({
      model,
      sandbox: new FakeSandbox(),
      benchmark: abTestBenchmark,
      sampling: {},
      budgets,
    });
    expect(result.endReason).toBe('done');
    expect(model.requests[0]!.messages).toEqual([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: abTestBenchmark.task },
    ]);
    // 4096 less the 1024 kept for the answer; at least 500 tokens left for the latest exchange.
    expect(result.transcript[2]!.estimatedPromptTokens).toBeLessThan(3072 - 500);
  });
});

describe('runAgent with the replay adapter', () => {
  it('runs the replayed cells, keeps <think> apart, and ends when the responses run out', async () => {
    const model = createReplayModel({
      responses: [
        `<think>plan first</think>Start.\n${fence('print("hi")')}`,
        'Nothing more to run.',
      ],
    });
    const result = await runAgent({
      model,
      sandbox: new FakeSandbox(),
      benchmark,
      sampling: {},
      budgets,
    });
    expect(result.endReason).toBe('model_exhausted');
    expect(result.model).toMatchObject({ kind: 'replay', scripted: true });
    expect(result.cells.map((c) => c.code)).toEqual(['print("hi")']);
    const [first] = result.transcript.filter((t) => t.kind === 'assistant');
    expect(first).toMatchObject({
      reasoning: 'plan first',
      content: `Start.\n${fence('print("hi")')}`,
    });
    expect(result.totals.tokensEstimated).toBe(true);
  });
});

describe('runAgent: the run-wide output budget', () => {
  it('replaces outputs that no longer fit the run budget with a note; smaller ones still fit', async () => {
    const png = 'A'.repeat(4000);
    const script: CellScript = (code) =>
      code === 'boom'
        ? {
            status: 'error',
            outputs: [{ output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: [] }],
          }
        : {
            outputs: [{ output_type: 'display_data', data: { 'image/png': png }, metadata: {} }],
          };
    const turns = [
      { text: fence('show()') },
      { text: fence('show()') },
      { text: fence('boom') },
      { text: 'DONE' },
    ];
    const { result } = await run(turns, script, { maxRecordedOutputBytes: 6000 });
    const kinds = result.cells.map((c) => c.outputs.map((o) => o.output_type));
    expect(kinds).toEqual([['display_data'], ['stream'], ['error']]);
    const note = result.cells[1]!.outputs[0];
    expect(note).toMatchObject({ output_type: 'stream', name: 'stderr' });
    expect(JSON.stringify(note)).toMatch(/output budget is spent/);
  });
});
