import { toBase64 } from '../share/base64.js';

export interface ChartImage {
  name: string;
  /** A data: URL (PNG). */
  src: string;
}

const TITLES: Record<string, string> = {
  'chart-distribution.png': 'Completion-time distribution',
  'chart-treatment-effect.png': 'Treatment effect with 95% CI',
  'chart-completion-rates.png': 'Completion rates',
};

/** The run's charts side by side (wrapping on narrow screens). */
export function Charts({ charts }: { charts: ChartImage[] }) {
  if (!charts.length) return <p className="muted">The run saved no charts.</p>;
  return (
    <div className="charts">
      {charts.map((c) => (
        <figure key={c.name}>
          <img src={c.src} alt={`${TITLES[c.name] ?? c.name} (chart drawn by the run)`} />
          <figcaption className="mono small">{c.name}</figcaption>
        </figure>
      ))}
    </div>
  );
}

export function pngDataUrl(bytes: Uint8Array): string {
  return `data:image/png;base64,${toBase64(bytes)}`;
}
