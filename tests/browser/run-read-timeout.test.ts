/// <reference lib="dom" />
// The endpoint settings' read timeout: how long an OpenAI-compatible server may stay silent (here,
// the agent's SSE test server thinking for 2.5 s before it answers) before the run gives up on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answersAfter,
  startSseServer,
  type SseServer,
} from '../../packages/agent/test/helpers/sse-server.js';
import { setSettings, useWorkbench } from './helpers/workbench.js';

const wb = useWorkbench();
let server: SseServer;

beforeAll(async () => {
  server = await startSseServer(answersAfter(2500, ['DONE']));
});
afterAll(async () => {
  await server?.close();
});

describe('the endpoint settings’ read timeout', { timeout: 240_000 }, () => {
  it('is validated as whole seconds, and ends a run whose server stays silent longer', async () => {
    const page = await wb.context.newPage();
    // Pyodide's packages come from a CDN this machine cannot reach: the standard library only.
    await setSettings(page, wb.url, { stdlibOnly: true });
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    await page.getByLabel('OpenAI-compatible server').check();
    await page.getByLabel(/Server URL/).fill(server.baseUrl);
    await page.getByLabel('Model name').fill('qwen3-8b');
    const field = page.getByLabel('Read timeout (seconds)');
    const run = page.getByRole('button', { name: 'Run', exact: true });

    // Checked as typed: the message by the field, and no run can start.
    await field.fill('0');
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('main').innerText()).resolves.toContain('at least 1 second');
    await expect(run.isDisabled()).resolves.toBe(true);
    await field.fill('1.5');
    await expect(page.locator('main').innerText()).resolves.toContain('a whole number of seconds');
    await expect(run.isDisabled()).resolves.toBe(true);
    expect(server.requests).toHaveLength(0); // nothing was sent, not even a preflight

    await field.fill('1');
    // Fenced: auto would first probe the server for tools, a second request to time out.
    await page.getByLabel('Protocol').selectOption('fenced');
    await run.click();
    const record = page.locator('section[aria-labelledby="record-title"]');
    await record.waitFor({ timeout: 200_000 });
    const text = await record.innerText();
    expect(text).toContain('model_error');
    expect(text).toContain('no response within 1000 ms (read timeout)');
    expect(server.chatRequests()).toHaveLength(1);
    await page.close();
  });
});
