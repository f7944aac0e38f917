// The Python half of the kernel under Debian's CPython with real matplotlib (Pyodide here has no
// matplotlib: its packages come from a CDN this machine cannot reach). Checks figure capture end to end.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KERNEL_PY } from '../src/sandbox/kernel/kernel-py.js';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'localds-kernel-py-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DRIVER = String.raw`
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
import _localds_kernel
sys.stdout = sys.stderr  # what cells print must not mix with the JSON answer
cells = json.loads(sys.argv[2])
outputs = []
kernel = _localds_kernel.install(lambda o: outputs.append(json.loads(o)), 1000)
results = []
for cell in cells:
    outputs = []
    summary = json.loads(asyncio.run(kernel.run(cell)))
    results.append({'summary': summary, 'outputs': outputs})
print(json.dumps(results), file=sys.__stdout__)
`;

interface CellRun {
  summary: { status: string; figures: Record<string, string>[] };
  outputs: { output_type: string; data?: Record<string, string>; ename?: string }[];
}

async function runCells(cells: string[]): Promise<CellRun[]> {
  writeFileSync(join(dir, '_localds_kernel.py'), KERNEL_PY);
  writeFileSync(join(dir, 'driver.py'), DRIVER);
  const { stdout } = await promisify(execFile)(
    PYTHON,
    [join(dir, 'driver.py'), dir, JSON.stringify(cells)],
    { cwd: dir, timeout: 60_000, env: { PATH: '/usr/bin:/bin', HOME: dir } },
  ).catch((err: Error) => {
    throw new Error(`${PYTHON} with matplotlib is needed (apt python3-matplotlib): ${err.message}`);
  });
  return JSON.parse(stdout) as CellRun[];
}

describe('kernel figure capture (CPython + matplotlib Agg)', () => {
  it('turns plt.show() and unshown figures into PNG display_data with titles, labels and filenames', async () => {
    const [shown, implicit, failed] = await runCells([
      'import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3], [2, 4, 8])\n' +
        'ax.set_title("Conversion by variant")\nax.set_xlabel("day")\nax.set_ylabel("rate")\n' +
        'fig.savefig("conversion.png")\nplt.show()\nprint("after show")',
      'plt.figure()\nplt.hist([1, 1, 2])\nplt.suptitle("Scores")\nNone',
      'plt.figure()\nplt.plot([1])\n1 / 0',
    ]);
    const png = shown!.outputs.find((o) => o.output_type === 'display_data');
    expect(png?.data?.['image/png']).toMatch(/^iVBORw0KGgo/); // base64 of the PNG signature
    expect(png?.data?.['text/plain']).toMatch(/^<Figure size \d+x\d+ with 1 Axes>$/);
    expect(shown!.summary.figures).toEqual([
      { title: 'Conversion by variant', xlabel: 'day', ylabel: 'rate', filename: 'conversion.png' },
    ]);
    expect(implicit!.summary.figures).toEqual([{ title: 'Scores' }]);
    expect(implicit!.outputs.map((o) => o.output_type)).toEqual(['display_data']);
    // A failing cell still shows (and closes) what it drew, after the error.
    expect(failed!.outputs.map((o) => o.ename ?? o.output_type)).toEqual([
      'ZeroDivisionError',
      'display_data',
    ]);
  }, 90_000);
});
