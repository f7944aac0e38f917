import { defineVisualBenchmark } from '../definition.js';
import { SHARED_RULES } from '../prompt-rules.js';
import demoReplay from './demo-replay.json' with { type: 'json' };

export const wildflowerMeadowBenchmark = defineVisualBenchmark({
  kind: 'visual',
  id: 'wildflower-meadow',
  title: 'A wildflower meadow',
  description:
    'A one-file HTML animation of wildflowers swaying in gusts of wind, with butterflies.',
  version: '1.0.0',
  suite: 'visual',
  task: `Write a single HTML file, index.html, that shows a wildflower meadow on a summer day.

On screen: a blue sky with a few white clouds drifting slowly across it, and a green meadow filling the
lower half of the view with at least 40 wildflowers in at least three colours, each a blossom on a thin
stem. The flowers and the grass sway in the wind, and the wind comes in gusts that sweep across the meadow
from one side to the other, so that neighbouring flowers bend one after another rather than all at once.
At least 3 butterflies flutter over the flowers on wandering paths, flapping their wings.

Mark each flower and each butterfly: if you draw them as elements (HTML or SVG), give each flower the
class "flower" and each butterfly the class "butterfly"; if you draw on a canvas, set
<body data-flowers="N" data-butterflies="M"> to the numbers of flowers and butterflies you draw.

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
      id: 'flowers',
      label: 'At least 40 flowers',
      selector: '.flower',
      bodyAttribute: 'data-flowers',
      min: 40,
    },
    {
      type: 'count',
      id: 'butterflies',
      label: 'At least 3 butterflies',
      selector: '.butterfly',
      bodyAttribute: 'data-butterflies',
      min: 3,
    },
  ],
  limits: { maxFileBytes: 100_000, renderBudgetMs: 2_000 },
  turns: { default: 3, max: 5 },
  demoReplay,
});
