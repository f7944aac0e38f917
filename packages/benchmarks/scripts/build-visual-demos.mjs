// Builds each visual benchmark's scripted demo, src/visual/<id>/demo-replay.json (the replay that
// `localds run --model demo` and the page's demo play), from the hand-written src/visual/<id>/demo.html
// next to it. Edit demo.html, then run `node packages/benchmarks/scripts/build-visual-demos.mjs`; both
// files are committed, and src/visual/test/demos.test.ts fails when they disagree.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const visualDir = new URL('../src/visual/', import.meta.url);

/** The sentence each demo's reply opens with, before its file. */
const SENTENCES = {
  'cherry-blossoms':
    'Here is index.html: an SVG branch in bloom, with forty petals falling in CSS.',
  'solar-system': 'Here is index.html: six planets on their orbits around the sun, drawn in SVG.',
  'ocean-sunset':
    'Here is index.html: the sun setting and rising over fourteen rows of waves, on a canvas.',
  'snow-globe': 'Here is index.html: a snow globe on a canvas, shaken every seven seconds.',
  'wildflower-meadow':
    'Here is index.html: an SVG meadow of swaying flowers, gusts of wind and butterflies.',
};

/**
 * What the demo says after the harness reports its render: no new file, so the run ends `no_revision`
 * with the first file standing (as a model satisfied with its work would), not `model_exhausted`.
 */
export const KEEP_REPLY =
  'The render shows what I meant to draw; I am keeping index.html as it is.';

/**
 * The replay a demo file becomes: a sentence and the file in an ```html fence, then the reply that
 * keeps it.
 */
export function demoReplay(id, html) {
  const sentence = SENTENCES[id] ?? 'Here is index.html.';
  return {
    responses: [`${sentence}\n\n\`\`\`html\n${html.trimEnd()}\n\`\`\``, KEEP_REPLY],
  };
}

export function buildVisualDemos() {
  const built = [];
  for (const entry of readdirSync(visualDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const source = new URL(`${entry.name}/demo.html`, visualDir);
    if (!existsSync(source)) continue;
    const replay = demoReplay(entry.name, readFileSync(source, 'utf8'));
    writeFileSync(
      new URL(`${entry.name}/demo-replay.json`, visualDir),
      `${JSON.stringify(replay, null, 2)}\n`,
    );
    built.push(entry.name);
  }
  return built;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const id of buildVisualDemos()) console.log(`built src/visual/${id}/demo-replay.json`);
}
