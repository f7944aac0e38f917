import { findVisualBenchmark, getBenchmark, type BenchmarkDefinition } from '@localds/benchmarks';
import { useMemo, useState } from 'react';
import { z } from 'zod';
import { ConsentDialog } from '../components/ConsentDialog.js';
import { DataPreview } from '../components/DataPreview.js';
import { GridPanel } from '../components/GridPanel.js';
import { RunForm } from '../components/RunForm.js';
import { Markdown } from '../components/SafeHtml.js';
import { ErrorBox } from '../components/Status.js';
import { useHashQuery } from '../router.js';
import { browserRunner } from '../runs/browser-runner.js';
import { defaultRunSettings, remoteTargets, type RunSettings } from '../runs/run-settings.js';
import { parseBenchmarkLink } from '../share/benchmark-link.js';
import { isLoopbackUrl } from '../share/loopback.js';
import { VisualBenchmarkView } from './VisualBenchmark.js';

function findBenchmark(id: string): BenchmarkDefinition | null {
  try {
    return getBenchmark(id);
  } catch {
    return null;
  }
}

/** The link's settings with remote servers removed (what "Don't allow" leaves). */
function withoutRemote(settings: RunSettings, defaults: RunSettings): RunSettings {
  return {
    ...settings,
    model:
      settings.model.source === 'openai' && !isLoopbackUrl(settings.model.endpoint)
        ? defaults.model
        : settings.model,
    data:
      settings.data.mode === 'supabase' && !isLoopbackUrl(settings.data.url)
        ? defaults.data
        : settings.data,
  };
}

type Consent = 'pending' | 'allowed' | 'denied';

/** A benchmark's page: a visual benchmark's own, or an analysis benchmark's. */
export function Benchmark({ id }: { id: string }) {
  const visual = findVisualBenchmark(id);
  return visual ? <VisualBenchmarkView benchmark={visual} /> : <AnalysisBenchmark id={id} />;
}

function AnalysisBenchmark({ id }: { id: string }) {
  const benchmark = findBenchmark(id);
  const query = useHashQuery();
  const queryText = query.toString();
  const defaults = useMemo(
    () => (benchmark ? defaultRunSettings(benchmark.id, benchmark.dataset.defaultScenario) : null),
    [benchmark],
  );
  const link = useMemo(
    () => (defaults ? parseBenchmarkLink(new URLSearchParams(queryText), defaults) : null),
    [defaults, queryText],
  );
  const [consent, setConsent] = useState<{ for: string; state: Consent } | null>(null);

  if (!benchmark || !defaults) {
    return (
      <ErrorBox title="No such benchmark">
        <p>
          “{id}” is not a benchmark this page knows. <a href="#/">See the list.</a>
        </p>
      </ErrorBox>
    );
  }
  const linked = link?.ok ? link.settings : null;
  const remote = linked ? remoteTargets(linked).filter((url) => !isLoopbackUrl(url)) : [];
  const consentState: Consent =
    remote.length === 0 ? 'allowed' : consent?.for === queryText ? consent.state : 'pending';
  const initial = !linked
    ? defaults
    : consentState === 'allowed'
      ? linked
      : withoutRemote(linked, defaults);

  return (
    <>
      <header className="page-head">
        <h1>{benchmark.title}</h1>
        <p className="muted mono small">
          {benchmark.id} · v{benchmark.version}
        </p>
        <p>{benchmark.description}</p>
      </header>
      {link && !link.ok && (
        <ErrorBox title="This link's settings are not valid; the defaults are shown instead.">
          <pre className="small">{link.error}</pre>
        </ErrorBox>
      )}
      {consentState === 'pending' && (
        <ConsentDialog
          targets={remote}
          onAllow={() => setConsent({ for: queryText, state: 'allowed' })}
          onDeny={() => setConsent({ for: queryText, state: 'denied' })}
        />
      )}
      {consentState === 'denied' && (
        <p className="notice" role="status">
          The link&rsquo;s remote servers were not used; the defaults stand in for them.
        </p>
      )}
      <div className="bench-layout">
        <div className="bench-main">
          <section aria-labelledby="task-title">
            <h2 id="task-title">The task</h2>
            <Markdown text={benchmark.task} className="task" />
          </section>
          <section aria-labelledby="outputs-title">
            <h2 id="outputs-title">What the run must write</h2>
            <ul>
              {benchmark.requiredOutputs.map((o) => (
                <li key={o.file}>
                  <code>{o.file}</code> — {o.description}
                </li>
              ))}
              <li>
                <code>{benchmark.notebook.file}</code> — sections:{' '}
                {benchmark.notebook.sections.map((s) => s.title).join(' · ')}
              </li>
            </ul>
            <details className="block">
              <summary>summary.json schema</summary>
              <pre className="small">
                {JSON.stringify(z.toJSONSchema(benchmark.summarySchema), null, 2)}
              </pre>
            </details>
            <details className="block">
              <summary>Definitions (what the oracle computes)</summary>
              <pre className="small">{JSON.stringify(benchmark.definitions, null, 2)}</pre>
            </details>
          </section>
          <DataPreview benchmark={benchmark} />
        </div>
        <aside className="bench-side" aria-label="Run">
          {consentState !== 'pending' && (
            <RunForm
              key={`${queryText}|${consentState}`}
              benchmark={benchmark}
              initial={initial}
              runner={browserRunner}
            />
          )}
          <GridPanel benchmark={benchmark.id} />
        </aside>
      </div>
    </>
  );
}
