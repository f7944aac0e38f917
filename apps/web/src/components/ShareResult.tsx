import { useState } from 'react';
import { resultLink } from '../share/result-link.js';
import type { RunRecord } from '../storage/run-record.js';
import { LinkField } from './LinkField.js';

/** Makes a `#/shared/…` link of a run's scorecard, figures and small charts. */
export function ShareResult({ run }: { run: RunRecord }) {
  const [state, setState] = useState<{
    link?: string;
    note?: string | null;
    error?: string;
  } | null>(null);
  const make = () => {
    resultLink(run).then(
      ({ fragment, note }) => {
        const url = new URL(location.href);
        url.hash = fragment.slice(1);
        setState({ link: url.href, note });
      },
      (e: Error) => setState({ error: e.message }),
    );
  };
  return (
    <div className="share">
      <button type="button" onClick={make} disabled={!run.scorecard}>
        Make a result link
      </button>
      {state?.link && (
        <LinkField
          label={`Result link (${Math.ceil(state.link.length / 1024)} KB; no keys, no data rows)`}
          help={state.note ?? undefined}
          value={state.link}
          testId="result-link"
        />
      )}
      {state?.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}
