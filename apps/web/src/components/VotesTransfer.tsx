import { strToU8 } from 'fflate';
import { useState } from 'react';
import { parseVotesFile, VOTES_FILE, votesFileText } from '../arena/votes-file.js';
import { download } from '../runs/export.js';
import type { VoteRecord } from '../storage/vote-record.js';
import { mergeVotes } from '../storage/votes-db.js';

/** Export this browser's votes as votes.json, and import one (merged by vote id, never duplicated). */
export function VotesTransfer({
  votes,
  onImported,
}: {
  votes: VoteRecord[];
  onImported: () => void;
}) {
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const importFile = async (file: File) => {
    try {
      const merged = await mergeVotes(parseVotesFile(await file.text()));
      setOutcome({
        ok: true,
        text: `${file.name}: ${merged.added} vote(s) added, ${merged.alreadyHere} already in this browser.`,
      });
      onImported();
    } catch (error) {
      setOutcome({ ok: false, text: `${file.name} was not imported: ${(error as Error).message}` });
    }
  };

  return (
    <div className="votes-transfer">
      <div className="actions">
        <button
          type="button"
          disabled={votes.length === 0}
          onClick={() => download(VOTES_FILE, strToU8(votesFileText(votes)), 'application/json')}
        >
          Export {VOTES_FILE} ({votes.length} vote{votes.length === 1 ? '' : 's'})
        </button>
        <label className="file-pick">
          Import {VOTES_FILE}
          <input
            type="file"
            accept=".json,application/json"
            data-testid="import-votes"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
        </label>
      </div>
      {outcome && (
        <p
          className={outcome.ok ? undefined : 'error'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="votes-import-outcome"
        >
          {outcome.text}
        </p>
      )}
    </div>
  );
}
