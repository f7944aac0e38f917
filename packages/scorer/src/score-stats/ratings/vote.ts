/**
 * One blind pairwise vote: two runs of the same prompt (`benchmark`) shown side by side, and which
 * one the voter preferred. Votes come from storage, files and links, so every one is parsed here.
 */
import { z } from 'zod';

const SideSchema = z.strictObject({
  run_id: z.string().min(1, 'run_id must not be empty'),
  model: z.string().min(1, 'model must not be empty'),
});

export const VOTE_OUTCOMES = ['left', 'right', 'tie', 'both_bad'] as const;
export type VoteOutcome = (typeof VOTE_OUTCOMES)[number];

export const VoteSchema = z
  .strictObject({
    pair_id: z.string().min(1).optional(),
    /** The prompt's id: both runs answered it. */
    benchmark: z.string().min(1, 'benchmark must not be empty'),
    left: SideSchema,
    right: SideSchema,
    outcome: z.enum(VOTE_OUTCOMES),
    voted_at: z.iso.datetime({ offset: true }),
  })
  .refine((vote) => vote.left.run_id !== vote.right.run_id, {
    message: 'a vote compares two different runs: left and right have the same run_id',
    path: ['right', 'run_id'],
  });

export type Vote = z.infer<typeof VoteSchema>;

/**
 * Throws if two votes disagree about a run: one run is one model's answer to one prompt, so a run id
 * that comes with another model or prompt in a later vote means the votes were mixed up.
 */
export function checkVotesAgree(votes: readonly Vote[]): void {
  const runs = new Map<string, { model: string; benchmark: string; vote: number }>();
  votes.forEach((vote, index) => {
    for (const side of [vote.left, vote.right]) {
      const seen = runs.get(side.run_id);
      if (!seen) {
        runs.set(side.run_id, { model: side.model, benchmark: vote.benchmark, vote: index });
      } else if (seen.model !== side.model || seen.benchmark !== vote.benchmark) {
        throw new Error(
          `invalid vote ${index}: run ${side.run_id} is ${side.model} on ${vote.benchmark} here but ${seen.model} on ${seen.benchmark} in vote ${seen.vote}`,
        );
      }
    }
  });
}

/** Parses untrusted votes; the error names the first bad vote by its index and says what is wrong. */
export function parseVotes(input: unknown): Vote[] {
  const result = z.array(VoteSchema).safeParse(input);
  if (result.success) {
    checkVotesAgree(result.data);
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const [index, ...rest] = issue.path;
  const where = typeof index === 'number' ? `vote ${index}` : 'votes';
  const field = rest.length > 0 ? ` (${rest.join('.')})` : '';
  throw new Error(`invalid ${where}${field}: ${issue.message}`);
}
