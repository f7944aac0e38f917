// The recorded notebook takes the benchmark's notebook name; a notebook the model wrote there
// itself is kept beside it under another name rather than overwritten.

export const MODEL_NOTEBOOK = 'model-analysis.ipynb';

/**
 * The run's files with `notebookText` at `notebookFile`. A file the model wrote at that name moves
 * to `model-analysis.ipynb` (or `model-analysis-2.ipynb`, … if the model wrote that name too).
 */
export function withRecordedNotebook(
  files: ReadonlyMap<string, Uint8Array>,
  notebookText: string,
  notebookFile = 'analysis.ipynb',
): { files: Map<string, Uint8Array>; modelNotebook: string | null } {
  const out = new Map(files);
  let modelNotebook: string | null = null;
  const own = out.get(notebookFile);
  if (own) {
    modelNotebook = MODEL_NOTEBOOK;
    for (let n = 2; out.has(modelNotebook); n++) modelNotebook = `model-analysis-${n}.ipynb`;
    out.set(modelNotebook, own);
  }
  out.set(notebookFile, new TextEncoder().encode(notebookText));
  return { files: out, modelNotebook };
}
