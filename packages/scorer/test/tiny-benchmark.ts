import { z } from 'zod';
import { fullSummaryValid, type BenchmarkScoring } from '../src/index.js';

/**
 * A throwaway benchmark for the scorer's own tests: two-column rows, one check. The scorer must score it
 * knowing nothing else about it — the proof that no benchmark's rules live in the scorer.
 */
export const TinyRowSchema = z.strictObject({ id: z.number().int(), value: z.number() });
export type TinyRow = z.infer<typeof TinyRowSchema>;

export const tinyScoring: BenchmarkScoring<TinyRow, { total: number }> = {
  checks: [{ id: 'summary_valid', label: 'summary.json valid', max: 5 }],
  rowSchema: TinyRowSchema,
  computeOracle: (rows) => ({ total: rows.reduce((sum, r) => sum + r.value, 0) }),
  parseOracle: (json) => z.object({ total: z.number() }).parse(json),
  score: async ({ folder }) => ({
    outcomes: {
      summary_valid: fullSummaryValid(folder, z.object({ total: z.number() })),
    },
    notes: [],
    precision: null,
    diagnostics: [],
    counterfactual: null,
  }),
};
