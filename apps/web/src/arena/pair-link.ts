import { redactSecrets } from '@localds/scorer';
import { z } from 'zod';
import { decodePayload, encodePayload } from '../share/codec.js';
import type { Contestant } from './contestant.js';

/**
 * A pair link (`#/arena/pair/<payload>`): two runs of one prompt to vote on in any browser, carried
 * whole in the fragment (both files, compressed, with the codec's SHA-256 integrity check, like result
 * links). The models travel too, so the vote can reveal them; the page hides them until then. Never a
 * key: every string is passed through redactSecrets.
 */
const ContestantSchema = z.strictObject({
  runId: z.string().min(1),
  model: z.string().min(1),
  scripted: z.boolean(),
  html: z.string().min(1),
});

export const SharedPairSchema = z
  .strictObject({
    kind: z.literal('localds-pair'),
    v: z.literal(1),
    benchmark: z.strictObject({ id: z.string().min(1), version: z.string() }),
    runs: z.tuple([ContestantSchema, ContestantSchema]),
  })
  .refine((pair) => pair.runs[0].runId !== pair.runs[1].runId, {
    message: 'a pair is two different runs',
    path: ['runs', 1, 'runId'],
  });
export type SharedPair = z.infer<typeof SharedPairSchema>;

export const PAIR_ROUTE = '#/arena/pair/';

/** The `#/arena/pair/…` fragment for two runs; throws PayloadError when the files do not fit a link. */
export async function pairLinkFragment(
  benchmark: { id: string; version: string },
  a: Contestant,
  b: Contestant,
): Promise<string> {
  const pair: SharedPair = { kind: 'localds-pair', v: 1, benchmark, runs: [a, b] };
  const redacted = JSON.parse(redactSecrets(JSON.stringify(pair))) as SharedPair;
  return PAIR_ROUTE + (await encodePayload(redacted));
}

/** Decodes, integrity-checks and validates a pair link's payload; every failure is a PayloadError. */
export function openPairLink(payload: string): Promise<SharedPair> {
  return decodePayload(payload, SharedPairSchema);
}
