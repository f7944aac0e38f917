import { z } from 'zod';

/** nbformat 4, validated loosely: cells with a type and a source (string or list of strings). */
export const NotebookCellSchema = z
  .object({
    cell_type: z.string(),
    source: z.union([z.string(), z.array(z.string())]),
  })
  .loose();

export const NotebookSchema = z
  .object({
    nbformat: z.number().int().min(4).optional(),
    cells: z.array(NotebookCellSchema),
  })
  .loose();

export type Notebook = z.infer<typeof NotebookSchema>;

export type CodeSource = { ok: true; source: string } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The code-cell source the article's scorer reads: every `code` cell's source joined, cells joined by
 * "\n"; markdown cells are not included. Where that scorer would stop with a Python error (a notebook
 * that is not an object, a cell that is not an object, a code cell whose source is neither a string
 * nor a list of strings) this returns the reason instead.
 */
export function articleCodeSource(notebook: unknown): CodeSource {
  if (!isObject(notebook)) return { ok: false, error: 'notebook JSON is not an object' };
  const cells = notebook.cells ?? [];
  if (!Array.isArray(cells)) return { ok: false, error: 'notebook "cells" is not a list' };
  const parts: string[] = [];
  for (const [i, cell] of cells.entries()) {
    if (!isObject(cell)) return { ok: false, error: `notebook cell ${i} is not an object` };
    if (cell.cell_type !== 'code') continue;
    const source = cell.source ?? [];
    if (typeof source === 'string') parts.push(source);
    else if (Array.isArray(source) && source.every((s) => typeof s === 'string')) {
      parts.push(source.join(''));
    } else return { ok: false, error: `notebook cell ${i} has a source that is not text` };
  }
  return { ok: true, source: parts.join('\n') };
}

/** The code cells' sources, in order (what a re-execution runs). */
export function codeCells(notebook: Notebook): string[] {
  return notebook.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => (typeof c.source === 'string' ? c.source : c.source.join('')));
}
