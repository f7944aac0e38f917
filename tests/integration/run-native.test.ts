import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '@localds/benchmarks';
import { computeOracle } from '@localds/benchmarks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedChecks, fence, localdsRun, referenceSections, replayJson } from './run-helpers.js';

/**
 * The native backend with Debian's /usr/bin/python3 (pandas / SciPy / matplotlib): the reference
 * notebook's cells, replayed as a model's turns, score 100 in full mode; a solution that writes the
 * right numbers without computing them passes the tolerances but fails the counterfactual.
 */
const SCENARIO = 'canonical';
let out: string;

/** The reference notebook as a replay: each code cell one reply, after the markdown before it. */
function referenceReplay(): string[] {
  const { sections, tail } = referenceSections();
  const responses = sections.map((s) => [...s.prose, fence(s.code)].join('\n\n'));
  responses.push([...tail, 'DONE'].join('\n\n'));
  return responses;
}

/** Replays `responses` as the model's turns through `localds run` on Debian's python3. */
async function replayNative(name: string, responses: string[]): ReturnType<typeof localdsRun> {
  const replay = join(out, name);
  await writeFile(replay, replayJson(responses));
  return localdsRun([
    '--model',
    `replay:${replay}`,
    '--python',
    'native',
    '--python-bin',
    '/usr/bin/python3',
    '--scenario',
    SCENARIO,
    '--out',
    out,
  ]);
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'localds-runs-native-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('localds run --python native (Debian python3)', () => {
  it('scores 100 in full mode with the reference notebook replayed', async () => {
    const responses = referenceReplay();
    const run = await replayNative('reference.json', responses);
    const { runJson } = run;
    expect(runJson.end_reason).toBe('done');
    expect(runJson.isolation).toMatch(/^native-/);
    if (runJson.isolation === 'native-unisolated') {
      expect(run.cli.stderr).toMatch(/UNISOLATED/);
      expect(runJson.scorecard!.notes.join('\n')).toMatch(/warning: native Python runs UNISOLATED/);
    }
    expect(runJson.trace!.cells.every((c) => c.status === 'ok')).toBe(true);
    expect(runJson.trace!.cells).toHaveLength(responses.length - 1);
    // matplotlib figures are read by the sandbox: labels judged from the trace, not the source.
    expect(runJson.scorecard!.checks.charts_labeled!.detail).toMatch(/\(trace\)/);
    expect(failedChecks(runJson)).toEqual({});
    expect(runJson.scorecard).toMatchObject({ earned: 100, mode: 'full' });
    expect(runJson.scorecard!.checks.p_value!.detail).toMatch(/followed the resample/);
  }, 180_000);

  it('fails the counterfactual for a solution that writes the right numbers without computing them', async () => {
    // The numbers a model would have to copy from somewhere: this dataset's own oracle.
    const o = computeOracle(generateDataset(SCENARIO));
    const summary = {
      status: o.status,
      recommended_variant: o.recommended_variant,
      decision: `Ship ${o.recommended_variant}: it is significantly faster (p = ${o.p_value}); completion rate ${(100 * o.completion_rate_a!).toFixed(1)}% vs ${(100 * o.completion_rate_b!).toFixed(1)}%.`,
      raw_stats: {
        p_value: o.p_value,
        cohens_d: o.cohens_d,
        mean_a: o.mean_a,
        mean_b: o.mean_b,
        completion_rate_a: o.completion_rate_a,
        completion_rate_b: o.completion_rate_b,
        srm_p_value: o.srm_p_value,
      },
    };
    const code = [
      'import json',
      'import matplotlib',
      "matplotlib.use('Agg')",
      'import matplotlib.pyplot as plt',
      '# SRM checked, chi2 and welch noted, assert-free: numbers typed in.',
      `summary = json.loads(${JSON.stringify(JSON.stringify(summary))})`,
      "json.dump(summary, open('summary.json', 'w'))",
      "for name in ['chart-distribution.png', 'chart-treatment-effect.png', 'chart-completion-rates.png']:",
      '    fig, ax = plt.subplots(figsize=(8, 6))',
      '    ax.bar(["A", "B"], [1, 2])',
      "    ax.set_title(name); ax.set_xlabel('variant'); ax.set_ylabel('value')",
      '    fig.savefig(name)',
      '    plt.close(fig)',
    ].join('\n');
    const run = await replayNative('hard-coded.json', [`## Results\n\n${fence(code)}`, 'DONE']);
    const checks = run.runJson.scorecard!.checks;
    // The numbers are right, so only the re-execution on resampled rows can tell.
    for (const id of ['p_value', 'cohens_d', 'completion_rates', 'recommended_variant'] as const) {
      expect(checks[id]!.pass, `${id}: ${checks[id]!.detail}`).toBe(false);
      expect(checks[id]!.detail).toMatch(/hard-coded: on a resample/);
    }
    expect(checks.data_access).toMatchObject({ pass: false });
    expect(checks.data_access!.detail).toMatch(/no successful request/);
    expect(run.runJson.trace!.requests).toEqual([]);
  }, 180_000);
});
