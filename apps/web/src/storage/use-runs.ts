import { useCallback, useEffect, useState } from 'react';
import { listRuns, type RunList } from './runs-db.js';

export type RunsState =
  { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; list: RunList };

/** Every stored run (validated), with a reload for after an import or delete. */
export function useRuns(): [RunsState, () => void] {
  const [state, setState] = useState<RunsState>({ status: 'loading' });
  const reload = useCallback(() => {
    listRuns().then(
      (list) => setState({ status: 'ready', list }),
      (error: Error) =>
        setState({
          status: 'error',
          error: `This browser's run store could not be read: ${error.message}`,
        }),
    );
  }, []);
  useEffect(reload, [reload]);
  return [state, reload];
}
