import { defineVisualBenchmark } from '../definition.js';
import { SHARED_RULES } from '../prompt-rules.js';
import demoReplay from './demo-replay.json' with { type: 'json' };

export const cherryBlossomsBenchmark = defineVisualBenchmark({
  kind: 'visual',
  id: 'cherry-blossoms',
  title: 'Falling cherry blossoms',
  description: 'A one-file HTML animation of cherry blossom petals drifting down past a branch.',
  version: '1.0.0',
  suite: 'visual',
  task: `Write a single HTML file, index.html, that shows falling cherry blossoms.

On screen: a dark branch of a cherry tree across the top of the view with pink blossoms on it, and at
least 30 pink petals drifting down from it at any moment. Each petal sways from side to side as it falls,
turns slowly, and falls at its own speed; a petal that leaves the bottom of the view comes back at the top,
so the animation never ends. The background is a soft dusk gradient.

Mark each petal: if you draw petals as elements, give each one the class "petal"; if you draw on a canvas,
set <body data-petals="N"> to the number of petals you draw.

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
      id: 'petals',
      label: 'At least 30 petals',
      selector: '.petal',
      bodyAttribute: 'data-petals',
      min: 30,
    },
  ],
  limits: { maxFileBytes: 100_000, renderBudgetMs: 2_000 },
  turns: { default: 3, max: 5 },
  demoReplay,
});
