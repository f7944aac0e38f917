import { getVisualBenchmark } from '@localds/benchmarks';
import { describe, expect, it } from 'vitest';
import type { VisualRunRecord } from '../../apps/web/src/storage/visual-record.js';
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
