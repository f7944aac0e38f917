import { getVisualBenchmark } from '@localds/benchmarks';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseVotesFile } from '../../apps/web/src/arena/votes-file.js';
import type { VisualRunRecord } from '../../apps/web/src/storage/visual-record.js';
import type { VoteRecord } from '../../apps/web/src/storage/vote-record.js';
import { visualRunZip } from '../../apps/web/src/visual/visual-export.js';
import { groupRuns } from '../../apps/web/src/visual/gallery.js';
import {
  defaultVisualSettings,
  isScriptedChoice,
  visualRunSettingsSchema,
} from '../../apps/web/src/visual/visual-settings.js';

const benchmark = getVisualBenchmark('cherry-blossoms');

describe('visual run settings', () => {
  it('defaults to the scripted demo with the benchmark’s turns, and that validates', () => {
    const settings = defaultVisualSettings(benchmark);
    expect(settings.turns).toBe(benchmark.turns.default);
    expect(isScriptedChoice(settings.model)).toBe(true);
    expect(visualRunSettingsSchema(benchmark).safeParse(settings).success).toBe(true);
  });

  it('refuses more turns than the benchmark allows, saying its maximum', () => {
    const result = visualRunSettingsSchema(benchmark).safeParse({
      ...defaultVisualSettings(benchmark),
      turns: benchmark.turns.max + 1,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      `at most ${benchmark.turns.max} turns for this benchmark`,
    );
  });

  it('labels a replay file as scripted and an OpenAI-compatible server as a model', () => {
    expect(isScriptedChoice({ source: 'replay', model: 'replay: x.json', replay: {} })).toBe(true);
    expect(
      isScriptedChoice({ source: 'openai', endpoint: 'http://127.0.0.1:8080/v1', model: 'q' }),
    ).toBe(false);
  });
});

describe('gallery grouping', () => {
  const run = (benchmarkId: string, model: string, id: string) =>
    ({ id, benchmark: { id: benchmarkId }, model: { name: model } }) as VisualRunRecord;
  const runs = [run('solar', 'b', '1'), run('cherry', 'a', '2'), run('solar', 'a', '3')];

  it('groups by prompt, groups sorted, runs in the order given (newest first)', () => {
    expect(groupRuns(runs, 'prompt').map((g) => [g.key, g.runs.map((r) => r.id)])).toEqual([
      ['cherry', ['2']],
      ['solar', ['1', '3']],
    ]);
  });

  it('groups by model', () => {
    expect(groupRuns(runs, 'model').map((g) => [g.key, g.runs.map((r) => r.id)])).toEqual([
      ['a', ['2', '3']],
      ['b', ['1']],
    ]);
  });
});

describe('a visual run’s export zip', () => {
  const record = {
    runId: 'run-a',
    benchmark: { id: 'cherry-blossoms' },
    model: { slug: 'alpha' },
    files: { 'run.json': strToU8('{}'), 'index.html': strToU8('<p>hi</p>') },
  } as unknown as VisualRunRecord;
  const modelOf = (runId: string) => ({ 'run-a': 'alpha', 'run-b': 'beta' })[runId] ?? 'gamma';
  const vote = (id: string, left: string, right: string): VoteRecord => ({
    id,
    createdAt: '2026-12-06T12:00:00Z',
    benchmark: 'cherry-blossoms',
    left: { run_id: left, model: modelOf(left) },
    right: { run_id: right, model: modelOf(right) },
    outcome: 'tie',
    voted_at: '2026-12-06T12:00:00Z',
  });

  it('holds the CLI’s run folder and, beside it, votes.json with the votes on this run only', () => {
    const votes = [
      vote('v1', 'run-a', 'run-b'),
      vote('v2', 'run-c', 'run-b'),
      vote('v3', 'run-b', 'run-a'),
    ];
    const entries = unzipSync(visualRunZip(record, votes).bytes);
    expect(Object.keys(entries).sort()).toEqual([
      'runs/cherry-blossoms/alpha/run-a/index.html',
      'runs/cherry-blossoms/alpha/run-a/run.json',
      'votes.json',
    ]);
    const carried = parseVotesFile(strFromU8(entries['votes.json']!));
    expect(carried.map((v) => v.id)).toEqual(['v1', 'v3']);
  });

  it('has no votes.json when no vote involves the run', () => {
    const entries = unzipSync(visualRunZip(record, [vote('v2', 'run-c', 'run-b')]).bytes);
    expect(Object.keys(entries)).not.toContain('votes.json');
  });
});
