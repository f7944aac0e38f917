/// <reference lib="dom" />
// Helpers for the visual benchmark page tests: running a file through the page as a scripted replay.
import type { Page } from 'playwright-core';

/** A replay file whose only answer is `html` in a fenced block: how a test hands the page a file. */
export function replayOf(html: string): Buffer {
  return Buffer.from(JSON.stringify({ responses: ['```html\n' + html + '\n```'] }));
}

/**
 * Runs `html` on a visual benchmark through the page's run form (a replay file the user picks, one
 * turn) and waits for the result view. `whileRunning` is polled until the result shows.
 */
export async function runFileInPage(
  page: Page,
  base: string,
  benchmarkId: string,
  html: string,
  { name = 'file.json', whileRunning }: { name?: string; whileRunning?: () => Promise<void> } = {},
): Promise<void> {
  if (!page.url().includes(`#/benchmarks/${benchmarkId}`)) {
    await page.goto(`${base}#/benchmarks/${benchmarkId}`);
  }
  await page.getByLabel('Scripted replay file (not a model)').check();
  await page
    .getByLabel(/^Replay file/)
    .setInputFiles({ name, mimeType: 'application/json', buffer: replayOf(html) });
  await page.getByLabel('Turns').fill('1');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const result = page.getByTestId('visual-run-result');
  while (!(await result.isVisible())) {
    if (whileRunning) await whileRunning();
    else await page.waitForTimeout(250);
  }
}

/** The checks as the result view shows them: check id → points text and passed. */
export async function visualChecksOnPage(
  page: Page,
): Promise<Record<string, { points: string; passed: string; detail: string }>> {
  await page.getByTestId('visual-checks').waitFor();
  return page.$$eval('[data-testid="visual-checks"] tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((row) => {
        const cells = row.querySelectorAll('td');
        return [
          row.getAttribute('data-check'),
          {
            points: cells[0]?.textContent ?? '',
            passed: row.getAttribute('data-passed') ?? '',
            detail: cells[1]?.textContent ?? '',
          },
        ];
      }),
    ),
  );
}
