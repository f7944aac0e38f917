// The adapters' browser-only paths, in headless Chromium: WebGPU detection against the adapter
// the browser really reports (SwiftShader here: no shader-f16), and the OpenAI adapter's
// streaming and CORS diagnosis under a real browser's fetch. The page loads the TypeScript
// sources transpiled on the fly, with an import map for zod and eventsource-parser.

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanRun, WebGPUStatus } from '../src/model/webgpu.js';
import { launchChromium } from './browser/harness.js';
import {
  llamaPayloads,
  startSse,
  startSseServer,
  writeEvents,
  type SseServer,
} from './helpers/sse-server.js';

const agentRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(agentRoot, '../..');

const PAGE = `<!doctype html><meta charset="utf-8"><title>model adapters</title>
<script type="importmap">${JSON.stringify({
  imports: {
    zod: '/node_modules/zod/index.js',
    'eventsource-parser': '/node_modules/eventsource-parser/dist/index.js',
  },
})}</script>`;

/** Serves the page, src/**.ts transpiled to JS, and node_modules files as they are. */
async function startPageServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      } else if (url.pathname.startsWith('/src/') && url.pathname.endsWith('.js')) {
        const file = path.join(agentRoot, url.pathname.replace(/\.js$/, '.ts'));
        const source = await readFile(file, 'utf8');
        const js = ts.transpileModule(source, {
          compilerOptions: {
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.ESNext,
            verbatimModuleSyntax: true,
          },
        }).outputText;
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      } else if (url.pathname.startsWith('/node_modules/')) {
        const file = path.join(repoRoot, path.normalize(url.pathname));
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(file));
      } else {
        res.writeHead(404).end();
      }
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // `localhost` is a secure context, where WebGPU is exposed; 127.0.0.1 is then cross-origin.
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let browser: Browser;
let page: Page;
let pageServer: Awaited<ReturnType<typeof startPageServer>>;

beforeAll(async () => {
  pageServer = await startPageServer();
  browser = await launchChromium([
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-vulkan=swiftshader',
    '--use-webgpu-adapter=swiftshader',
  ]);
  page = await browser.newPage();
  await page.goto(`${pageServer.origin}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
});

describe('in headless Chromium', () => {
  it('detects the SwiftShader adapter and refuses f16 models for the feature it lacks', async () => {
    // Page code is passed as a string: vitest rewrites dynamic imports in functions it sees.
    const result = (await page.evaluate(`(async () => {
      const webgpu = await import('/src/model/webgpu.js');
      const status = await webgpu.detectWebGPU();
      const f16 = {
        id: 'Qwen3-1.7B-q4f16_1-MLC',
        vramMB: 2036.66,
        lowResource: true,
        contextWindow: 4096,
        requiredFeatures: ['shader-f16'],
        bufferSizeRequiredBytes: undefined,
      };
      const f32 = { ...f16, id: 'Qwen3-1.7B-q4f32_1-MLC', requiredFeatures: [] };
      const adapter = await navigator.gpu.requestAdapter();
      return {
        status,
        reportsF16: adapter.features.has('shader-f16'),
        f16: webgpu.canRun(f16, status),
        f32: webgpu.canRun(f32, status),
      };
    })()`)) as {
      status: WebGPUStatus & { available: true };
      reportsF16: boolean;
      f16: CanRun;
      f32: CanRun;
    };
    expect(result.status.available).toBe(true);
    expect(result.status.adapterInfo.architecture).toBe('swiftshader');
    // The verdict follows what the adapter reports, read independently here.
    expect(result.status.features.includes('shader-f16')).toBe(result.reportsF16);
    expect(result.reportsF16).toBe(false);
    expect(result.f16.ok).toBe(false);
    expect(result.f16.reason).toContain('shader-f16');
    expect(result.f32.ok).toBe(true);
  });

  describe('the OpenAI adapter against a local llama-server-like server', () => {
    let server: SseServer | undefined;
    afterAll(async () => server?.close());

    type PageEvent =
      | { type: 'token'; channel: string; text: string }
      | { type: 'done'; finishReason: string; error?: { code: string; message: string } };

    async function streamInPage(baseUrl: string): Promise<PageEvent[]> {
      return (await page.evaluate(`(async () => {
        const { createOpenAIModel } = await import('/src/model/openai.js');
        const model = createOpenAIModel({ baseUrl: ${JSON.stringify(baseUrl)}, model: 'qwen3-8b', retries: 0 });
        const events = [];
        const request = { messages: [{ role: 'user', content: 'hi' }], sampling: {} };
        for await (const e of model.stream(request)) {
          const error = e.type === 'done' && e.error ? { code: e.error.code, message: e.error.message } : undefined;
          events.push(error ? { ...e, error } : e);
        }
        return events;
      })()`)) as PageEvent[];
    }

    it('streams across origins when the server allows CORS (as llama-server does by default)', async () => {
      server = await startSseServer(async (req, res) => {
        if (req.method === 'OPTIONS') {
          res
            .writeHead(204, {
              'Access-Control-Allow-Origin': '*',
              'Access-Control-Allow-Headers': '*',
              'Access-Control-Allow-Methods': 'GET, POST',
            })
            .end();
          return;
        }
        startSse(res);
        await writeEvents(res, llamaPayloads({ reasoning: ['hm'], content: ['Hello', ' page'] }));
        res.end();
      });
      const events = await streamInPage(server.baseUrl);
      const answer = events
        .map((e) => (e.type === 'token' && e.channel === 'answer' ? e.text : ''))
        .join('');
      expect(answer).toBe('Hello page');
      expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
      await server.close();
      server = undefined;
    });

    it('names CORS, and how to allow it, when the server sends no CORS headers', async () => {
      server = await startSseServer(
        async (req, res) => {
          res.writeHead(req.method === 'OPTIONS' ? 204 : 200).end();
        },
        { scriptModels: true },
      );
      const events = await streamInPage(server.baseUrl);
      const done = events.at(-1);
      if (done?.type !== 'done') throw new Error('no done event');
      expect(done.finishReason).toBe('error');
      expect(done.error?.code).toBe('cors');
      expect(done.error?.message).toContain(pageServer.origin);
      expect(done.error?.message).toContain(`${server.baseUrl}/models`);
      expect(done.error?.message).toContain('OLLAMA_ORIGINS');
    });
  });
});
