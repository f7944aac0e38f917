import { defineVisualBenchmark } from '../definition.js';
import { SHARED_RULES } from '../prompt-rules.js';
import demoReplay from './demo-replay.json' with { type: 'json' };

export const solarSystemBenchmark = defineVisualBenchmark({
  kind: 'visual',
  id: 'solar-system',
  title: 'A solar system',
  description: 'A one-file HTML animation of planets circling a glowing sun on their orbits.',
  version: '1.0.0',
  suite: 'visual',
  task: `Write a single HTML file, index.html, that shows a solar system in motion.

On screen: a glowing yellow sun in the middle of a dark sky full of small stars, and at least 5 planets
circling it, each on its own circular orbit drawn as a faint ring around the sun. The planets differ in
size and colour; the closer a planet is to the sun, the faster it goes round, so the inner planets keep
overtaking the outer ones. At least one planet has a small moon circling it. The whole system stays
centred and in view, orbits included, at any window size.

Mark each planet: if you draw planets as elements (HTML or SVG), give each one the class "planet"; if you
draw on a canvas, set <body data-planets="N"> to the number of planets you draw.

${SHARED_RULES}`,
  requirements: [
    {
      type: 'canvas-or-svg',
      id: 'drawing-surface',
      label: 'A canvas or SVG drawing surface',
      minArea: 0.25,
    },
    {
      type: 'count',
      id: 'planets',
      label: 'At least 5 planets',
      selector: '.planet',
      bodyAttribute: 'data-planets',
      min: 5,
    },
  ],
  limits: { maxFileBytes: 100_000, renderBudgetMs: 2_000 },
  turns: { default: 3, max: 5 },
  demoReplay,
});
