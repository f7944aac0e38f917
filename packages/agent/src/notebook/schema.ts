// nbformat 4.5 as zod. npm has no maintained validator for it (@jupyterlab/nbformat is TypeScript
// interfaces only), so this transcribes the official nbformat.v4.5.schema.json: the same required
// fields, closed objects where the official schema sets `additionalProperties: false`, the cell-id
// pattern and the multiline-string shape. Metadata stays open, as there.
import { z } from 'zod';

const multilineString = z.union([z.string(), z.array(z.string())]);

/** MIME type → data; JSON MIME types may hold any JSON value, the rest text. */
const mimeBundle = z.record(z.string(), z.unknown()).superRefine((bundle, ctx) => {
  for (const [mime, value] of Object.entries(bundle)) {
    if (/^application\/(.*\+)?json$/.test(mime)) continue;
    if (!multilineString.safeParse(value).success) {
      ctx.addIssue({
        code: 'custom',
        path: [mime],
        message: `${mime} data must be a string or a list of strings`,
      });
    }
  }
});

const outputMetadata = z.record(z.string(), z.unknown());
const executionCount = z.number().int().nonnegative().nullable();

export const NbOutputSchema = z.discriminatedUnion('output_type', [
  z.strictObject({
    output_type: z.literal('execute_result'),
    execution_count: executionCount,
    data: mimeBundle,
    metadata: outputMetadata,
  }),
  z.strictObject({
    output_type: z.literal('display_data'),
    data: mimeBundle,
    metadata: outputMetadata,
  }),
  z.strictObject({
    output_type: z.literal('stream'),
    name: z.string(),
    text: multilineString,
  }),
  z.strictObject({
    output_type: z.literal('error'),
    ename: z.string(),
    evalue: z.string(),
    traceback: z.array(z.string()),
  }),
]);

const cellId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9-_]+$/);
const metadataName = z.string().regex(/^.+$/);
const tags = z
  .array(z.string().regex(/^[^,]+$/))
  .refine((t) => new Set(t).size === t.length, 'tags must be unique');
const attachments = z.record(z.string(), mimeBundle);

export const NbCellSchema = z.discriminatedUnion('cell_type', [
  z.strictObject({
    id: cellId,
    cell_type: z.literal('markdown'),
    metadata: z.looseObject({ name: metadataName.optional(), tags: tags.optional() }),
    attachments: attachments.optional(),
    source: multilineString,
  }),
  z.strictObject({
    id: cellId,
    cell_type: z.literal('code'),
    metadata: z.looseObject({
      jupyter: z.looseObject({}).optional(),
      execution: z.record(z.string(), z.string()).optional(),
      collapsed: z.boolean().optional(),
      scrolled: z.union([z.boolean(), z.literal('auto')]).optional(),
      name: metadataName.optional(),
      tags: tags.optional(),
    }),
    source: multilineString,
    outputs: z.array(NbOutputSchema),
    execution_count: executionCount,
  }),
  z.strictObject({
    id: cellId,
    cell_type: z.literal('raw'),
    metadata: z.looseObject({
      format: z.string().optional(),
      name: metadataName.optional(),
      tags: tags.optional(),
    }),
    attachments: attachments.optional(),
    source: multilineString,
  }),
]);

export const NotebookV4Schema = z
  .strictObject({
    cells: z.array(NbCellSchema),
    metadata: z.looseObject({
      kernelspec: z.looseObject({ name: z.string(), display_name: z.string() }).optional(),
      language_info: z
        .looseObject({
          name: z.string(),
          codemirror_mode: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
          file_extension: z.string().optional(),
          mimetype: z.string().optional(),
          pygments_lexer: z.string().optional(),
        })
        .optional(),
      orig_nbformat: z.number().int().min(1).optional(),
      title: z.string().optional(),
      authors: z.array(z.unknown()).optional(),
    }),
    nbformat: z.literal(4),
    nbformat_minor: z.number().int().min(5),
  })
  .superRefine((nb, ctx) => {
    // nbformat's validator also requires cell ids to be unique (a rule outside the JSON schema).
    const seen = new Set<string>();
    nb.cells.forEach((cell, i) => {
      if (seen.has(cell.id))
        ctx.addIssue({
          code: 'custom',
          path: ['cells', i, 'id'],
          message: `duplicate cell id ${cell.id}`,
        });
      seen.add(cell.id);
    });
  });

export type NbOutput = z.infer<typeof NbOutputSchema>;
export type NbCell = z.infer<typeof NbCellSchema>;
export type NotebookV4 = z.infer<typeof NotebookV4Schema>;

/** The notebook, or a specific error naming the first offending field. */
export function validateNotebook(value: unknown): NotebookV4 {
  const parsed = NotebookV4Schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `not a valid nbformat 4.5 notebook: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
