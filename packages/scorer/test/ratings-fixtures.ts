/** The recorded vote sets and reference ratings of scripts/generate_rating_fixtures.py. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { VoteSchema } from '../src/score-stats/index.js';

const count = z.number().int().nonnegative();
const ExpectedFitSchema = z.object({
  groups: z.array(
    z.object({
      models: z.array(
        z.object({
          model: z.string(),
          rating: z.number(),
          fitted: count,
          wins: count,
          losses: count,
          ties: count,
          bothBad: count,
          sameModel: count,
        }),
      ),
      fitted: count,
      max_abs_gradient: z.number(),
    }),
  ),
  unrated: z.array(z.string()),
  votes: z.object({ total: count, fitted: count, bothBad: count, sameModel: count }),
});
export type ExpectedFit = z.infer<typeof ExpectedFitSchema>;

const RatingFixturesSchema = z.object({
  generator: z.object({ script: z.string(), numpy: z.string(), scipy: z.string() }),
  cases: z.array(
    z.object({
      name: z.string(),
      votes: z.array(VoteSchema),
      expected: z.object({
        overall: ExpectedFitSchema,
        benchmarks: z.record(z.string(), ExpectedFitSchema),
      }),
    }),
  ),
});

export const ratingFixtures = RatingFixturesSchema.parse(
  JSON.parse(
    readFileSync(new URL('../fixtures/ratings/ratings.json', import.meta.url), 'utf8'),
  ) as unknown,
);

export function ratingCase(name: string) {
  const found = ratingFixtures.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no rating fixture named ${name}`);
  return found;
}
