import { z } from 'zod';
import type { VisualRequirement } from './definition.js';

/**
 * What a render of one file saw: the contract between the renderers (the page's sandboxed iframe, the
 * CLI's Playwright-driven Chromium) and the checks. Both renderers run the same probe in the same frame
 * host and reduce its messages to this with the same code, so one file has one score wherever it is
 * rendered. Stored as observation.json in a visual run folder and in the page's visual run records.
 */

/** One probe sample (every `sampleEveryMs`), reduced to what the checks need. */
export const ProbeSampleSchema = z.object({
  /** ms since the frame started loading. */
  t: z.number().nonnegative(),
  /** animation frames seen so far. */
  frames: z.number().int().nonnegative(),
  /** A fingerprint of what is on screen (canvas pixels, element boxes, running animations). */
  fingerprint: z.string().max(128),
  viewport: z.object({ width: z.number(), height: z.number() }),
  /** Fraction of the viewport covered by the largest visible element (canvas, svg or the painted root). */
  coverage: z.number().min(0).max(1),
  /** Per requirement id: what was found (element count, or the declared count; area fraction for canvas-or-svg). */
  requirements: z.record(z.string(), z.number()),
});
export type ProbeSample = z.infer<typeof ProbeSampleSchema>;

export const ObservationSchema = z.object({
  /** The renderer ('page' | 'node') and the browser's user agent, for the record. */
  renderer: z.object({ kind: z.enum(['page', 'node']), userAgent: z.string() }),
  fileBytes: z.number().int().nonnegative(),
  /** The probe answered at all (a file that hangs its main thread never lets it). */
  probeReady: z.boolean(),
  /** ms from load start to the first animation frame; null if none came. */
  firstFrameMs: z.number().nonnegative().nullable(),
  samples: z.array(ProbeSampleSchema),
  /** The resize the host made midway, and samples after it are in `samples` with the new viewport. */
  resizedAtMs: z.number().nonnegative().nullable(),
  /** Uncaught errors and unhandled rejections, message and location, capped. */
  scriptErrors: z.array(z.string().max(500)).max(50),
  /** Requests the file tried: CSP violations seen by the probe, and (Node) requests refused by routing. */
  blockedRequests: z
    .array(z.object({ url: z.string().max(500), via: z.string().max(100) }))
    .max(100),
  /** Messages that claimed to be the probe but were not (wrong source or token): a hostile file's forgeries. */
  forgedMessages: z.number().int().nonnegative(),
  /** The frame stopped answering and was torn down (an infinite loop, a memory bomb). */
  hung: z.boolean(),
  /** Node only: screenshots every 0.5 s for 5 s, reduced to how many differed from the one before. */
  screenshots: z.object({ count: z.number().int(), changed: z.array(z.boolean()) }).nullable(),
  /** A harness failure (Chromium missing, the renderer crashed): nothing here is the model's. */
  environmentError: z.string().nullable(),
});
export type Observation = z.infer<typeof ObservationSchema>;

/** Renders one file and says what it saw. The page and the CLI each implement this around the shared probe host. */
export interface VisualRenderer {
  /**
   * Optional: starts whatever the renderer needs (the CLI's Chromium) so that a broken environment
   * shows before the model is asked anything; throws a message saying what is missing.
   */
  prepare?(signal?: AbortSignal): Promise<void>;
  render(
    html: string,
    options: { requirements: readonly VisualRequirement[]; signal?: AbortSignal },
  ): Promise<{
    observation: Observation;
    /** PNG screenshots (Node only), for the contact sheet and the animated preview. */
    frames?: Uint8Array[];
  }>;
  close(): Promise<void>;
}
