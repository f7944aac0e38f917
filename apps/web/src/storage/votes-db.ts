import { checkVotesAgree } from '@localds/scorer/score-stats';
import { recordProblem } from './run-record.js';
import { db, type InvalidRecord } from './runs-db.js';
import { VoteRecordSchema, voteOf, type VoteRecord } from './vote-record.js';

export interface VoteList {
  votes: VoteRecord[];
  invalid: InvalidRecord[];
}

/** Saves a vote; validated first so the store never holds a malformed one. */
export async function saveVote(record: VoteRecord): Promise<void> {
  const parsed = VoteRecordSchema.safeParse(record);
  if (!parsed.success) throw new Error(`vote not saved: ${recordProblem(parsed.error)}`);
  await (await db()).put('votes', parsed.data);
}

/** All votes, newest first; a record that does not parse is reported, never dropped silently. */
export async function listVotes(): Promise<VoteList> {
  const values = await (await db()).getAllFromIndex('votes', 'createdAt');
  const votes: VoteRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const value of values.reverse()) {
    const parsed = VoteRecordSchema.safeParse(value);
    if (parsed.success) votes.push(parsed.data);
    else {
      const id = (value as { id?: unknown }).id;
      invalid.push({ id: String(id), problem: recordProblem(parsed.error) });
    }
  }
  return { votes, invalid };
}

export interface VotesMerge {
  added: number;
  /** Votes whose id is already stored: the stored one is kept, nothing is duplicated. */
  alreadyHere: number;
}

/**
 * Adds votes (already validated, e.g. from votes.json) under their ids: a vote whose id is stored
 * is skipped. The whole merge is refused if it would make the stored votes disagree about a run
 * (one run id with two models or prompts), which means the votes were mixed up.
 */
export async function mergeVotes(incoming: readonly VoteRecord[]): Promise<VotesMerge> {
  const database = await db();
  const { votes: stored } = await listVotes();
  const known = new Set(stored.map((v) => v.id));
  const fresh: VoteRecord[] = [];
  for (const vote of incoming) {
    if (known.has(vote.id)) continue;
    known.add(vote.id);
    fresh.push(vote);
  }
  const all = [...stored, ...fresh];
  try {
    checkVotesAgree(all.map(voteOf));
  } catch (error) {
    // The scorer names votes by their place in the list it was given; name them by id instead.
    const message = (error as Error).message.replace(
      /\bvote (\d+)/g,
      (_, index: string) => `vote ${all[Number(index)]?.id ?? index}`,
    );
    throw new Error(
      `these votes contradict the votes in this browser, nothing was imported: ${message}`,
      { cause: error },
    );
  }
  const tx = database.transaction('votes', 'readwrite');
  await Promise.all([...fresh.map((vote) => tx.store.put(vote)), tx.done]);
  return { added: fresh.length, alreadyHere: incoming.length - fresh.length };
}
