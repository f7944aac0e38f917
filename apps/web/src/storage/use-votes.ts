import { useCallback, useEffect, useState } from 'react';
import { listVisualRuns, type VisualRunList } from './visual-runs-db.js';
import { listVotes, type VoteList } from './votes-db.js';

export type ArenaData = { visual: VisualRunList; votes: VoteList };

export type ArenaState =
  { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; data: ArenaData };

/** Every stored visual run and vote (validated), with a reload for after a vote or an import. */
export function useArenaData(): [ArenaState, () => Promise<void>] {
  const [state, setState] = useState<ArenaState>({ status: 'loading' });
  const reload = useCallback(
    () =>
      Promise.all([listVisualRuns(), listVotes()]).then(
        ([visual, votes]) => setState({ status: 'ready', data: { visual, votes } }),
        (error: Error) =>
          setState({
            status: 'error',
            error: `This browser's visual runs and votes could not be read: ${error.message}`,
          }),
      ),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  return [state, reload];
}
