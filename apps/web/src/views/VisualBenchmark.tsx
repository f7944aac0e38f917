import type { VisualBenchmark, VisualRequirement } from '@localds/benchmarks';
import { VisualRunForm } from '../components/VisualRunForm.js';

function requirementText(r: VisualRequirement): string {
  if (r.type === 'canvas-or-svg') {
    return `${r.label}: a visible <canvas> or <svg> covering at least ${Math.round((r.minArea ?? 0.25) * 100)}% of the window`;
  }
  return `${r.label}: at least ${r.min} elements matching ${r.selector}, or <body ${r.bodyAttribute}="N"> with N ≥ ${r.min} for a canvas drawing`;
}

/** A visual benchmark: its prompt, what the checks require, its limits, and the run form. */
export function VisualBenchmarkView({ benchmark }: { benchmark: VisualBenchmark }) {
  return (
    <>
      <header className="page-head">
        <h1>
          {benchmark.title} <span className="badge">visual</span>
        </h1>
        <p className="muted mono small">
          {benchmark.id} · v{benchmark.version}
          {benchmark.suite ? ` · suite ${benchmark.suite}` : ''}
        </p>
        <p>{benchmark.description}</p>
      </header>
      <div className="bench-layout">
        <div className="bench-main">
          <section aria-labelledby="prompt-title">
            <h2 id="prompt-title">The prompt</h2>
            <pre className="task prompt" data-testid="visual-prompt">
              {benchmark.task}
            </pre>
          </section>
          <section aria-labelledby="requirements-title">
            <h2 id="requirements-title">What the checks look for</h2>
            <ul data-testid="visual-requirements">
              {benchmark.requirements.map((r) => (
                <li key={r.id}>{requirementText(r)}</li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="limits-title">
            <h2 id="limits-title">Limits</h2>
            <ul>
              <li>File size: at most {benchmark.limits.maxFileBytes.toLocaleString('en')} bytes</li>
              <li>First animation frame within {benchmark.limits.renderBudgetMs} ms</li>
              <li>
                Turns: {benchmark.turns.default} by default (the model may revise its file after
                each render), at most {benchmark.turns.max}
              </li>
            </ul>
            <p>
              <a href={`#/gallery?benchmark=${encodeURIComponent(benchmark.id)}`}>
                This prompt&rsquo;s runs in the gallery
              </a>
            </p>
          </section>
        </div>
        <aside className="bench-side" aria-label="Run">
          <VisualRunForm benchmark={benchmark} />
        </aside>
      </div>
    </>
  );
}
