import { articleCodeSource } from '../run-folder/notebook.js';
import { decodeUtf8, type RunFolder } from '../run-folder/read.js';

export interface ScoredSource {
  /** The text the evidence regexes search. */
  text: string;
  /** Where it came from, for notes. */
  origin: string;
  /** Set where the article's scorer would have stopped with an error instead of scoring. */
  problem: string | null;
}

/**
 * The source the article's scorer searches: the notebook's code cells; if the notebook is missing or
 * does not parse as JSON, the first top-level `*.py` file in sorted order (read with universal
 * newlines); else nothing. A notebook that parses but has no code cells gives "" with no fallback.
 */
export function articleSource(folder: RunFolder): ScoredSource {
  const nb = folder.notebook;
  if (nb && nb.json.ok) {
    const code = articleCodeSource(nb.json.value);
    if (code.ok) return { text: code.source, origin: 'analysis.ipynb code cells', problem: null };
    return { text: '', origin: 'analysis.ipynb', problem: code.error };
  }
  const first = folder.pythonFiles[0];
  if (first) {
    const text = decodeUtf8(folder.files.get(first)!);
    if (text === null) return { text: '', origin: first, problem: `${first} is not valid UTF-8` };
    return { text: text.replace(/\r\n?/g, '\n'), origin: first, problem: null };
  }
  return { text: '', origin: nb ? 'analysis.ipynb (unreadable)' : 'no notebook', problem: null };
}
