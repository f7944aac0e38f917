import { articleCodeSource, readRunFolderFiles, RunJsonSchema, TraceSchema } from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import { runAgent } from '../src/loop/run-agent.js';
import { buildTrace, runJsonParts } from '../src/loop/run-json.js';
import type { AgentRunResult } from '../src/loop/types.js';
import { buildNotebook, SCRIPTED_NOTE, serializeNotebook } from '../src/notebook/build.js';
import { MODEL_NOTEBOOK, withRecordedNotebook } from '../src/notebook/files.js';
import { NotebookV4Schema, validateNotebook } from '../src/notebook/schema.js';
import { budgets, FakeModel, FakeSandbox, fence, type CellScript } from './helpers/fakes.js';

const benchmark = {
  id: 'toy',
  version: '1.2.3',
  task: 'Do it.',
  requiredOutputs: [{ file: 'summary.json' }],
};
const KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlMTIz';
const PNG = 'iVBORw0KGgo=';

const script: CellScript = (code) => {
  if (code.includes('df.head()')) {
    return {
      outputs: [
        {
          output_type: 'execute_result',
          execution_count: 99,
          data: { 'text/plain': '   a\n0  1', 'text/html': '<table><tr><td>1</td></tr></table>' },
          metadata: {},
        },
      ],
    };
  }
  if (code.includes('plot')) {
    return {
      outputs: [
        {
          output_type: 'display_data',
          data: { 'image/png': PNG, 'text/plain': '<Figure>' },
          metadata: {},
        },
      ],
      figures: [{ title: 'T', xlabel: 'x', ylabel: 'y', filename: 'chart.png' }],
      writes: { 'chart.png': 'png' },
    };
  }
  if (code.includes('1/0')) {
    return {
      status: 'error',
      outputs: [
        { output_type: 'stream', name: 'stdout', text: `key=${KEY}\nline two\n` },
        {
          output_type: 'error',
          ename: 'ZeroDivisionError',
          evalue: 'division by zero',
          traceback: [
            'Traceback (most recent call last):',
            '  File "<cell-3>", line 1',
            'ZeroDivisionError: division by zero',
          ],
        },
      ],
    };
  }
  return {};
};

async function sampleRun(): Promise<AgentRunResult> {
  const turns = [
    { text: `# Setup\nLoad it.\n${fence('import json\ndf.head()')}` },
    { text: `## Plot\n${fence('plot()')}\nThen a query, not run:\n${fence('select 1;', 'sql')}` },
    { text: `${fence('print(1/0)')}\n${fence('print("skipped")')}` },
    { text: `${fence('print("done")')}\nAll written.\nDONE` },
  ];
  return runAgent({
    model: new FakeModel(turns),
    sandbox: new FakeSandbox(script),
    benchmark,
    sampling: {},
    budgets,
  });
}

describe('buildNotebook', () => {
  it('records prose as markdown and code with its real outputs, valid nbformat 4.5', async () => {
    const result = await sampleRun();
    const nb = buildNotebook(result, { pythonVersion: '3.13.2', runId: 'r1' });
    expect(NotebookV4Schema.safeParse(nb).success).toBe(true);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.cells.map((c) => [c.id, c.cell_type])).toEqual([
      ['cell-1', 'markdown'], // scripted note
      ['cell-2', 'markdown'],
      ['cell-3', 'code'],
      ['cell-4', 'markdown'],
      ['cell-5', 'code'],
      ['cell-6', 'markdown'],
      ['cell-7', 'code'], // 1/0; the skipped cell after it is not in the notebook
      ['cell-8', 'code'],
      ['cell-9', 'markdown'],
    ]);
    const [note, setup, head, plotMd, plot, sqlMd, err, last, closing] = nb.cells;
    expect(note!.source).toEqual([SCRIPTED_NOTE]);
    expect(setup!.source).toEqual(['# Setup\n', 'Load it.']);
    expect(head).toMatchObject({
      source: ['import json\n', 'df.head()'],
      execution_count: 1,
      outputs: [
        {
          output_type: 'execute_result',
          execution_count: 1,
          data: {
            'text/plain': ['   a\n', '0  1'],
            'text/html': ['<table><tr><td>1</td></tr></table>'],
          },
          metadata: {},
        },
      ],
    });
    expect(plotMd!.source).toEqual(['## Plot']);
    expect(plot).toMatchObject({
      execution_count: 2,
      outputs: [
        { output_type: 'display_data', data: { 'image/png': PNG, 'text/plain': ['<Figure>'] } },
      ],
    });
    expect(sqlMd!.source).toEqual(['Then a query, not run:\n', '```sql\n', 'select 1;\n', '```']);
    expect(err).toMatchObject({
      execution_count: 3,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['key=[REDACTED]\n', 'line two\n'] },
        { output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero' },
      ],
    });
    expect(last).toMatchObject({ source: ['print("done")'], execution_count: 4 });
    expect(closing!.source).toEqual(['All written.']);
    expect(nb.metadata).toMatchObject({
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python', version: '3.13.2', file_extension: '.py' },
      localds: {
        run_id: 'r1',
        model: { id: 'fake:scripted', kind: 'replay' },
        scripted: true,
        benchmark: { id: 'toy', version: '1.2.3' },
        end_reason: 'done',
        skipped_cells: 1,
      },
    });
    expect(serializeNotebook(nb)).not.toContain(KEY);
  });

  it('is byte-identical for the same run', async () => {
    const result = await sampleRun();
    expect(serializeNotebook(buildNotebook(result))).toBe(
      serializeNotebook(buildNotebook(structuredClone(result))),
    );
  });

  it('is read by the scorer as a notebook whose code cells are the cells that ran', async () => {
    const text = serializeNotebook(buildNotebook(await sampleRun()));
    const folder = readRunFolderFiles(
      new Map([['analysis.ipynb', new TextEncoder().encode(text)]]),
    );
    expect(folder.notebook?.error).toBeNull();
    expect(articleCodeSource(folder.notebook!.notebook)).toEqual({
      ok: true,
      source: ['import json\ndf.head()', 'plot()', 'print(1/0)', 'print("done")'].join('\n'),
    });
  });
});

describe('validateNotebook (nbformat 4.5 rules)', () => {
  const valid = () => ({
    cells: [
      { id: 'a', cell_type: 'markdown', metadata: {}, source: 'hi' },
      {
        id: 'b',
        cell_type: 'code',
        metadata: {},
        source: ['x'],
        outputs: [],
        execution_count: null,
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

  it('accepts a minimal notebook', () => {
    expect(() => validateNotebook(valid())).not.toThrow();
  });

  it.each([
    [
      'a code cell without execution_count',
      (nb: ReturnType<typeof valid>) =>
        delete (nb.cells[1] as Record<string, unknown>).execution_count,
      'cells.1',
    ],
    [
      'a cell id with a space',
      (nb: ReturnType<typeof valid>) => (nb.cells[0]!.id = 'a b'),
      'cells.0.id',
    ],
    [
      'a duplicate cell id',
      (nb: ReturnType<typeof valid>) => (nb.cells[1]!.id = 'a'),
      'duplicate cell id a',
    ],
    ['nbformat 3', (nb: ReturnType<typeof valid>) => (nb.nbformat = 3), 'nbformat'],
    [
      'minor version 4 (no cell ids before 4.5)',
      (nb: ReturnType<typeof valid>) => (nb.nbformat_minor = 4),
      'nbformat_minor',
    ],
    [
      'an unknown top-level key',
      (nb: ReturnType<typeof valid>) => Object.assign(nb, { extra: 1 }),
      '(root)',
    ],
    [
      'a stream output with an extra key',
      (nb: ReturnType<typeof valid>) =>
        ((nb.cells[1] as Record<string, unknown>).outputs = [
          { output_type: 'stream', name: 'stdout', text: 'x', extra: 1 },
        ]),
      'cells.1.outputs.0',
    ],
    [
      'image data that is not text',
      (nb: ReturnType<typeof valid>) =>
        ((nb.cells[1] as Record<string, unknown>).outputs = [
          { output_type: 'display_data', data: { 'image/png': 5 }, metadata: {} },
        ]),
      'image/png data must be a string',
    ],
  ])('rejects %s', (_name, mutate, expected) => {
    const nb = valid();
    mutate(nb);
    expect(() => validateNotebook(nb)).toThrow(expected);
  });

  it('accepts any JSON value under a JSON MIME type', () => {
    const nb = valid();
    (nb.cells[1] as Record<string, unknown>).outputs = [
      {
        output_type: 'display_data',
        data: { 'application/vnd.custom+json': { a: [1] } },
        metadata: {},
      },
    ];
    expect(() => validateNotebook(nb)).not.toThrow();
  });
});

describe('withRecordedNotebook', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('keeps a notebook the model wrote as model-analysis.ipynb', () => {
    const { files, modelNotebook } = withRecordedNotebook(
      new Map([
        ['analysis.ipynb', bytes('mine')],
        ['summary.json', bytes('{}')],
      ]),
      'recorded',
    );
    expect(modelNotebook).toBe(MODEL_NOTEBOOK);
    expect(new TextDecoder().decode(files.get('analysis.ipynb'))).toBe('recorded');
    expect(new TextDecoder().decode(files.get(MODEL_NOTEBOOK))).toBe('mine');
    expect(files.has('summary.json')).toBe(true);
  });

  it('does not overwrite a model-analysis.ipynb the model also wrote', () => {
    const { files, modelNotebook } = withRecordedNotebook(
      new Map([
        ['analysis.ipynb', bytes('one')],
        [MODEL_NOTEBOOK, bytes('two')],
      ]),
      'recorded',
    );
    expect(modelNotebook).toBe('model-analysis-2.ipynb');
    expect(new TextDecoder().decode(files.get(MODEL_NOTEBOOK))).toBe('two');
  });

  it('reports no model notebook when there was none', () => {
    expect(withRecordedNotebook(new Map(), 'recorded').modelNotebook).toBeNull();
  });
});

describe('run.json parts', () => {
  it('fit the scorer’s RunJsonSchema and TraceSchema', async () => {
    const result = await sampleRun();
    const trace = buildTrace(result);
    expect(TraceSchema.safeParse(trace).success).toBe(true);
    expect(trace.cells.map((c) => [c.index, c.status, c.error?.name ?? null])).toEqual([
      [0, 'ok', null],
      [1, 'ok', null],
      [2, 'error', 'ZeroDivisionError'],
      [3, 'ok', null],
    ]);
    expect(trace.files).toEqual([expect.objectContaining({ cell: 1, name: 'chart.png', size: 3 })]);
    expect(trace.figures).toEqual([
      { cell: 1, filename: 'chart.png', title: 'T', x_label: 'x', y_label: 'y' },
    ]);

    const parts = runJsonParts(result);
    const run = RunJsonSchema.parse({
      schema_version: 1,
      run_id: 'r1',
      model: { name: 'fake', provider: 'replay' },
      versions: { localds: '0.1.0', benchmark: '1.2.3', scorer: '0.1.0', pyodide: null },
      data: { table_url: 'http://x/rest/v1/t', snapshot: null },
      scorecard: null,
      ...parts,
    });
    expect(run.end_reason).toBe('done');
    // The last results message was never sent, so run.json's transcript ends with the DONE turn.
    expect(run.transcript.map((m) => m.role)).toEqual([
      'system',
      'user',
      ...Array(3).fill(['assistant', 'user']).flat(),
      'assistant',
    ]);
    expect(JSON.stringify(run)).not.toContain(KEY);
  });

  it('maps a request’s limit/offset to its range', async () => {
    const result = await runAgent({
      model: new FakeModel([{ text: `${fence('fetch()')}\nDONE` }]),
      sandbox: new FakeSandbox(() => ({
        requests: [
          {
            method: 'GET',
            url: 'http://d/rest/v1/t?select=*&limit=1000&offset=2000',
            status: 200,
            allowed: true,
            durationMs: 1,
          },
          {
            method: 'GET',
            url: 'http://d/rest/v1/t?select=*',
            status: 200,
            allowed: true,
            durationMs: 1,
          },
        ],
      })),
      benchmark,
      sampling: {},
      budgets,
    });
    expect(buildTrace(result).requests.map((r) => r.range)).toEqual([
      { offset: 2000, limit: 1000 },
      null,
    ]);
  });
});
