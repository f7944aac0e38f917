// The loop against the real Node Pyodide sandbox: a scripted model writes stdlib-only cells.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../src/loop/run-agent.js';
import type { AgentRunResult } from '../src/loop/types.js';
import { buildNotebook } from '../src/notebook/build.js';
import { NodePyodideSandbox } from '../src/sandbox/pyodide-child/pyodide-child-sandbox.js';
import { FakeModel, fence } from './helpers/fakes.js';
import { SLOW } from './sandbox-helpers.js';

const benchmark = {
  id: 'toy',
  version: '1.0.0',
  task: 'Compute the mean of [3, 1, 2] and write summary.json.',
  requiredOutputs: [{ file: 'summary.json' }],
};

let sandbox: NodePyodideSandbox;
let model: FakeModel;
let result: AgentRunResult;

beforeAll(async () => {
  sandbox = new NodePyodideSandbox({ timeoutMs: 60_000 });
  model = new FakeModel([
    {
      text: `## Setup\n${fence('import json, statistics\nvalues = [3, 1, 2]\nstatistics.mean(values)')}`,
    },
    {
      text: [
        'Write the summary.',
        fence(
          "summary = {'mean': statistics.mean(values), 'n': len(values)}\n" +
            "with open('summary.json', 'w') as f:\n    json.dump(summary, f)\nprint('wrote', summary['n'])",
        ),
        fence('1/0'),
        fence('print("never")'),
      ].join('\n'),
    },
    { text: 'Cut off:\n```python\nrows = (1,\n', finishReason: 'length' },
    { text: `${fence("print(open('summary.json').read())")}\nDONE` },
  ]);
  result = await runAgent({
    model,
    sandbox,
    benchmark,
    sampling: { temperature: 0 },
    budgets: { maxTurns: 10, maxTotalTokens: 100_000, wallTimeMs: SLOW, cellTimeoutMs: 30_000 },
  });
}, SLOW);

afterAll(async () => {
  await sandbox?.dispose();
});

describe('runAgent with the Node Pyodide sandbox', () => {
  it('runs every cell in one kernel and ends on DONE', () => {
    expect(result.endReason).toBe('done');
    expect(result.cells.map((c) => [c.status, c.executionCount, c.unterminated])).toEqual([
      ['ok', 1, false],
      ['ok', 2, false],
      ['error', 3, false],
      ['skipped', null, false],
      ['error', 4, true],
      ['ok', 5, false],
    ]);
    const [first, second, , , cut, last] = result.cells;
    expect(first!.outputs).toEqual([
      {
        output_type: 'execute_result',
        execution_count: 1,
        data: { 'text/plain': '2' },
        metadata: {},
      },
    ]);
    expect(second!.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'wrote 3\n' }]);
    expect(cut!.outputs[0]).toMatchObject({ output_type: 'error', ename: 'SyntaxError' });
    expect(last!.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '{"mean": 2, "n": 3}\n' },
    ]);
  });

  it('records the file the code wrote with its real hash', async () => {
    const bytes = await sandbox.readFile('summary.json');
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ mean: 2, n: 3 });
    expect(result.cells[1]!.files).toEqual([
      {
        name: 'summary.json',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ]);
  });

  it('tells the model about the error, the skipped cell and the cut-off block', () => {
    const second = model.requests[2]!.messages.at(-1)!.content;
    expect(second).toContain('[cell 1] ok');
    expect(second).toContain('stdout:\nwrote 3');
    expect(second).toContain('[cell 2] error');
    expect(second).toContain('error: ZeroDivisionError: division by zero');
    expect(second).toContain('[cell 3] not run: an earlier cell of this reply failed');
    const third = model.requests[3]!.messages.at(-1)!.content;
    expect(third).toContain('[cell 1] not run: the block had no closing fence');
    expect(third).toContain('error: SyntaxError:');
  });

  it('records a notebook of the cells that ran', () => {
    const nb = buildNotebook(result);
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    expect(code.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
    expect(nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source)).toEqual([
      [expect.stringContaining('Scripted run')],
      ['## Setup'],
      ['Write the summary.'],
      ['Cut off:'],
    ]);
    expect(nb.metadata).toMatchObject({
      localds: { isolation: 'node-pyodide', end_reason: 'done' },
    });
  });
});
