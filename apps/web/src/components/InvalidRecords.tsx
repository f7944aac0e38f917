import type { InvalidRecord } from '../storage/runs-db.js';
import { ErrorBox } from './Status.js';

/** Stored records that no longer parse, as History lists runs: with what is wrong, never dropped silently. */
export function InvalidRecords({ what, records }: { what: string; records: InvalidRecord[] }) {
  if (!records.length) return null;
  return (
    <ErrorBox title={`${records.length} stored ${what} could not be read and are not used`}>
      <ul className="small" data-testid={`invalid-${what.replace(/\W+/g, '-')}`}>
        {records.map((r) => (
          <li key={r.id}>
            <span className="mono">{r.id}</span>: {r.problem}
          </li>
        ))}
      </ul>
    </ErrorBox>
  );
}
