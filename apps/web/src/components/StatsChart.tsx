import type { GroupStats, PairedComparison } from '@localds/scorer/score-stats';
import DOMPurify from 'dompurify';
import { useEffect, useState } from 'react';

/** Which picture: the same three the report draws, from the same statistics. */
export type StatsPicture =
  | { kind: 'distribution'; group: GroupStats }
  | { kind: 'heatmap'; group: GroupStats }
  | { kind: 'paired'; comparison: PairedComparison };

type Drawn = { ok: true; svg: string } | { ok: false; error: string };

/**
 * One picture of the statistics of scores, drawn as the report draws it: the shared Vega-Lite spec
 * (@localds/scorer/score-charts) rendered to SVG by Vega's headless renderer. Vega and the specs load
 * with the first picture (a dynamic import), so views without pictures never pay for them. The SVG
 * carries model names from imported runs, so it is sanitised (SVG profile) before it reaches the page.
 */
export function StatsChart({ picture, label }: { picture: StatsPicture; label: string }) {
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  // Drawn again only when the statistics change (callers pass a fresh wrapper on every render).
  const source = picture.kind === 'paired' ? picture.comparison : picture.group;
  useEffect(() => {
    let live = true;
    import('@localds/scorer/score-charts')
      .then((charts) =>
        charts.renderSvg(
          picture.kind === 'distribution'
            ? charts.scoreDistributionSpec(picture.group)
            : picture.kind === 'heatmap'
              ? charts.checkHeatmapSpec(picture.group)
              : charts.pairedDifferencesSpec(picture.comparison),
        ),
      )
      .then(
        (svg) =>
          live &&
          setDrawn({ ok: true, svg: DOMPurify.sanitize(svg, { USE_PROFILES: { svg: true } }) }),
        (error: Error) => live && setDrawn({ ok: false, error: error.message }),
      );
    return () => {
      live = false;
    };
  }, [picture.kind, source]);
  if (!drawn) return <p className="muted small">Drawing {label}…</p>;
  if (!drawn.ok)
    return (
      <p className="error" role="alert">
        {label} could not be drawn: {drawn.error}
      </p>
    );
  return (
    <figure
      className="stats-chart"
      aria-label={label}
      data-picture={picture.kind}
      dangerouslySetInnerHTML={{ __html: drawn.svg }}
    />
  );
}
