import type { Notebook } from '@localds/scorer';

const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)`;
/** "792 rows", "Loaded 792 events"; "Total rows: 792"; "shape: (792, 10)". */
const PATTERNS = [
  new RegExp(String.raw`\b${NUMBER}\s+(?:rows|events|records)\b`, 'gi'),
  new RegExp(String.raw`\b(?:rows|events|records)\b[^\n\d]{0,20}?[:=]\s*${NUMBER}`, 'gi'),
  new RegExp(String.raw`shape[^\n(]{0,20}\(\s*${NUMBER}\s*,\s*\d+\s*\)`, 'gi'),
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) =>
  typeof v === 'string'
    ? v
    : Array.isArray(v)
      ? v.filter((s) => typeof s === 'string').join('')
      : '';

/** The printed text of a notebook's code cells: stream output and plain-text results. */
function outputText(notebook: Notebook): string {
  const parts: string[] = [];
  for (const cell of notebook.cells) {
    const outputs = (cell as { outputs?: unknown }).outputs;
    if (!Array.isArray(outputs)) continue;
    for (const out of outputs) {
      if (!isObject(out)) continue;
      if (out.output_type === 'stream') parts.push(text(out.text));
      else if (isObject(out.data)) parts.push(text(out.data['text/plain']));
    }
  }
  return parts.join('\n');
}

/**
 * Row counts a notebook printed about its data ("792 rows", "Total events: 792", a DataFrame's shape),
 * in order, without repeats: what a folder without run.json says about the rows it analysed.
 */
export function printedRowCounts(notebook: Notebook | null): number[] {
  if (!notebook) return [];
  const printed = outputText(notebook);
  const found = new Set<number>();
  for (const pattern of PATTERNS) {
    for (const match of printed.matchAll(pattern)) found.add(Number(match[1]!.replace(/,/g, '')));
  }
  return [...found];
}

/**
 * A plain warning when a folder scored against a scenario's oracle printed row counts none of which is
 * the scenario's: its score may be about other data. Null when they agree or nothing was printed.
 */
export function rowCountWarning(
  notebook: Notebook | null,
  scenario: string,
  oracleRows: number,
): string | null {
  const counts = printedRowCounts(notebook);
  if (!counts.length || counts.includes(oracleRows)) return null;
  const shown = counts.slice(0, 3).join(', ');
  return `The notebook reports ${shown} rows, but scenario ${scenario}'s data has ${oracleRows} rows: this folder has no run.json with its own data, so it was scored against scenario ${scenario}'s oracle, which may not be the data it analysed.`;
}
