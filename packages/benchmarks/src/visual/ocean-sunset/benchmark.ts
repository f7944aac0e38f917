import { defineVisualBenchmark } from '../definition.js';
import { SHARED_RULES } from '../prompt-rules.js';
import demoReplay from './demo-replay.json' with { type: 'json' };

export const oceanSunsetBenchmark = defineVisualBenchmark({
  kind: 'visual',
  id: 'ocean-sunset',
  title: 'A sunset over the ocean',
  description: 'A one-file HTML animation of the sun going down over a sea of rolling waves.',
  version: '1.0.0',
  suite: 'visual',
  task: `Write a single HTML file, index.html, that shows a sunset over the ocean.

On screen: a sky that fades from deep violet at the top to orange at the horizon, and a large orange sun
low over the horizon that slowly sinks into the sea and rises again, in a cycle of some twenty seconds.
The sea fills the lower part of the view and has at least 8 rows of waves, drawn as lines or crests, that
roll sideways all the time, the rows nearer the viewer bigger and faster than the far ones. The sun's
reflection is a column of light on the water below it that shimmers as the waves move. A few thin clouds
drift slowly across the sky.

Mark the sun and the waves: if you draw them as elements (HTML or SVG), give the sun the class "sun" and
each row of waves the class "wave"; if you draw on a canvas, set <body data-sun="1" data-waves="N">, N
being the number of rows of waves you draw.

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
      id: 'sun',
      label: 'A sun',
      selector: '.sun',
      bodyAttribute: 'data-sun',
      min: 1,
    },
    {
      type: 'count',
      id: 'waves',
      label: 'At least 8 rows of waves',
      selector: '.wave',
      bodyAttribute: 'data-waves',
      min: 8,
    },
  ],
  limits: { maxFileBytes: 100_000, renderBudgetMs: 2_000 },
  turns: { default: 3, max: 5 },
  demoReplay,
});
