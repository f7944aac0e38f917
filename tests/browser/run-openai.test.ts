/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startScriptedServer,
  type ScriptedReply,
  type ScriptedServer,
} from './helpers/sse-server.js';
import {
  REPO_ROOT,
  SCREENSHOTS,
  scorecardOnPage,
  setSettings,
  startWorkbench,
  type Workbench,
} from './helpers/workbench.js';

// The stdlib-only reference solution, streamed by the server as if a model wrote it.
const replies = (
  JSON.parse(
    readFileSync(join(REPO_ROOT, 'tests/fixtures/replays/stdlib-correct.json'), 'utf8'),
  ) as { responses: string[] }
).responses;

// The same solution as run_python tool calls.
const toolReplies = (
  JSON.parse(
    readFileSync(join(REPO_ROOT, 'tests/fixtures/replays/stdlib-correct-tools.json'), 'utf8'),
  ) as { responses: ScriptedReply[] }
).responses;

let wb: Workbench;
let server: ScriptedServer;
let noCors: ScriptedServer;
let toolServer: ScriptedServer;

beforeAll(async () => {
  [wb, server, noCors, toolServer] = await Promise.all([
    startWorkbench(),
    startScriptedServer(replies),
    startScriptedServer(replies, { cors: false }),
    startScriptedServer(toolReplies, { tools: true, model: 'scripted-tools' }),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([wb?.close(), server?.close(), noCors?.close(), toolServer?.close()]);
});

describe(
  'the OpenAI-compatible endpoint path (a local SSE server streaming SCRIPTED output)',
  { timeout: 240_000 },
  () => {
    it('lists the server’s models, streams the scripted stdlib solution into the live view and scores it', async () => {
      const page = await wb.context.newPage();
      // The package index (Pyodide's CDN) is out of reach here: the stdlib solution runs stdlib-only.
      await setSettings(page, wb.url, { stdlibOnly: true });
      await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
      await page.getByLabel('OpenAI-compatible server').check();
      await page.getByLabel(/Server URL/).fill(server.baseUrl);
      await page.getByLabel('Temperature').fill('0.7');
      await page.getByRole('button', { name: /List the server/ }).click();
      await page
        .getByTestId('server-models')
        .getByRole('button', { name: 'scripted-stdlib' })
        .click();
      await expect(page.getByLabel('Model name').inputValue()).resolves.toBe('scripted-stdlib');
      await page.screenshot({ path: join(SCREENSHOTS, 'run-panel-openai.png'), fullPage: true });
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.locator('.live-run .turn details summary').first().waitFor({ timeout: 120_000 });
      await page.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
      const card = await scorecardOnPage(page);
      // Every judged check passes; a stdlib solution draws no matplotlib figure, so its chart labels
      // cannot be judged.
      expect(Object.values(card).every((c) => c.pass || !c.judged)).toBe(true);
      expect(card.charts_labeled).toMatchObject({ judged: false, earned: 0 });
      await expect(page.locator('main').innerText()).resolves.toContain('provider openai-http');
      // The sampling settings reached the server with every request.
      expect(server.chatBodies.length).toBeGreaterThanOrEqual(replies.length);
      expect(server.chatBodies[0]).toMatchObject({
        model: 'scripted-stdlib',
        temperature: 0.7,
        stream: true,
      });
      // Protocol auto: the server refused tools (as llama-server without --jinja), so fenced.
      expect(server.toolProbes).toBe(1);
      expect(server.chatBodies.every((b) => b.tools === undefined)).toBe(true);
      await page.close();
    });

    it('drives a server that takes tools through run_python calls: the live view shows each call as a cell, and it scores the same', async () => {
      const page = await wb.context.newPage();
      await setSettings(page, wb.url, { stdlibOnly: true });
      await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
      await page.getByLabel('OpenAI-compatible server').check();
      await page.getByLabel(/Server URL/).fill(toolServer.baseUrl);
      await page.getByLabel('Model name').fill('scripted-tools');
      await expect(page.getByLabel('Protocol').inputValue()).resolves.toBe('auto');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const call = page.locator('.live-run .tool-call').first();
      await call.waitFor({ timeout: 120_000 });
      // The call shows as the code it runs, not as escaped JSON.
      await expect(call.locator('pre').innerText()).resolves.toMatch(/^import json\nimport math/);
      await page.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
      const card = await scorecardOnPage(page);
      // The same as the fenced run: every judged check passes, the chart labels not judged.
      expect(Object.values(card).every((c) => c.pass || !c.judged)).toBe(true);
      expect(card.charts_labeled).toMatchObject({ judged: false, earned: 0 });
      expect(toolServer.toolProbes).toBe(1);
      expect(toolServer.chatBodies[0]!.tools).toEqual([
        expect.objectContaining({ function: expect.objectContaining({ name: 'run_python' }) }),
      ]);
      // The second request answered the first call with a tool message.
      const second = toolServer.chatBodies[1]!.messages as {
        role: string;
        tool_call_id?: string;
      }[];
      expect(second.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
      await page.close();
    });

    it('explains a CORS refusal with what to change in llama.cpp, Ollama and LM Studio', async () => {
      const page = await wb.context.newPage();
      await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
      await page.getByLabel('OpenAI-compatible server').check();
      await page.getByLabel(/Server URL/).fill(noCors.baseUrl);
      await page.getByRole('button', { name: /List the server/ }).click();
      const alert = page.locator('[data-error-code]');
      await alert.waitFor({ timeout: 30_000 });
      await expect(alert.getAttribute('data-error-code')).resolves.toBe('cors');
      const text = await alert.innerText();
      expect(text).toContain('OLLAMA_ORIGINS');
      expect(text).toContain('LM Studio');
      await page.close();
    });
  },
);
