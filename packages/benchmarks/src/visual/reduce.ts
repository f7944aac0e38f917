import { z } from 'zod';
import { ObservationSchema, type Observation, type ProbeSample } from './observation.js';
import { ProbeMessageSchema } from './probe/messages.js';

/**
 * From what the frame host collected (./host.ts) to an Observation. The host's result crossed a boundary
 * (Playwright's page.evaluate, or a page that may have been tampered with) and every probe message came
 * from a window the model's code shares, so each is validated here; one that fails is counted as forged
 * and never used.
 */

const RawFrameRunSchema = z.object({
  messages: z.array(z.object({ atMs: z.number(), data: z.unknown() })).max(1000),
  forged: z.number().int().nonnegative(),
  dropped: z.number().int().nonnegative(),
  hung: z.boolean(),
  hungAtMs: z.number().nullable(),
  resizedAtMs: z.number().nonnegative().nullable(),
  pageViolations: z
    .array(z.object({ url: z.string().max(500), via: z.string().max(100) }))
    .max(100),
  durationMs: z.number().positive(),
  kept: z.boolean(),
});

export interface ObservationMeta {
  renderer: Observation['renderer'];
  /** The token the srcdoc was built with: a message signed with any other is forged. */
  token: string;
  fileBytes: number;
  /** Node: requests refused by Playwright's routing. */
  blockedRequests?: Observation['blockedRequests'];
  /** Node: screenshots reduced to which differed from the one before. */
  screenshots?: Observation['screenshots'];
  /** The harness failed (set by the renderer): nothing observed is the model's. */
  environmentError?: string | null;
}

const MAX_SAMPLES = 60;

/** The Observation of one render, from the host's raw result. */
export function observationOf(raw: unknown, meta: ObservationMeta): Observation {
  const parsed = RawFrameRunSchema.safeParse(raw);
  const base = {
    renderer: meta.renderer,
    fileBytes: meta.fileBytes,
    screenshots: meta.screenshots ?? null,
  };
  if (!parsed.success) {
    return ObservationSchema.parse({
      ...base,
      probeReady: false,
      firstFrameMs: null,
      samples: [],
      resizedAtMs: null,
      scriptErrors: [],
      blockedRequests: (meta.blockedRequests ?? []).slice(0, 100),
      forgedMessages: 0,
      hung: false,
      environmentError:
        meta.environmentError ??
        `the frame host returned an unreadable result: ${z.prettifyError(parsed.error).slice(0, 300)}`,
    });
  }
  const run = parsed.data;
  let forged = run.forged;
  let probeReady = false;
  let startViewport: { width: number; height: number } | null = null;
  let firstFrameMs: number | null = null;
  const samples: ProbeSample[] = [];
  const scriptErrors: string[] = [];
  const blocked: Observation['blockedRequests'] = [...(meta.blockedRequests ?? [])];
  for (const m of run.pageViolations) blocked.push(m);

  for (const { data } of run.messages) {
    const message = ProbeMessageSchema.safeParse(data);
    if (!message.success || message.data.token !== meta.token) {
      forged++;
      continue;
    }
    const msg = message.data;
    switch (msg.kind) {
      case 'ready':
        probeReady = true;
        startViewport ??= msg.body.viewport;
        break;
      case 'first-frame':
        firstFrameMs ??= msg.body.t;
        break;
      case 'sample':
        if (samples.length < MAX_SAMPLES) samples.push(msg.body.sample);
        break;
      case 'error':
        scriptErrors.push(msg.body.message);
        break;
      case 'violation':
        blocked.push({ url: msg.body.url, via: `csp ${msg.body.directive}`.slice(0, 100) });
        break;
      case 'pong':
        break;
    }
  }
  samples.sort((a, b) => a.t - b.t);
  // A probe that never reported from a frame that did not hang: the frame never loaded, which is the
  // harness's failure (the probe runs before any of the file's code), not the model's.
  const silent = !probeReady && !run.hung;
  // The probe runs before the file's code, so a frame with no size then was not laid out yet: the
  // harness's race, and a file that sizes its canvas from innerWidth at load would look frozen.
  const unsized =
    startViewport && (startViewport.width <= 0 || startViewport.height <= 0) ? startViewport : null;
  return ObservationSchema.parse({
    ...base,
    probeReady,
    firstFrameMs,
    samples,
    resizedAtMs: run.resizedAtMs,
    scriptErrors: dedupe(scriptErrors).slice(0, 50),
    blockedRequests: blocked.slice(0, 100),
    forgedMessages: forged,
    hung: run.hung,
    environmentError:
      meta.environmentError ??
      (silent
        ? 'the probe never reported: the frame did not load (a harness failure)'
        : unsized
          ? `the frame had no size (${unsized.width}×${unsized.height}) when the file's code started: it was not laid out yet (a harness failure)`
          : null),
  });
}

/** The same error repeated every frame is one error, with its count. */
function dedupe(errors: string[]): string[] {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts].map(([e, n]) => (n > 1 ? `${e} (×${n})`.slice(0, 500) : e));
}
