import type { Notebook } from '../run-folder/notebook.js';

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && w !== 'and');

/** Markdown headings (`#` … `######`) of the notebook's markdown cells. */
function markdownHeadings(notebook: Notebook): string[] {
  return notebook.cells
    .filter((c) => c.cell_type === 'markdown')
    .flatMap((c) => (typeof c.source === 'string' ? c.source : c.source.join('')).split('\n'))
    .map((line) => /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1])
    .filter((h): h is string => h !== undefined);
}

/**
 * A note on the benchmark's required sections (not points): a section counts as present when a
 * heading shares at least half of its title's words, so "Setup and data loading" finds "Setup & data pull".
 */
export function sectionsNote(
  notebook: Notebook | null,
  sections: readonly { title: string }[],
): string {
  if (!notebook) return 'sections: no readable notebook';
  const headings = markdownHeadings(notebook).map((h) => new Set(words(h)));
  const missing = sections.filter((section) => {
    const title = words(section.title);
    return !headings.some((h) => title.filter((w) => h.has(w)).length * 2 >= title.length);
  });
  const found = sections.length - missing.length;
  const tail = missing.length ? `; missing: ${missing.map((s) => s.title).join(', ')}` : '';
  return `sections: ${found} of ${sections.length} required headings found${tail}`;
}
