import { parseVotes } from '@localds/scorer/score-stats';
import { z } from 'zod';
import { VoteRecordSchema, voteOf, type VoteRecord } from '../storage/vote-record.js';

/**
 * votes.json: this browser's votes, to keep or move to another browser. Each entry is the scorer's
 * Vote (packages/scorer, the format the ratings are fitted from) plus the record's id and date;
 * importing merges by id, so a file imported twice adds nothing the second time.
 */
export const VOTES_FILE = 'votes.json';

const VotesFileSchema = z.object({
  kind: z.literal('localds-votes'),
  v: z.literal(1),
  votes: z.array(z.unknown()),
});

export function votesFileText(votes: readonly VoteRecord[]): string {
  return JSON.stringify({ kind: 'localds-votes', v: 1, votes }, null, 1) + '\n';
}

/** The votes of a votes.json text; throws an Error that names the first problem (the caller names the file). */
export function parseVotesFile(text: string): VoteRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`it is not JSON (${(error as Error).message})`, { cause: error });
  }
  const file = VotesFileSchema.safeParse(json);
  if (!file.success) {
    const issue = file.error.issues[0]!;
    throw new Error(
      `it is not a localds votes file (${issue.path.join('.') || '(root)'}: ${issue.message})`,
    );
  }
  const records: VoteRecord[] = [];
  file.data.votes.forEach((value, index) => {
    const parsed = VoteRecordSchema.safeParse(value);
    if (parsed.success) {
      records.push(parsed.data);
      return;
    }
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new Error(`invalid vote ${index}${field}: ${issue.message}`);
  });
  // The scorer's own check over the whole file: no run id with two models or prompts.
  parseVotes(records.map(voteOf));
  return records;
}
