import { defineVisualBenchmark } from '../definition.js';
import { SHARED_RULES } from '../prompt-rules.js';
import demoReplay from './demo-replay.json' with { type: 'json' };

export const snowGlobeBenchmark = defineVisualBenchmark({
  kind: 'visual',
  id: 'snow-globe',
  title: 'A snow-globe village',
  description:
    'A one-file HTML animation of snow swirling in a glass globe around a little village.',
  version: '1.0.0',
  suite: 'visual',
  task: `Write a single HTML file, index.html, that shows a snow globe with a village inside.

On screen: a round glass globe in the middle of the view, standing on a wooden base, against a dark
background. Inside the glass: a small snowy village of at least 4 houses with warmly lit windows and a fir
tree or two, and at least 60 snowflakes. The snowflakes drift down slowly, each at its own speed and with
its own wobble, and never leave the glass; every few seconds the globe gives a little shake and the snow
is swirled up again, so the animation never ends. The globe stays round, whole and centred at any window
size.

Mark each snowflake and each house: if you draw them as elements (HTML or SVG), give each snowflake the
class "snowflake" and each house the class "house"; if you draw on a canvas, set
<body data-snowflakes="N" data-houses="M"> to the numbers of snowflakes and houses you draw.

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
      id: 'snowflakes',
      label: 'At least 60 snowflakes',
      selector: '.snowflake',
      bodyAttribute: 'data-snowflakes',
      min: 60,
    },
    {
      type: 'count',
      id: 'houses',
      label: 'At least 4 houses',
      selector: '.house',
      bodyAttribute: 'data-houses',
      min: 4,
    },
  ],
  limits: { maxFileBytes: 100_000, renderBudgetMs: 2_000 },
  turns: { default: 3, max: 5 },
  demoReplay,
});
