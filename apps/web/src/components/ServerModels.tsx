import { useState } from 'react';

/** Asks an OpenAI-compatible server for its /models; the adapter's error code picks the hint. */
export function ServerModels({
  endpoint,
  apiKey,
  onPick,
}: {
  endpoint: string;
  apiKey: string;
  onPick: (model: string) => void;
}) {
  const [state, setState] = useState<
    | { kind: 'idle' | 'asking' }
    | { kind: 'models'; models: string[] }
    | { kind: 'error'; code: string; message: string }
  >({ kind: 'idle' });
  const ask = () => {
    setState({ kind: 'asking' });
    void import('../runs/server-models.js')
      .then((m) => m.serverModels(endpoint, apiKey))
      .then((r) => setState(r.ok ? { kind: 'models', models: r.models } : { kind: 'error', ...r }));
  };
  return (
    <div className="server-models">
      <button type="button" onClick={ask} disabled={state.kind === 'asking'}>
        {state.kind === 'asking' ? 'Asking the server…' : 'List the server’s models'}
      </button>
      {state.kind === 'models' &&
        (state.models.length ? (
          <ul className="small" data-testid="server-models">
            {state.models.map((m) => (
              <li key={m}>
                <button type="button" className="link" onClick={() => onPick(m)}>
                  {m}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">The server lists no models.</p>
        ))}
      {state.kind === 'error' && (
        <p className="error small" role="alert" data-error-code={state.code}>
          {state.message}
        </p>
      )}
    </div>
  );
}
