// The native CPython level with Debian's /usr/bin/python3 (pandas, matplotlib, requests from apt):
// rich outputs, figures, files, HTTP answered by the harness, the interpreter check, the unisolated label.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerNetwork } from '../src/sandbox/network/network.js';
import { createNativeSandbox, type NativeSandbox } from '../src/sandbox/native/native-sandbox.js';
import { checkPythonEnvironment } from '../src/sandbox/native/python-env.js';
import type { SandboxRequest } from '../src/sandbox/types.js';
import { countingServer, errors, resultText, SLOW, streamText } from './sandbox-helpers.js';

const PYTHON = '/usr/bin/python3';
const DATA = 'http://data.localds.test/rest/v1/';
const KEY = 'planted-key-9f3a';
const ROWS = [
  { variant: 'A', n: 3 },
  { variant: 'B', n: 5 },
];
/** How Python prints the list of `n` from ROWS. */
const PY_NS = `[${ROWS.map((row) => row.n).join(', ')}]`;

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'localds-native-test-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('native sandbox (bwrap, Debian python3)', () => {
  let sandbox: NativeSandbox;
  const seen: SandboxRequest[] = [];

  beforeAll(async () => {
    sandbox = await createNativeSandbox({
      pythonBin: PYTHON,
      isolation: 'bwrap',
      network: handlerNetwork([DATA], async (req) => {
        seen.push(req);
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ROWS),
        };
      }),
    });
    await sandbox.ready;
  }, SLOW);
  afterAll(() => sandbox.dispose());

  it('is labelled native-bwrap without a warning', () => {
    expect(sandbox.isolation).toBe('native-bwrap');
    expect(sandbox.warning).toBeUndefined();
    expect(sandbox.walls.bwrap).toBe(true);
    const report = sandbox.isolationReport();
    expect(report).toMatchObject({
      level: 'native-bwrap',
      bwrap: true,
      limits: { memoryLimitMB: 4096 },
    });
    expect(report.wrapper[0]).toBe('bwrap');
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv']) {
      expect(report.wrapper).toContain(flag);
    }
    expect(report.wrapper.join(' ')).toContain('--cap-drop ALL');
    expect(report.wrapper.join(' ')).toContain(`--bind ${sandbox.runDir} ${sandbox.runDir}`);
    expect(report.warning).toBeUndefined();
  });

  it("records each cell's own peak resident memory", async () => {
    const MIB = 1024 * 1024;
    const big = await sandbox.run('blob = b"x" * (256 * 2**20)\nn = len(blob)\ndel blob\nn');
    expect(resultText(big)).toBe(String(256 * MIB));
    expect(big.peakMemoryBytes).toBeGreaterThanOrEqual(256 * MIB);
    // The peak starts afresh with each cell: the bytes were freed, so the next cell's is far lower.
    const after = await sandbox.run('n');
    expect(after.peakMemoryBytes).toBeGreaterThan(0);
    expect(after.peakMemoryBytes).toBeLessThan(big.peakMemoryBytes! - 128 * MIB);
  });

  it('restart() waits for the running cell instead of killing it', async () => {
    const cell = sandbox.run('import time\ntime.sleep(1)\nfinished = True\nfinished');
    const restarted = sandbox.restart();
    const r = await cell;
    expect([r.status, r.stateLost, resultText(r)]).toEqual(['ok', false, 'True']);
    await restarted;
    expect(errors(await sandbox.run('finished')).map((e) => e.ename)).toEqual(['NameError']);
  });

  it('shows a DataFrame as execute_result with text/plain and text/html', async () => {
    const r = await sandbox.run(
      'import pandas as pd\ndf = pd.DataFrame({"variant": ["A", "B"], "clicks": [17, 23]})\ndf.head()',
    );
    expect(r.status).toBe('ok');
    const out = r.outputs.find((o) => o.output_type === 'execute_result');
    expect(out?.output_type === 'execute_result' && out.data['text/html']).toMatch(
      /<table[^>]*class="dataframe"[\s\S]*<td>17<\/td>[\s\S]*<td>23<\/td>/,
    );
    expect(resultText(r)).toMatch(/variant\s+clicks/);
  });

  it('gives display() rich output, including the one imported from IPython.display', async () => {
    const r = await sandbox.run(
      'from IPython.display import display as ipy_display\nipy_display(df)\ndisplay(df.clicks)',
    );
    expect(r.outputs.map((o) => o.output_type)).toEqual(['display_data', 'display_data']);
    const [frame, series] = r.outputs;
    expect(frame?.output_type === 'display_data' && frame.data['text/html']).toMatch(/<table/);
    expect(series?.output_type === 'display_data' && series.data['text/plain']).toMatch(
      /17\n1\s+23/,
    );
  });

  it('keeps state between cells and prints to stdout in order with results', async () => {
    const r = await sandbox.run('print("rows", len(df))\ndf.clicks.sum()');
    expect(streamText(r)).toBe('rows 2\n');
    expect(resultText(r)).toBe('40');
    expect(r.outputs.map((o) => o.output_type)).toEqual(['stream', 'execute_result']);
  });

  it('captures a matplotlib figure as image/png with its labels, and savefig as a written file', async () => {
    const r = await sandbox.run(
      'import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar(df.variant, df.clicks)\n' +
        'ax.set_title("Clicks by variant")\nax.set_xlabel("variant")\nax.set_ylabel("clicks")\n' +
        'fig.savefig("clicks.png")\nplt.show()',
    );
    expect(r.status).toBe('ok');
    const png = r.outputs.find((o) => o.output_type === 'display_data');
    expect(png?.output_type === 'display_data' && png.data['image/png']).toMatch(/^iVBORw0KGgo/);
    expect(r.figures).toEqual([
      { title: 'Clicks by variant', xlabel: 'variant', ylabel: 'clicks', filename: 'clicks.png' },
    ]);
    const bytes = await sandbox.readFile('clicks.png');
    expect(r.filesWritten).toEqual([{ name: 'clicks.png', size: bytes.length }]);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('\x89PNG');
  });

  it("records a figure saved and closed under matplotlib.use('Agg'), as the reference notebook does", async () => {
    await sandbox.restart(); // matplotlib not yet imported: the code picks the backend itself
    const r = await sandbox.run(
      'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\n' +
        'fig, ax = plt.subplots()\nax.plot([1, 2], [3, 4])\nax.set_title("Time to complete")\n' +
        'fig.savefig("times.png")\nplt.close(fig)',
    );
    expect(r.status).toBe('ok');
    expect(r.figures).toEqual([{ title: 'Time to complete', filename: 'times.png' }]);
    expect(r.filesWritten.map((f) => f.name)).toEqual(['times.png']);
    await sandbox.run(
      'import pandas as pd\ndf = pd.DataFrame({"variant": ["A", "B"], "clicks": [17, 23]})',
    );
  });

  it('answers requests.get of the data URL through the fetch handler and records it without the key', async () => {
    seen.length = 0;
    const r = await sandbox.run(
      'import requests\n' +
        `resp = requests.get("${DATA}posthog_events?select=variant&apikey=${KEY}", headers={"apikey": "${KEY}", "Range": "0-9"})\n` +
        'resp.raise_for_status()\n[row["n"] for row in resp.json()]',
    );
    expect(errors(r)).toEqual([]);
    expect(resultText(r)).toBe(PY_NS);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', headers: { apikey: KEY, Range: '0-9' } });
    expect(r.requests).toEqual([
      {
        method: 'GET',
        url: `${DATA}posthog_events?select=variant`,
        status: 200,
        allowed: true,
        durationMs: expect.any(Number) as number,
        // the data-access evidence the trace is built from
        rowsReturned: 2,
        contentRange: null,
        rangeHeader: '0-9',
      },
    ]);
    expect(JSON.stringify(r.requests)).not.toContain(KEY);
  });

  it('answers urllib (and so pandas.read_json) through the same transport', async () => {
    const r = await sandbox.run(`pd.read_json("${DATA}posthog_events").n.tolist()`);
    expect(resultText(r)).toBe(PY_NS);
    expect(r.requests.map((q) => [q.url, q.status])).toEqual([[`${DATA}posthog_events`, 200]]);
  });

  it('a raw socket meets no network: refused with the reason in words, and recorded as blocked', async () => {
    const server = await countingServer();
    try {
      const { host } = new URL(server.url);
      const r = await sandbox.run(
        `import socket\nsocket.create_connection(("127.0.0.1", ${new URL(server.url).port}), timeout=5)`,
      );
      expect(r.status).toBe('error');
      expect(errors(r)[0]).toMatchObject({ ename: 'ConnectionRefusedError' });
      const why = `request to ${host} blocked: this sandbox only answers the run's data URL, ${DATA}`;
      expect(errors(r)[0]?.evalue).toContain(`localds sandbox: ${why}`);
      expect(errors(r)[0]?.evalue).toContain('this sandbox has no network');
      expect(r.requests).toEqual([
        expect.objectContaining({
          method: 'CONNECT',
          url: `tcp://${host}`,
          status: 403,
          allowed: false,
          blocked: expect.stringContaining(why),
        }),
      ]);
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses a URL outside the allow-list with 403, records it, and forwards nothing', async () => {
    const server = await countingServer();
    try {
      seen.length = 0;
      const r = await sandbox.run(
        `r1 = requests.get("${server.url}/steal").status_code\n` +
          'import urllib.request, urllib.error\n' +
          `try:\n    urllib.request.urlopen("${server.url}/x")\nexcept urllib.error.HTTPError as e:\n    r2 = e.code\n` +
          // a Session with its own adapter (the usual retry recipe) goes through the harness too
          'from requests.adapters import HTTPAdapter\ns = requests.Session()\n' +
          's.mount("http://", HTTPAdapter(max_retries=3))\n' +
          `r3 = s.get("${server.url}/retry").status_code\n` +
          '(r1, r2, r3)',
      );
      expect(resultText(r)).toBe('(403, 403, 403)');
      expect(r.requests.map((q) => [q.url, q.status, q.allowed])).toEqual([
        [`${server.url}/steal`, 403, false],
        [`${server.url}/x`, 403, false],
        [`${server.url}/retry`, 403, false],
      ]);
      // Each is recorded with its reason, and the status line model code sees says it too.
      const why = `request to ${new URL(server.url).host} blocked: this sandbox only answers the run's data URL, ${DATA}`;
      for (const q of r.requests) expect(q.blocked).toContain(why);
      const told = await sandbox.run(
        `try:\n    urllib.request.urlopen("${server.url}/y")\nexcept urllib.error.HTTPError as e:\n    msg = str(e)\n` +
          `(msg, requests.get("${server.url}/z").reason)`,
      );
      const shown = resultText(told) ?? '';
      expect(shown).toContain(`HTTP Error 403: Forbidden: ${why}`);
      expect(shown.split(`Forbidden: ${why}`)).toHaveLength(3);
      expect(seen).toEqual([]);
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('restart() forgets variables but keeps the run directory', async () => {
    await sandbox.restart();
    const r = await sandbox.run('import os\nprint(sorted(os.listdir(".")))\ndf');
    expect(streamText(r)).toBe("['clicks.png', 'times.png']\n");
    expect(errors(r).map((e) => e.ename)).toEqual(['NameError']);
  });

  it('writeFile puts a file the kernel can read and replace', async () => {
    await sandbox.writeFile('data/input.csv', new TextEncoder().encode('a,b\n1,2\n'));
    const r = await sandbox.run(
      'x = pd.read_csv("data/input.csv") if "pd" in dir() else __import__("pandas").read_csv("data/input.csv")\n' +
        'open("data/input.csv", "w").write("replaced")\nint(x.b.sum())',
    );
    expect(resultText(r)).toBe('2');
    expect(new TextDecoder().decode(await sandbox.readFile('data/input.csv'))).toBe('replaced');
  });
});

describe('checkPythonEnvironment', () => {
  it('reports the version and nothing missing for Debian python3', async () => {
    const env = await checkPythonEnvironment(PYTHON);
    expect(env).toMatchObject({ ok: true, missing: [] });
    expect(env.version).toMatch(/^3\.\d+\.\d+$/);
  });

  it('names the interpreter when it does not exist', async () => {
    const env = await checkPythonEnvironment('/nonexistent/python3');
    expect(env.ok).toBe(false);
    expect(env.message).toBe(
      'Python interpreter /nonexistent/python3 was not found: install python3 or pass --python-bin',
    );
    await expect(createNativeSandbox({ pythonBin: '/nonexistent/python3' })).rejects.toThrow(
      '/nonexistent/python3 was not found',
    );
  });

  it('names the interpreter and the missing packages with the apt hint', async () => {
    // The same interpreter without site-packages (-S): pandas & co. are invisible to it.
    const bare = join(scratch, 'bare-python');
    writeFileSync(bare, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`);
    chmodSync(bare, 0o755);
    const env = await checkPythonEnvironment(bare);
    expect(env.ok).toBe(false);
    expect(env.missing).toEqual(['pandas', 'scipy', 'matplotlib', 'requests']);
    expect(env.message).toBe(
      `${bare} lacks pandas, scipy, matplotlib, requests: apt-get install python3-pandas ` +
        'python3-scipy python3-matplotlib python3-requests, or pass --python-bin',
    );
    await expect(createNativeSandbox({ pythonBin: bare })).rejects.toThrow(`${bare} lacks pandas`);
  });
});

describe('checkPythonEnvironment imports, not just finds', () => {
  it('reports a package that is present but fails to import as missing', async () => {
    // A pandas that is found on the path but raises on import: find_spec alone would pass it.
    const site = join(scratch, 'broken-site');
    mkdirSync(join(site, 'pandas'), { recursive: true });
    writeFileSync(join(site, 'pandas', '__init__.py'), "raise ImportError('broken build')\n");
    const broken = join(scratch, 'broken-python');
    writeFileSync(broken, `#!/bin/sh\nPYTHONPATH=${site} exec ${PYTHON} "$@"\n`);
    chmodSync(broken, 0o755);
    const env = await checkPythonEnvironment(broken);
    expect(env.ok).toBe(false);
    expect(env.missing).toEqual(['pandas']);
    await expect(createNativeSandbox({ pythonBin: broken })).rejects.toThrow(
      `${broken} lacks pandas`,
    );
  }, 60_000);
});

describe('native sandbox without isolation', () => {
  it(
    "falls back to unisolated with a warning when bwrap is missing, unless 'bwrap' was required",
    async () => {
      const missing = '/nonexistent/bwrap';
      await expect(
        createNativeSandbox({ pythonBin: PYTHON, isolation: 'bwrap', bwrapBin: missing }),
      ).rejects.toThrow(
        `isolation 'bwrap' is unavailable: bubblewrap is not installed (${missing}: apt-get install bubblewrap)`,
      );
      const sandbox = await createNativeSandbox({ pythonBin: PYTHON, bwrapBin: missing });
      try {
        expect(sandbox.isolation).toBe('native-unisolated');
        expect(sandbox.isolationReport()).toMatchObject({
          level: 'native-unisolated',
          bwrap: false,
          wrapper: [],
          warning: sandbox.warning,
          limits: { maxProcesses: 0 },
        });
        expect(sandbox.walls).toMatchObject({ bwrap: false, forkGuard: false });
        expect(sandbox.warning).toMatch(
          /^native Python runs UNISOLATED \(bubblewrap is not installed .*\): model code can read and write your files/,
        );
        expect(resultText(await sandbox.run('6 * 7'))).toBe('42');
      } finally {
        await sandbox.dispose();
      }
    },
    SLOW,
  );

  it(
    'is labelled unisolated, warns, and really has no network wall',
    async () => {
      const server = await countingServer();
      const sandbox = await createNativeSandbox({ pythonBin: PYTHON, isolation: 'none' });
      try {
        expect(sandbox.isolation).toBe('native-unisolated');
        expect(sandbox.warning).toMatch(
          /^native Python runs UNISOLATED \(isolation 'none' was chosen\)/,
        );
        const port = new URL(server.url).port;
        const r = await sandbox.run(
          `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=5).close()\n` +
            `requests = __import__("requests")\nrequests.get("${server.url}/").status_code`,
        );
        // The raw socket reaches the host (the missing wall); requests is still answered by the harness.
        expect(resultText(r)).toBe('403');
        expect(server.hits()).toBe(1);
        // Its subprocesses share its process group, which dispose() kills as a whole.
        const child = await sandbox.run(
          'import subprocess\nsubprocess.Popen(["sleep", "300"]).pid',
        );
        const pid = Number(resultText(child));
        expect(() => process.kill(pid, 0)).not.toThrow();
        await sandbox.dispose();
        // Gone, or a zombie until whichever init adopted it reaps it: either way no longer running.
        const state = () =>
          existsSync(`/proc/${pid}`)
            ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
            : 'gone';
        expect(['gone', 'Z']).toContain(state());
      } finally {
        await sandbox.dispose();
        await server.close();
      }
    },
    SLOW,
  );
});
