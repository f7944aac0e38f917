// The visual loop on a scripted model and a scripted renderer (no browser): which file is read from a
// reply, what the model is told, and how every way out of the loop is recorded.
import {
  getVisualBenchmark,
  VisualRunJsonSchema,
  VisualTraceSchema,
  type Observation,
  type VisualRenderer,
} from '@localds/benchmarks';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../src/model/errors.js';
import { WRITE_FILE_TOOL } from '../src/visual/file-reply.js';
import { runVisual } from '../src/visual/run-visual.js';
import { runVisualAgent } from '../src/visual/run-visual-agent.js';
import { FakeModel, type ScriptedTurn } from './helpers/fakes.js';

const benchmark = getVisualBenchmark('cherry-blossoms');
const FILE = '<!doctype html><html><body data-petals="40"><canvas></canvas></body></html>';
const fenced = (html: string, prose = 'Here it is.') => `${prose}\n\n\`\`\`html\n${html}\n\`\`\`\n`;

function observation(overrides: Partial<Observation> = {}): Observation {
  const sample = (t: number, fingerprint: string, width = 640, height = 400) => ({
    t,
    frames: t / 16,
    fingerprint,
    viewport: { width, height },
    coverage: 1,
    requirements: { 'drawing-surface': 1, petals: 40 },
  });
  return {
    renderer: { kind: 'node', userAgent: 'scripted' },
    fileBytes: FILE.length,
    probeReady: true,
    firstFrameMs: 120,
    samples: [
      sample(500, 'a'),
      sample(1000, 'b'),
      sample(1500, 'c'),
      sample(2000, 'd'),
      sample(3000, 'e', 420, 560),
      sample(3500, 'f', 420, 560),
      sample(4000, 'g', 420, 560),
      sample(4500, 'h', 420, 560),
    ],
    resizedAtMs: 2500,
    scriptErrors: [],
    blockedRequests: [],
    forgedMessages: 0,
    hung: false,
    screenshots: null,
    environmentError: null,
    ...overrides,
  };
}

/** Answers each render with the next observation (or throws what it is given); records the files. */
class ScriptedRenderer implements VisualRenderer {
  readonly rendered: string[] = [];
  constructor(
    private readonly answers: (Observation | Error)[],
    readonly prepare?: () => Promise<void>,
  ) {}
  render(html: string) {
    this.rendered.push(html);
    const next = this.answers.shift() ?? observation();
    return next instanceof Error ? Promise.reject(next) : Promise.resolve({ observation: next });
  }
  close() {
    return Promise.resolve();
  }
}

const run = (turns: ScriptedTurn[], renderer: VisualRenderer, extra: { turns?: number } = {}) => {
  const model = new FakeModel(turns);
  return { model, result: runVisualAgent({ benchmark, model, renderer, ...extra }) };
};

describe('runVisualAgent', () => {
  it('renders the ```html file, tells the model what was seen (its script error), and renders the revision', async () => {
    const renderer = new ScriptedRenderer([
      observation({ scriptErrors: ['Uncaught TypeError: petals is undefined (line 3:9)'] }),
      observation(),
    ]);
    const { model, result } = run(
      [{ text: fenced(FILE) }, { text: fenced(FILE.replace('40', '41'), 'Fixed.') }],
      renderer,
      { turns: 2 },
    );
    const done = await result;
    expect(renderer.rendered).toEqual([FILE, FILE.replace('40', '41')]);
    expect(done.endReason).toBe('turns_used');
    expect(done.final?.turn).toBe(2);
    const feedback = done.turns[0]!.feedback!;
    expect(feedback).toMatch(/Script errors \(1\):\n\s+- Uncaught TypeError: petals is undefined/);
    expect(feedback).toMatch(/after a resize to 420×560 it covers 100%/);
    expect(feedback).toMatch(/"At least 30 petals": 40 found/);
    expect(feedback).toMatch(/1 revision left/);
    // The second request carried the feedback as the user's answer; the last turn's is never sent.
    expect(model.requests[1]!.messages.at(-1)).toEqual({ role: 'user', content: feedback });
    expect(done.turns[1]!.feedback).toBeNull();
    expect(model.requests[0]!.tools).toBeUndefined();
  });

  it('a reply without a file ends the revisions and the last file stands; a first reply without one is no_file', async () => {
    const stands = await run(
      [{ text: fenced(FILE) }, { text: 'Looks right to me.' }],
      new ScriptedRenderer([]),
    ).result;
    expect(stands.endReason).toBe('no_revision');
    expect(stands.final?.turn).toBe(1);
    expect(stands.turns).toHaveLength(2);

    const none = await run([{ text: 'I cannot draw.' }], new ScriptedRenderer([])).result;
    expect(none.endReason).toBe('no_file');
    expect(none.final).toBeNull();
  });

  it('tools: offers write_file, answers the call with the feedback, and a malformed call ends the run on record', async () => {
    const write = (args: unknown, id = 'w1') => ({
      id,
      name: 'write_file',
      arguments: JSON.stringify(args),
    });
    const model = new FakeModel([
      { text: '', toolCalls: [write({ path: 'index.html', content: FILE })] },
      { text: '', toolCalls: [write({ path: 'page.html', content: FILE }, 'w2')] },
    ]);
    const done = await runVisualAgent({
      benchmark,
      model,
      renderer: new ScriptedRenderer([
        observation({ blockedRequests: [{ url: 'https://x.test/a.png', via: 'csp img-src' }] }),
      ]),
      protocol: 'tools',
    });
    expect(model.requests[0]!.tools).toEqual([WRITE_FILE_TOOL]);
    const answer = model.requests[1]!.messages.at(-1)!;
    expect(answer).toMatchObject({ role: 'tool', tool_call_id: 'w1' });
    expect(answer.content).toMatch(
      /1 request\(s\) were refused[\s\S]*https:\/\/x\.test\/a\.png \(csp img-src\)/,
    );
    expect(done.endReason).toBe('malformed_reply');
    expect(done.endDetail).toMatch(/path must be "index\.html"/);
    expect(done.final?.turn).toBe(1);
  });

  it('a huge reply is cut at the cap and ends the run', async () => {
    const huge = fenced(`${FILE}<!--${'x'.repeat(5000)}-->`);
    const model = new FakeModel([{ text: huge }]);
    const done = await runVisualAgent({
      benchmark,
      model,
      renderer: new ScriptedRenderer([]),
      maxReplyChars: 1000,
    });
    expect(done.endReason).toBe('reply_too_large');
    expect(done.turns[0]!.reply.length).toBe(1000);
    expect(done.final).toBeNull();
  });

  it('a model server that never answered and a failing renderer are environment errors, not the model’s', async () => {
    const unreachable = await run(
      [
        {
          text: '',
          finishReason: 'error',
          error: new ModelError('unreachable', 'connection refused'),
        },
      ],
      new ScriptedRenderer([]),
    ).result;
    expect(unreachable.endReason).toBe('environment_error');

    const crashed = await run(
      [{ text: fenced(FILE) }],
      new ScriptedRenderer([new Error('Target closed')]),
    ).result;
    expect(crashed.endReason).toBe('environment_error');
    expect(crashed.endDetail).toMatch(/the renderer failed.*Target closed/);

    const broken = observation({ environmentError: 'the frame host failed' });
    const reported = await run([{ text: fenced(FILE) }], new ScriptedRenderer([broken])).result;
    expect(reported.endReason).toBe('environment_error');
  });

  it('a renderer that cannot start costs the model no turn', async () => {
    const { model, result } = run(
      [{ text: fenced(FILE) }],
      new ScriptedRenderer([], () => Promise.reject(new Error('Chromium was not found at /nope'))),
    );
    const done = await result;
    expect(done.endReason).toBe('environment_error');
    expect(done.endDetail).toMatch(/could not start.*\/nope/);
    expect(model.requests).toHaveLength(0);
  });

  it('refuses more turns than the benchmark allows', async () => {
    await expect(run([], new ScriptedRenderer([]), { turns: 99 }).result).rejects.toThrow(
      /allows 1 to 5 turns; 99/,
    );
  });
});

describe('runVisual: the run folder', () => {
  it('writes the documented layout, scores the final file, and keeps keys out', async () => {
    const key = 'sk-test-9f8e7d6c5b4a39281706';
    const model = new FakeModel([{ text: fenced(FILE, `My key is ${key}.`) }]);
    const visual = await runVisual({
      benchmark,
      model,
      renderer: new ScriptedRenderer([observation()]),
      turns: 1,
      keys: [key],
      runId: 'r1',
      modelName: 'fake model',
    });
    expect(visual.folderPath).toBe('runs/cherry-blossoms/fake-model/r1');
    expect([...visual.files.keys()].sort()).toEqual([
      'index.html',
      'observation.json',
      'run.json',
      'scorecard.json',
      'trace.json',
      'turns/1/index.html',
      'turns/1/observation.json',
      'turns/1/reply.md',
    ]);
    const text = (name: string) => new TextDecoder().decode(visual.files.get(name));
    const runJson = VisualRunJsonSchema.parse(JSON.parse(text('run.json')));
    expect(runJson).toMatchObject({
      kind: 'visual',
      end_reason: 'turns_used',
      score: visual.score?.score,
    });
    VisualTraceSchema.parse(JSON.parse(text('trace.json')));
    for (const name of visual.files.keys()) expect(text(name)).not.toContain(key);
    expect(text('turns/1/reply.md')).toContain('[REDACTED]');
  });

  it('no file: every check fails saying so; an environment error: no score at all', async () => {
    const none = await runVisual({
      benchmark,
      model: new FakeModel([{ text: 'No.' }]),
      renderer: new ScriptedRenderer([]),
    });
    expect(none.score?.score).toBe(0);
    expect(
      none.score?.checks.every((c) => c.passed === false && /no file to judge/.test(c.detail)),
    ).toBe(true);
    const broken = await runVisual({
      benchmark,
      model: new FakeModel([{ text: fenced(FILE) }]),
      renderer: new ScriptedRenderer([new Error('browser crashed')]),
    });
    expect(broken.score).toBeNull();
    expect(broken.runJson.score).toBeNull();
    expect(broken.files.has('scorecard.json')).toBe(false);
  });
});
