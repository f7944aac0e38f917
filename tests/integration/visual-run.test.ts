// `localds run` / `localds score` on a visual benchmark, end to end with Debian's Chromium: the run
// folder (run.json, scorecard, per-turn files, contact sheet, animated preview), the revision loop, a
// hostile file, and a missing browser recorded as an environment error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import upngExports from '@pdf-lib/upng';
import { NodeVisualRenderer } from '@localds/agent/visual-node';
import {
  getVisualBenchmark,
  ObservationSchema,
  type Observation,
  VisualRunJsonSchema,
  visualBenchmarks,
  VisualTraceSchema,
  type VisualScore,
} from '@localds/benchmarks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { witnessServer } from './helpers/adversarial.js';
import { localds, REPO_ROOT } from './helpers/stack.js';
import { folderOf, readTree } from './run-helpers.js';

// Babel-compiled CommonJS: under Node the decoder is the exports' `default` (see the agent's images.ts).
const UPNG: typeof upngExports =
  'decode' in upngExports
    ? upngExports
    : (upngExports as unknown as { default: typeof upngExports }).default;
const REPLAYS = join(REPO_ROOT, 'tests/fixtures/visual/replays');
const BENCHMARK = 'cherry-blossoms';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'localds-visual-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function visualRun(replay: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const cli = await localds(
    [
      'run',
      '--benchmark',
      BENCHMARK,
      '--model',
      `replay:${join(REPLAYS, replay)}`,
      '--out',
      join(work, replay),
      ...extra,
    ],
    env,
  );
  const dir = folderOf(cli.stdout);
  const files = readTree(dir);
  const text = (name: string) => files.get(name)?.toString('utf8');
  const runJson = VisualRunJsonSchema.parse(JSON.parse(text('run.json')!));
  return { cli, dir, files, text, runJson };
}

const checkOf = (score: VisualScore, id: string) => score.checks.find((c) => c.id === id)!;

describe('localds run on a visual benchmark (replay, Chromium)', () => {
  it('a one-shot run writes run.json, the scorecard, a contact sheet and an animated preview; localds score agrees', async () => {
    const { cli, dir, files, text, runJson } = await visualRun('cherry-one-shot.json', [
      '--turns',
      '1',
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^scripted run: replay:cherry-one-shot/m);
    expect(runJson).toMatchObject({
      kind: 'visual',
      benchmark: { id: BENCHMARK, version: getVisualBenchmark(BENCHMARK).version },
      scripted: true,
      turns: { allowed: 1, used: 1 },
      final_turn: 1,
      end_reason: 'turns_used',
      renderer: { kind: 'node' },
    });
    const score = JSON.parse(text('scorecard.json')!) as VisualScore;
    expect(score.environmentError).toBeNull();
    expect(score.score).toBe(runJson.score);
    expect(checkOf(score, 'animates').passed, checkOf(score, 'animates').detail).toBe(true);
    expect(checkOf(score, 'self_contained').passed).toBe(true);
    expect(text('index.html')).toBe(text('turns/1/index.html'));
    expect(text('turns/1/reply.md')).toContain('```html');
    const observation = ObservationSchema.parse(JSON.parse(text('observation.json')!));
    expect(observation.screenshots?.count).toBe(10);
    VisualTraceSchema.parse(JSON.parse(text('trace.json')!));

    // The contact sheet: ten 320×280 thumbnails (a 640×560 viewport halved), five to a row, 4 px apart.
    const sheet = UPNG.decode(new Uint8Array(files.get('contact-sheet.png')!).buffer);
    expect([sheet.width, sheet.height]).toEqual([5 * 320 + 6 * 4, 2 * 280 + 3 * 4]);
    expect(sheet.frames.length).toBe(0); // a still PNG
    // The preview: an APNG with one frame per screenshot, each shown 0.5 s.
    const preview = UPNG.decode(new Uint8Array(files.get('preview.png')!).buffer);
    expect([preview.width, preview.height]).toEqual([320, 280]);
    expect(preview.tabs.acTL?.num_frames).toBe(10);
    expect(preview.frames.map((f) => f.delay)).toEqual(Array(10).fill(500));
    // Not ten copies of one picture: the animation is in the preview.
    const rgba = UPNG.toRGBA8(preview).map((b) => Buffer.from(b).toString('base64'));
    expect(new Set(rgba).size).toBeGreaterThan(5);

    const scored = await localds(['score', dir]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(JSON.parse(scored.stdout)).toEqual(score);
  });

  it('two turns: the first file throws, the feedback says so, the second is fixed and scored', async () => {
    const { cli, text, runJson } = await visualRun('cherry-fixed-on-turn-2.json');
    expect(cli.code, cli.stderr).toBe(0);
    // The third reply gives no file: the revisions end and the second file stands.
    expect(runJson).toMatchObject({
      turns: { allowed: 3, used: 3 },
      final_turn: 2,
      end_reason: 'no_revision',
    });
    const first = ObservationSchema.parse(JSON.parse(text('turns/1/observation.json')!));
    expect(first.scriptErrors.join('\n')).toMatch(/toFixed/);
    const trace = VisualTraceSchema.parse(JSON.parse(text('trace.json')!));
    const feedback = trace.turns[0]!.feedback!;
    expect(feedback).toMatch(/Script errors \(1\):\n.*TypeError.*toFixed/);
    // What the model was sent is that feedback, as the message after its first reply.
    expect(trace.messages[3]).toEqual({ role: 'user', content: feedback });
    expect(trace.turns[1]!.feedback).toMatch(/Script errors: none/);
    expect(trace.turns[2]!.file).toBeNull();
    const score = JSON.parse(text('scorecard.json')!) as VisualScore;
    expect(checkOf(score, 'no_script_errors').passed).toBe(true);
    expect(text('index.html')).toBe(text('turns/2/index.html'));
    expect(text('turns/3/reply.md')).toMatch(/done/);
    expect(text('turns/3/index.html')).toBeUndefined();
  });

  it('a hostile file that fetches an external URL: refused, recorded, and self_contained fails', async () => {
    const { cli, text } = await visualRun('cherry-fetches.json', ['--turns', '1']);
    expect(cli.code, cli.stderr).toBe(0);
    const observation = ObservationSchema.parse(JSON.parse(text('observation.json')!));
    expect(observation.blockedRequests.map((r) => r.url)).toContain(
      'https://cdn.example.com/petals.json',
    );
    const score = JSON.parse(text('scorecard.json')!) as VisualScore;
    const selfContained = checkOf(score, 'self_contained');
    expect(selfContained.passed).toBe(false);
    expect(selfContained.detail).toContain('https://cdn.example.com/petals.json');
  });

  it('Chromium missing: an environment error recorded as such, never a score', async () => {
    const { cli, dir, files, runJson } = await visualRun('cherry-one-shot.json', [], {
      LOCALDS_CHROMIUM: '/nope',
    });
    expect(cli.code).toBe(4);
    expect(cli.stdout).toMatch(/not scored \(an environment error/);
    expect(runJson.end_reason).toBe('environment_error');
    expect(runJson.end_detail).toMatch(/Chromium was not found at \/nope.*"chromium" package/);
    expect(runJson.score).toBeNull();
    // The model was not asked anything: a missing browser costs no turn.
    expect(runJson.turns.used).toBe(0);
    expect(files.has('scorecard.json')).toBe(false);
    expect(files.has('index.html')).toBe(false);
    // Scoring it again says why there is nothing to score.
    const scored = await localds(['score', dir]);
    expect(scored.code).toBe(1);
    expect(scored.stderr).toMatch(
      /nothing to score: no reply gave a file \(the run ended environment_error\)/,
    );
  });
});

describe('the scripted demos (localds run --suite visual --model demo)', () => {
  it(
    'every visual benchmark has a demo, and each scores 100 with every check passed',
    { timeout: 300_000 },
    async () => {
      const cli = await localds([
        'run',
        '--suite',
        'visual',
        '--model',
        'demo',
        '--out',
        join(work, 'demos'),
      ]);
      expect(cli.code, `${cli.stderr}\n${cli.stdout}`).toBe(0);
      folderOf(cli.stdout); // at least one run folder is named
      const scored = new Map<string, VisualScore>();
      for (const [, dir] of cli.stdout.matchAll(/ -> (\S+)$/gm)) {
        const files = readTree(dir!);
        const runJson = VisualRunJsonSchema.parse(
          JSON.parse(files.get('run.json')!.toString('utf8')),
        );
        expect(runJson.scripted).toBe(true);
        // The demo keeps its file after seeing the render: one file, then no revision.
        expect(runJson.end_reason, runJson.benchmark.id).toBe('no_revision');
        scored.set(
          runJson.benchmark.id,
          JSON.parse(files.get('scorecard.json')!.toString('utf8')) as VisualScore,
        );
      }
      expect([...scored.keys()]).toEqual(visualBenchmarks.map((b) => b.id));
      for (const [id, score] of scored) {
        const failed = score.checks.filter((c) => c.passed !== true);
        expect(failed, `${id}: ${failed.map((c) => `${c.id}: ${c.detail}`).join('; ')}`).toEqual(
          [],
        );
        expect(score.score, id).toBe(100);
      }
    },
  );
});

describe('the Node renderer alone', () => {
  it('without the host page CSP, a navigation still never leaves, and routing records it', async () => {
    // Two walls remain: routing, and the resolver that maps every host, IP literals included, to
    // NOTFOUND (with routing set to let requests through, this server still sees none). Routing misses
    // the record of some navigations the frame starts in its own process (about 1 fresh-browser render
    // in 8 here; the frame lands on an error page and nothing leaves), so the file is rendered three
    // times and the record asked of at least one.
    const witness = await witnessServer();
    const away = `${witness.url}/away`;
    const renderer = new NodeVisualRenderer({ hostCsp: null, durationMs: 2000 });
    try {
      const html = `<!doctype html><html><head>
<meta http-equiv="refresh" content="0;url=${away}"></head><body>bye</body></html>`;
      const records: Observation['blockedRequests'][] = [];
      for (let i = 0; i < 3; i++) {
        const { observation } = await renderer.render(html, { requirements: [] });
        expect(observation.environmentError).toBeNull();
        records.push(observation.blockedRequests);
      }
      expect(witness.connections()).toBe(0);
      for (const blocked of records) {
        expect(blocked.every((b) => b.url === away && b.via === 'routing: navigation')).toBe(true);
      }
      expect(records.some((blocked) => blocked.length === 1)).toBe(true);
    } finally {
      await renderer.close();
      await witness.close();
    }
  });
});
