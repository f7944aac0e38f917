/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, launch, SCREENSHOTS, serve } from './helpers/workbench.js';

// Chromium's SwiftShader adapter: a real (CPU) WebGPU adapter, without shader-f16.
const SWIFTSHADER = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

let dist: string;
let site: { url: string; close: () => Promise<void> };
const browsers: Browser[] = [];

beforeAll(async () => {
  dist = await buildApp();
  site = await serve(dist);
}, 120_000);
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await site?.close();
  rmSync(dist, { recursive: true, force: true });
});

async function webllmPanel(args: string[]): Promise<Page> {
  const browser = await launch(args);
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(`${site.url}#/benchmarks/ab-test-analysis`);
  await page.getByLabel('WebLLM (in this browser, WebGPU)').check();
  await page.getByTestId('webgpu-status').waitFor({ timeout: 30_000 });
  return page;
}

describe('WebLLM models judged against this device’s WebGPU', { timeout: 90_000 }, () => {
  it('with SwiftShader: f16 models refused (no shader-f16), small f32 ones allowed', async () => {
    const page = await webllmPanel(SWIFTSHADER);
    const status = page.getByTestId('webgpu-status');
    await expect(status.getAttribute('data-available')).resolves.toBe('true');
    await expect(status.innerText()).resolves.toContain('no shader-f16');
    await page.getByLabel('Only models this device can run').uncheck();
    const verdicts = await page.$$eval('option[data-model-id]', (opts) =>
      Object.fromEntries(
        opts.map((o) => [o.getAttribute('data-model-id'), o.getAttribute('data-can-run')]),
      ),
    );
    expect(verdicts['Qwen3-0.6B-q4f16_1-MLC']).toBe('false');
    expect(verdicts['Qwen3-0.6B-q4f32_1-MLC']).toBe('true');
    await page
      .locator('select')
      .filter({ has: page.locator('option[data-model-id]') })
      .selectOption('Qwen3-0.6B-q4f16_1-MLC');
    await expect(page.getByTestId('verdict').innerText()).resolves.toContain('shader-f16');
    await page
      .locator('select')
      .filter({ has: page.locator('option[data-model-id]') })
      .selectOption('Qwen3-0.6B-q4f32_1-MLC');
    await expect(page.getByTestId('verdict').innerText()).resolves.toContain('offers what');
    await page.screenshot({ path: join(SCREENSHOTS, 'run-panel-webllm.png'), fullPage: true });
  });

  it('without a WebGPU adapter: says so in plain words and offers the server option', async () => {
    const page = await webllmPanel([]);
    const status = page.getByTestId('webgpu-status');
    await expect(status.getAttribute('data-available')).resolves.toBe('false');
    await expect(status.innerText()).resolves.toMatch(/WebGPU is not available here: \S+/);
    await page.getByRole('button', { name: 'Use a model server instead' }).click();
    await page.getByLabel(/Server URL/).waitFor();
  });
});
