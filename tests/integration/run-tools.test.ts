import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/stack.js';
import {
  failedChecks,
  fence,
  localdsRun,
  referenceSections,
  type RunOutcome,
} from './run-helpers.js';

/**
 * The same correct analysis driven two ways through `localds run`: as ```python blocks (fenced) and
 * as run_python tool calls (tools). Each scores 100 in full mode, Pyodide and native, the two
 * score the same, and each run folder says which protocol it used.
 */
const REPLAYS = join(REPO_ROOT, 'tests/fixtures/replays');
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'localds-runs-tools-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

interface NbCell {
  cell_type: string;
  source: string[];
  metadata: { localds?: { tool_call?: { id: string; name: string } } };
}

const codeCells = (run: RunOutcome) =>
  (
    JSON.parse(run.files.get('analysis.ipynb')!.toString('utf8')) as { cells: NbCell[] }
  ).cells.filter((c) => c.cell_type === 'code');

/** The two runs agree: both 100, the same checks passed, the same code run, protocols recorded. */
function expectSameAnalysis(fenced: RunOutcome, tools: RunOutcome, cells: number): void {
  for (const run of [fenced, tools]) {
    expect(failedChecks(run.runJson)).toEqual({});
    // Every judged point earned (a stdlib-only run's chart labels cannot be judged: no matplotlib).
    const card = run.runJson.scorecard!;
    expect(card).toMatchObject({ earned: card.judged, total: 100, mode: 'full' });
    expect(run.runJson.scorecard!.notes.join('\n')).toMatch(
      new RegExp(`counterfactual: re-executed ${cells} cells`),
    );
  }
  expect(fenced.runJson.protocol).toBe('fenced');
  expect(tools.runJson.protocol).toBe('tools');
  expect(tools.runJson.protocol_choice?.reason).toMatch(/file is written in the tools protocol/);
  expect(tools.cli.stdout).toMatch(/^protocol: tools \(/m);
  expect(fenced.cli.stdout).toMatch(/^protocol: fenced \(/m);
  expect(fenced.runJson.end_reason).toBe('done');
  expect(tools.runJson.end_reason).toBe('no_code_outputs_present');
  const pct = (r: RunOutcome) =>
    Object.fromEntries(Object.entries(r.runJson.scorecard!.checks).map(([id, c]) => [id, c.pass]));
  expect(pct(tools)).toEqual(pct(fenced));
  // The notebook shows each call as the cell it ran: the same code, each cell naming its call.
  const fencedCode = codeCells(fenced).map((c) => c.source.join(''));
  const toolCells = codeCells(tools);
  expect(toolCells.map((c) => c.source.join(''))).toEqual(fencedCode);
  expect(toolCells.map((c) => c.metadata.localds?.tool_call?.name)).toEqual(
    fencedCode.map(() => 'run_python'),
  );
  // The transcript holds the calls and the tool messages that answered them.
  const assistant = tools.runJson.transcript.filter((t) => t.role === 'assistant');
  const answered = tools.runJson.transcript.filter((t) => t.role === 'tool');
  expect(answered.map((t) => t.tool_call_id)).toEqual(
    assistant.flatMap((t) => (t.tool_calls ?? []).map((c) => c.id)),
  );
  expect(answered).toHaveLength(cells);
}

describe('localds run: the same analysis, fenced and as tool calls', () => {
  it('Pyodide: the stdlib replays earn every judged point both ways', async () => {
    // Pyodide's packages come from a CDN this machine cannot reach: the standard library only.
    const args = ['--scenario', 'canonical', '--stdlib-only', '--out', out];
    const fenced = await localdsRun([
      '--model',
      `replay:${join(REPLAYS, 'stdlib-correct.json')}`,
      ...args,
    ]);
    const tools = await localdsRun([
      '--model',
      `replay:${join(REPLAYS, 'stdlib-correct-tools.json')}`,
      ...args,
    ]);
    for (const run of [fenced, tools]) expect(run.runJson.isolation).toBe('node-pyodide');
    expectSameAnalysis(fenced, tools, 6);
  }, 240_000);

  it('native: the reference notebook scores 100 both ways', async () => {
    const { sections, tail } = referenceSections();
    const fencedResponses = sections.map((s) => [...s.prose, fence(s.code)].join('\n\n'));
    fencedResponses.push([...tail, 'DONE'].join('\n\n'));
    const toolResponses: unknown[] = sections.map((s) => ({
      content: s.prose.join('\n\n'),
      tool_calls: [{ name: 'run_python', arguments: { code: s.code } }],
    }));
    toolResponses.push(tail.join('\n\n') || 'Done.');
    const run = async (name: string, file: unknown) => {
      const path = join(out, name);
      await writeFile(path, `${JSON.stringify(file)}\n`);
      return localdsRun([
        '--model',
        `replay:${path}`,
        '--python',
        'native',
        '--python-bin',
        '/usr/bin/python3',
        '--scenario',
        'canonical',
        '--out',
        out,
      ]);
    };
    const fenced = await run('reference-fenced.json', { responses: fencedResponses });
    // The tools file names no protocol: its tool calls make it a tools replay.
    const tools = await run('reference-tools.json', { responses: toolResponses });
    for (const r of [fenced, tools]) expect(r.runJson.isolation).toMatch(/^native-/);
    expectSameAnalysis(fenced, tools, fencedResponses.length - 1);
  }, 240_000);
});
