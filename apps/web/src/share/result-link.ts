import { redactSecrets, ScorecardSchema } from '@localds/scorer';
import { z } from 'zod';
import { recordScenario } from '../runs/comparability.js';
import {
  FiguresSchema,
  LegacyFiguresSchema,
  upgradeFigures,
  type RunRecord,
} from '../storage/run-record.js';
import { toBase64 } from './base64.js';
import { decodePayload, encodePayload, PayloadError } from './codec.js';

/**
 * What a result link carries: the scorecard, the run's and the oracle's figures and small charts.
 * Never raw data rows, never the notebook, never a key.
 */
export const SharedChartSchema = z.object({
  name: z.string().regex(/^[\w.-]+\.png$/),
  /** base64 PNG, downscaled to fit the link. */
  png: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

/** v2: figures in every benchmark's shape. A v1 link (the A/B figures) still opens: read as v2. */
const SharedResultV2Schema = z.object({
  kind: z.literal('localds-result'),
  v: z.literal(2),
  runId: z.string(),
  benchmark: z.object({ id: z.string(), version: z.string() }),
  model: z.object({ name: z.string(), provider: z.string() }),
  scripted: z.boolean(),
  scenario: z.string().nullable(),
  /** Absent in links made before it was carried. */
  seed: z.number().int().nullable().optional(),
  scorecard: ScorecardSchema,
  reported: FiguresSchema.nullable(),
  oracle: FiguresSchema,
  charts: z.array(SharedChartSchema).max(6),
  /** Set when charts had to be left out to fit the cap. */
  chartsOmitted: z.boolean(),
});

const SharedResultV1Schema = SharedResultV2Schema.extend({
  v: z.literal(1),
  reported: LegacyFiguresSchema.nullable(),
  oracle: LegacyFiguresSchema,
}).transform((link): SharedResult => ({
  ...link,
  v: 2,
  reported: link.reported && FiguresSchema.parse(upgradeFigures(link.reported)),
  oracle: FiguresSchema.parse(upgradeFigures(link.oracle)),
}));

export const SharedResultSchema = z.union([SharedResultV2Schema, SharedResultV1Schema]);
export type SharedResult = z.infer<typeof SharedResultV2Schema>;

/** Deep copy with every string passed through redactSecrets (belt and braces: records are redacted). */
function redactDeep<T>(value: T): T {
  return JSON.parse(redactSecrets(JSON.stringify(value))) as T;
}

/** A PNG redrawn at most `maxWidth` wide (keeps small images as they are). */
async function downscalePng(bytes: Uint8Array, maxWidth: number): Promise<string> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: 'image/png' }));
  if (bitmap.width <= maxWidth) return toBase64(bytes);
  const scale = maxWidth / bitmap.width;
  const canvas = document.createElement('canvas');
  canvas.width = maxWidth;
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('could not re-encode a chart');
  return toBase64(new Uint8Array(await blob.arrayBuffer()));
}

export function chartFiles(run: RunRecord): [string, Uint8Array][] {
  return Object.entries(run.files)
    .filter(([path]) => !path.includes('/') && path.endsWith('.png'))
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Widths tried for the charts, largest first; the last resort is a link without charts. */
const CHART_WIDTHS = [640, 420, 280, 180];

/** The `#/shared/<payload>` fragment for a run; charts shrink until the link fits the cap. */
export async function resultLink(
  run: RunRecord,
): Promise<{ fragment: string; note: string | null }> {
  if (!run.scorecard) throw new Error('this run has no scorecard to share');
  const base: Omit<SharedResult, 'charts' | 'chartsOmitted'> = redactDeep({
    kind: 'localds-result',
    v: 2,
    runId: run.runId,
    benchmark: run.benchmark,
    model: { name: run.model.name, provider: run.model.provider },
    scripted: run.scripted,
    scenario: recordScenario(run),
    seed: run.seed,
    scorecard: run.scorecard,
    reported: run.reported,
    oracle: run.oracle,
  });
  const charts = chartFiles(run);
  for (const width of CHART_WIDTHS) {
    const shared = await Promise.all(
      charts.map(async ([name, bytes]) => ({ name, png: await downscalePng(bytes, width) })),
    );
    try {
      const payload = await encodePayload({ ...base, charts: shared, chartsOmitted: false });
      return { fragment: `#/shared/${payload}`, note: null };
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
    }
  }
  const payload = await encodePayload({ ...base, charts: [], chartsOmitted: charts.length > 0 });
  return {
    fragment: `#/shared/${payload}`,
    note: 'The charts did not fit in the link and were left out.',
  };
}

export function openResultLink(payload: string): Promise<SharedResult> {
  return decodePayload(payload, SharedResultSchema);
}
