import { z } from 'zod';
import { ProbeSampleSchema } from '../observation.js';

/**
 * The probe's messages to the host (see ./probe-script.ts), as the reducer accepts them. Anything else
 * the host passed on — a different shape, a wrong token, an oversized string — is a forgery.
 */
const Time = z.number().nonnegative().max(3_600_000);

export const ProbeMessageSchema = z
  .object({
    localds: z.literal('probe'),
    token: z.string().min(8).max(128),
  })
  .and(
    z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('ready'),
        body: z
          .object({
            t: Time,
            viewport: ProbeSampleSchema.shape.viewport.strict(),
          })
          .strict(),
      }),
      z.object({ kind: z.literal('first-frame'), body: z.object({ t: Time }).strict() }),
      z.object({
        kind: z.literal('sample'),
        body: z.object({ sample: ProbeSampleSchema.strict() }).strict(),
      }),
      z.object({
        kind: z.literal('error'),
        body: z.object({ t: Time, message: z.string().max(500) }).strict(),
      }),
      z.object({
        kind: z.literal('violation'),
        body: z
          .object({ t: Time, url: z.string().max(500), directive: z.string().max(100) })
          .strict(),
      }),
      z.object({
        kind: z.literal('pong'),
        body: z.object({ n: z.number().int().nonnegative() }).strict(),
      }),
    ]),
  );
export type ProbeMessage = z.infer<typeof ProbeMessageSchema>;
