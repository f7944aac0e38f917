/**
 * A Vega-Lite spec as a standalone SVG element, drawn by Vega's headless renderer: no DOM, no canvas,
 * no network, so it works the same in Node (the report) and in the page (loaded with the views that
 * draw pictures).
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
