import { useCallback, useEffect, useState } from 'react';
import { listVisualRuns, type VisualRunList } from './visual-runs-db.js';

export type VisualRunsState =
  | { status: 'loading' }
  | { status: 'error'; error: string }
  | { status: 'ready'; list: VisualRunList };

/** Every stored visual run (validated), with a reload for after an import or delete. */
export function useVisualRuns(): [VisualRunsState, () => void] {
  const [state, setState] = useState<VisualRunsState>({ status: 'loading' });
  const reload = useCallback(() => {
    listVisualRuns().then(
      (list) => setState({ status: 'ready', list }),
      (error: Error) =>
        setState({
          status: 'error',
          error: `This browser's visual run store could not be read: ${error.message}`,
        }),
    );
  }, []);
  useEffect(reload, [reload]);
  return [state, reload];
}
