import { VoteSchema, type Vote } from '@localds/scorer/score-stats';
import { z } from 'zod';

/**
 * One blind pairwise vote as the page keeps it (IndexedDB store `votes`, and votes.json): the scorer's
 * Vote, unchanged, plus the record's id (what import merges on) and when it was stored.
 */
const RecordFieldsSchema = z.looseObject({
  id: z.string().min(1, 'id must not be empty'),
  createdAt: z.iso.datetime({ offset: true }),
});

export const VoteRecordSchema = RecordFieldsSchema.transform((value, ctx): VoteRecord => {
  const { id, createdAt, ...vote } = value;
  const parsed = VoteSchema.safeParse(vote);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
    return z.NEVER;
  }
  return { id, createdAt, ...parsed.data };
});

export type VoteRecord = Vote & { id: string; createdAt: string };

/** The scorer's Vote of a record (what fitRatings and parseVotes take). */
export function voteOf({ id: _id, createdAt: _createdAt, ...vote }: VoteRecord): Vote {
  return vote;
}

/**
 * The pair a vote judged, whatever the sides: the two run ids in order. Two votes on one pair in one
 * browser would be the same judgement counted twice, so the arena never offers a pair with a vote.
 */
export function pairKey(runA: string, runB: string): string {
  return JSON.stringify(runA < runB ? [runA, runB] : [runB, runA]);
}

/**
 * Votes in the order the ratings are fitted from: oldest first, by vote time, then id. The bootstrap
 * resamples votes by position, so one canonical order makes the same votes give the same intervals
 * in every browser, whatever order the store or a votes.json lists them in.
 */
export function votesInFitOrder(records: readonly VoteRecord[]): Vote[] {
  return [...records]
    .sort((a, b) => a.voted_at.localeCompare(b.voted_at) || a.id.localeCompare(b.id))
    .map(voteOf);
}
