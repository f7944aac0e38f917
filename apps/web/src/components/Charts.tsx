import { BENCHMARK_IDS, getBenchmark } from '@localds/benchmarks';
import { toBase64 } from '../share/base64.js';

export interface ChartImage {
  name: string;
  /** A data: URL (PNG). */
  src: string;
}

/** How the benchmark labels one of its outputs; the file name for anything else. */
export function outputLabel(benchmarkId: string, file: string): string {
  if (!BENCHMARK_IDS.includes(benchmarkId)) return file;
  return getBenchmark(benchmarkId).requiredOutputs.find((o) => o.file === file)?.label ?? file;
}

/** The run's charts side by side (wrapping on narrow screens). */
export function Charts({ charts, benchmarkId }: { charts: ChartImage[]; benchmarkId: string }) {
  if (!charts.length) return <p className="muted">The run saved no charts.</p>;
  return (
    <div className="charts">
      {charts.map((c) => (
        <figure key={c.name}>
          <img src={c.src} alt={`${outputLabel(benchmarkId, c.name)} (chart drawn by the run)`} />
          <figcaption className="mono small">{c.name}</figcaption>
        </figure>
      ))}
    </div>
  );
}

export function pngDataUrl(bytes: Uint8Array): string {
  return `data:image/png;base64,${toBase64(bytes)}`;
}
