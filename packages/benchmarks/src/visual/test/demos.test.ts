import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VisualBenchmarkSchema } from '../definition.js';
import { externalUrlsIn } from '../external-urls.js';
import { visualBenchmarks } from '../registry.js';

const VISUAL_DIR = join(import.meta.dirname, '..');
const HTML_FENCE = /```html\n([\s\S]*?)\n```/g;

/**
 * The one file in a demo replay's first reply; the second and last reply keeps it without a file
 * (the test fails on anything else).
 */
function demoFile(demoReplay: unknown): string {
  const responses = (demoReplay as { responses?: unknown } | null)?.responses;
  expect(Array.isArray(responses) && responses.length).toBe(2);
  const [reply, keep] = responses as unknown[];
  expect(typeof keep === 'string' && !keep.includes('```')).toBe(true);
  expect(typeof reply).toBe('string');
  const fences = [...(reply as string).matchAll(HTML_FENCE)];
  expect(fences.length, 'one ```html block').toBe(1);
  return fences[0]![1]!;
}

describe('the visual benchmarks and their scripted demos', () => {
  it('lists the five benchmarks in order', () => {
    expect(visualBenchmarks.map((b) => b.id)).toEqual([
      'cherry-blossoms',
      'solar-system',
      'ocean-sunset',
      'snow-globe',
      'wildflower-meadow',
    ]);
  });

  for (const benchmark of visualBenchmarks) {
    describe(benchmark.id, () => {
      it('parses, in the visual suite, its prompt ending with the shared rules', () => {
        expect(VisualBenchmarkSchema.safeParse(benchmark).success).toBe(true);
        expect(benchmark.suite).toBe('visual');
        expect(benchmark.task).toMatch(/- It must start animating on its own.*\.$/);
      });

      it('has a demo: one reply with one ```html file, within the size limit, with no external URL', () => {
        const html = demoFile(benchmark.demoReplay);
        expect(html).toMatch(/^<!doctype html>/i);
        expect(new TextEncoder().encode(html).length).toBeLessThanOrEqual(
          benchmark.limits.maxFileBytes,
        );
        expect(externalUrlsIn(html)).toEqual([]);
      });

      it('demo-replay.json is built from demo.html (scripts/build-visual-demos.mjs)', () => {
        const source = join(VISUAL_DIR, benchmark.id, 'demo.html');
        if (!existsSync(source)) return;
        expect(demoFile(benchmark.demoReplay)).toBe(readFileSync(source, 'utf8').trimEnd());
      });
    });
  }
});
