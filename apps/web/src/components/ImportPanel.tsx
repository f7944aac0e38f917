import { benchmarks, getBenchmark } from '@localds/benchmarks';
import { useState } from 'react';
import { groupRunFolders, readPickedFiles, type PickedSelection } from '../runs/files.js';
import { importRunFolder } from '../runs/import-run.js';
import { scoreSummary } from '../runs/score-text.js';
import { saveImportedRun } from '../storage/runs-db.js';
import { saveImportedVisualRun } from '../storage/visual-runs-db.js';
import { isVisualFolder } from '../visual/visual-folder.js';
import { visualScoreText } from './VisualChecks.js';
import { Field } from './Field.js';

type Outcome =
  | { folder: string; ok: true; href: string; label: string; warnings: string[] }
  | { folder: string; ok: false; error: string };

/** A visual run folder (run.json of kind "visual"): read, scored here, saved under its identity. */
async function importVisual(
  files: ReadonlyMap<string, Uint8Array>,
): Promise<Omit<Extract<Outcome, { ok: true }>, 'folder'>> {
  const { importVisualRunFolder } = await import('../visual/visual-import.js');
  const { record, warnings } = importVisualRunFolder(files);
  const saved = await saveImportedVisualRun(record);
  if (saved.updated) {
    warnings.unshift(
      `visual run ${record.runId} of ${record.model.name} was already here: its record was updated, not duplicated`,
    );
  }
  return {
    ok: true,
    href: `#/visual-runs/${encodeURIComponent(saved.id)}`,
    label: `${record.model.name} on ${record.benchmark.id} (visual): ${visualScoreText(record.score)}`,
    warnings,
  };
}

/** A votes.json (the arena's votes, e.g. beside a visual run in its export zip): merged by vote id. */
async function importVotes(
  bytes: Uint8Array,
): Promise<Omit<Extract<Outcome, { ok: true }>, 'folder'>> {
  const [{ parseVotesFile }, { mergeVotes }] = await Promise.all([
    import('../arena/votes-file.js'),
    import('../storage/votes-db.js'),
  ]);
  const merged = await mergeVotes(parseVotesFile(new TextDecoder().decode(bytes)));
  return {
    ok: true,
    href: '#/arena',
    label: `${merged.added} vote(s) added, ${merged.alreadyHere} already in this browser`,
    warnings: [],
  };
}

/** Takes the picked votes.json files out of the selection: they are votes, not part of a run folder. */
function takeVotesFiles(picked: PickedSelection): [string, Uint8Array][] {
  const votes = [...picked.files].filter(([path]) => path.split('/').pop() === 'votes.json');
  for (const [path] of votes) picked.files.delete(path);
  return votes;
}

/**
 * Imports run folders (folder picker, several files, or zips), including the article harness's
 * folders. Each is scored as everywhere else (full mode when run.json has a trace, else compat):
 * against its own data snapshot when run.json has one, else against the chosen scenario.
 * supabase.json is dropped and keys are redacted. A run already in history is updated, not duplicated.
 */
export function ImportPanel({ onImported }: { onImported?: () => void }) {
  const [benchmarkId, setBenchmarkId] = useState(benchmarks[0]!.id);
  const benchmark = getBenchmark(benchmarkId);
  const [scenario, setScenario] = useState(benchmark.dataset.defaultScenario);
  const [seed, setSeed] = useState('');
  const [modelName, setModelName] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const seedValid = seed === '' || /^\d{1,9}$/.test(seed);

  async function importFiles(list: FileList | null) {
    if (!list?.length || !seedValid) return;
    setBusy(true);
    const results: Outcome[] = [];
    try {
      const picked = await readPickedFiles(list);
      for (const [path, bytes] of takeVotesFiles(picked)) {
        try {
          results.push({ folder: path, ...(await importVotes(bytes)) });
        } catch (error) {
          const reason = (error as Error).message;
          results.push({ folder: path, ok: false, error: `not imported: ${reason}` });
        }
      }
      const groups = groupRunFolders(picked);
      if (!groups.size && !results.length) {
        results.push({
          folder: '(selection)',
          ok: false,
          error: 'no run folder found: no summary.json, analysis.ipynb or run.json',
        });
      }
      for (const [folder, { files, refused }] of groups) {
        try {
          if (isVisualFolder(files)) {
            results.push({ folder: folder || '(top level)', ...(await importVisual(files)) });
            continue;
          }
          const { record, warnings } = await importRunFolder(
            files,
            folder,
            {
              benchmarkId,
              scenario,
              seed: seed === '' ? null : Number(seed),
              modelName: modelName || undefined,
            },
            refused,
          );
          const saved = await saveImportedRun(record);
          if (saved.updated) {
            warnings.unshift(
              `run ${record.runId} of ${record.model.name} was already in history: its record was updated, not duplicated`,
            );
          }
          results.push({
            folder: folder || '(top level)',
            ok: true,
            href: `#/runs/${saved.id}`,
            label: `${record.model.name}: ${record.scorecard ? scoreSummary(record.scorecard) : 'not scored'}`,
            warnings,
          });
        } catch (error) {
          results.push({
            folder: folder || '(top level)',
            ok: false,
            error: (error as Error).message,
          });
        }
      }
    } catch (error) {
      results.push({ folder: '(selection)', ok: false, error: (error as Error).message });
    }
    setOutcomes(results);
    setBusy(false);
    onImported?.();
  }

  const picker = (label: string, extra: Record<string, unknown>, testId: string) => (
    <label className="file-pick">
      {label}
      <input
        type="file"
        data-testid={testId}
        disabled={busy || !seedValid}
        onChange={(e) => {
          void importFiles(e.target.files);
          e.target.value = '';
        }}
        {...extra}
      />
    </label>
  );

  return (
    <section className="import" aria-labelledby="import-title">
      <h2 id="import-title">Import runs</h2>
      <p className="small">
        A run folder (<code>analysis.ipynb</code>, <code>summary.json</code>, charts, optionally{' '}
        <code>run.json</code>; the article harness&rsquo;s <code>metadata.json</code>,{' '}
        <code>prompt.md</code>, <code>response.raw.txt</code> are kept, <code>supabase.json</code>{' '}
        is dropped) or a zip of one or more. Scored in full mode when <code>run.json</code> has a
        trace, else in compat mode; keys are redacted. A visual run folder (<code>run.json</code> of
        kind <code>visual</code>, <code>index.html</code>, <code>observation.json</code>) is
        recognised by itself and scored by the visual checks; a <code>votes.json</code> (the
        arena&rsquo;s votes, exported with a visual run) is merged with this browser&rsquo;s votes.
      </p>
      <div className="grid-4">
        <Field label="Benchmark">
          <select value={benchmarkId} onChange={(e) => setBenchmarkId(e.target.value)}>
            {benchmarks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Oracle scenario" help="used when run.json has no data snapshot">
          <select value={scenario} onChange={(e) => setScenario(e.target.value)}>
            {benchmark.dataset.scenarios.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field
          label="Scenario seed"
          help="empty: the scenario's own"
          error={seedValid ? undefined : 'a whole number'}
        >
          <input
            inputMode="numeric"
            value={seed}
            onChange={(e) => setSeed(e.target.value.trim())}
          />
        </Field>
        <Field
          label="Model name (optional)"
          help="otherwise from run.json, metadata.json or the folder path"
        >
          <input value={modelName} onChange={(e) => setModelName(e.target.value)} />
        </Field>
      </div>
      <div className="actions">
        {picker('Choose a folder…', { webkitdirectory: '', multiple: true }, 'import-folder')}
        {picker('Choose files…', { multiple: true }, 'import-files')}
        {picker('Choose a zip…', { accept: '.zip,application/zip' }, 'import-zip')}
      </div>
      <div role="status" aria-live="polite">
        {busy && <p>Scoring…</p>}
        {outcomes.length > 0 && (
          <ul className="outcomes">
            {outcomes.map((o, i) =>
              o.ok ? (
                <li key={i}>
                  ✓ <span className="mono small">{o.folder}</span>: <a href={o.href}>{o.label}</a>
                  {o.warnings.map((w) => (
                    <p key={w} className="notice" role="note" data-testid="import-warning">
                      {w}
                    </p>
                  ))}
                </li>
              ) : (
                <li key={i} className="field-error">
                  ✗ <span className="mono small">{o.folder}</span>: {o.error}
                </li>
              ),
            )}
          </ul>
        )}
      </div>
    </section>
  );
}
