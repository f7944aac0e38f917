import { useState } from 'react';
import { isLoopbackUrl } from '../share/loopback.js';
import { Field } from './Field.js';

const PREVIEW_ROWS = 20;

type Preview =
  | { kind: 'idle' | 'loading' }
  | { kind: 'rows'; rows: Record<string, unknown>[]; total: number | null }
  | { kind: 'error'; message: string };

/**
 * The first rows of a Supabase table, read with supabase-js. Nothing is sent until the user asks;
 * a server off this machine needs a second, explicit "allow". The key stays in this component.
 */
export function SupabasePreview({ table, columns }: { table: string; columns: readonly string[] }) {
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const [allowed, setAllowed] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview>({ kind: 'idle' });
  let host: string | null = null;
  try {
    host = /^https?:$/.test(new URL(url).protocol) ? new URL(url).host : null;
  } catch {
    host = null;
  }
  const needsConsent = host !== null && !isLoopbackUrl(url) && allowed !== host;
  const load = async () => {
    setPreview({ kind: 'loading' });
    try {
      const { createClient } = await import('@supabase/supabase-js');
      const client = createClient(url, key, { auth: { persistSession: false } });
      const { data, error, count } = await client
        .from(table)
        .select('*', { count: 'exact' })
        .order('id')
        .range(0, PREVIEW_ROWS - 1);
      if (error) throw new Error(error.message);
      setPreview({ kind: 'rows', rows: (data ?? []) as Record<string, unknown>[], total: count });
    } catch (error) {
      setPreview({ kind: 'error', message: (error as Error).message });
    }
  };
  return (
    <details className="block supabase-preview">
      <summary>Preview a Supabase table instead</summary>
      <div className="grid-4">
        <Field label="Project URL (preview)">
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
        </Field>
        <Field label="Anon key (preview)" help="Kept in this tab only.">
          <input
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </Field>
      </div>
      {needsConsent ? (
        <p className="notice">
          This sends the anon key to <strong>{host}</strong>, a server off this machine.{' '}
          <button type="button" onClick={() => setAllowed(host)}>
            Allow requests to {host}
          </button>
        </p>
      ) : (
        <button
          type="button"
          disabled={host === null || !key || preview.kind === 'loading'}
          onClick={() => void load()}
        >
          Preview {table}
        </button>
      )}
      {preview.kind === 'error' && (
        <p className="error" role="alert">
          {preview.message}
        </p>
      )}
      {preview.kind === 'rows' && (
        <div className="table-wrap">
          <p className="small muted" data-testid="supabase-preview-count">
            {preview.total === null ? '' : `${preview.total} rows; `}the first {preview.rows.length}
          </p>
          <table className="small">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>{row[c] === null ? '' : String(row[c])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
