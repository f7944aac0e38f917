// The user message that answers a turn: what each cell did, in the plain text a small model reads
// best. Long streams keep their head and tail around a marker; errors keep the traceback's tail,
// where the failing line and the exception are.
import type { NotebookOutput } from '../sandbox/types.js';
import type { CellRecord } from './types.js';

const TRACEBACK_LINES = 12;
// Pyodide and IPython tracebacks may carry terminal colour codes; the model should not see them.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${cut} characters truncated …]\n${text.slice(text.length - tail)}`;
}

function streamText(outputs: NotebookOutput[], name: 'stdout' | 'stderr'): string {
  return outputs.map((o) => (o.output_type === 'stream' && o.name === name ? o.text : '')).join('');
}

function describeOutputs(cell: CellRecord, maxChars: number): string[] {
  const lines: string[] = [];
  for (const name of ['stdout', 'stderr'] as const) {
    const text = streamText(cell.outputs, name);
    if (text) lines.push(`${name}:`, truncateMiddle(text.replace(/\n$/, ''), maxChars));
  }
  for (const o of cell.outputs) {
    if (o.output_type === 'execute_result') {
      const plain = o.data['text/plain'] ?? (o.data['text/html'] ? '[HTML output]' : '');
      lines.push('result:', truncateMiddle(plain, maxChars));
    } else if (o.output_type === 'display_data') {
      // Figures are described from the sandbox's figure record below; other displays by their text.
      if (o.data['image/png'] !== undefined) {
        if (!cell.figures.length) lines.push('image: a PNG was displayed');
      } else if (o.data['text/plain'] !== undefined) {
        lines.push('display:', truncateMiddle(o.data['text/plain'], maxChars));
      }
    } else if (o.output_type === 'error') {
      const tail = o.traceback.slice(-TRACEBACK_LINES).join('\n').replace(ANSI, '');
      lines.push(`error: ${o.ename}: ${o.evalue}`);
      if (tail && tail.trim() !== `${o.ename}: ${o.evalue}`) {
        lines.push('traceback (last lines):', truncateMiddle(tail, maxChars));
      }
    }
  }
  return lines;
}

function describeFigures(cell: CellRecord): string[] {
  return cell.figures.map((f) => {
    const parts = [
      f.title ? `title "${f.title}"` : 'no title',
      f.xlabel ? `x "${f.xlabel}"` : null,
      f.ylabel ? `y "${f.ylabel}"` : null,
      f.filename ? `saved as ${f.filename}` : 'not saved to a file',
    ].filter((p): p is string => p !== null);
    return `figure: ${parts.join(', ')}`;
  });
}

const COMPILE_ERRORS = new Set(['SyntaxError', 'IndentationError', 'TabError']);

/**
 * The kernel parses a whole cell before running any of it, so a compile error means no statement of
 * the cell ran: an unterminated block that fails this way was effectively never executed.
 */
export function isCompileError(cell: CellRecord): boolean {
  return cell.outputs.some((o) => o.output_type === 'error' && COMPILE_ERRORS.has(o.ename));
}

/** A cell's status as a line; `label` names it (`[cell 2]`, or `[run_python]` for a tool call). */
export function statusLine(cell: CellRecord, label: string): string {
  const secs = `${(cell.durationMs / 1000).toFixed(1)} s`;
  switch (cell.status) {
    case 'ok':
      return `${label} ok (${secs})`;
    case 'error':
      return cell.unterminated && isCompileError(cell)
        ? `${label} not run: the block had no closing fence (your reply was cut off) and does not compile`
        : `${label} error (${secs})`;
    case 'timeout':
      return `${label} stopped: it ran past the ${secs} time limit`;
    case 'interrupted':
      return `${label} interrupted`;
    case 'crashed':
      return `${label} the Python kernel crashed`;
    case 'skipped':
      return cell.toolCallId
        ? `${label} not run: an earlier call of this reply failed`
        : `${label} not run: an earlier cell of this reply failed`;
  }
}

/** What one cell did: its status, outputs, figures and files, as the model reads them. */
export function cellReport(cell: CellRecord, label: string, maxChars: number): string {
  const lines = [statusLine(cell, label), ...describeOutputs(cell, maxChars)];
  lines.push(...describeFigures(cell));
  if (cell.files.length) {
    lines.push(`files written: ${cell.files.map((f) => `${f.name} (${f.size} bytes)`).join(', ')}`);
  }
  if (cell.status === 'ok' && lines.length === 1) lines.push('(no output)');
  if (cell.stateLost) lines.push(stateLostNote(label));
  return lines.join('\n');
}

function stateLostNote(label: string): string {
  return (
    `The Python kernel was restarted while ${label} ran: every variable and import is lost. ` +
    'Files in the working directory are kept. Re-import modules and re-load data before using them.'
  );
}

/** The results message for one turn's cells. */
export function resultsMessage(cells: CellRecord[], maxChars: number): string {
  // The restart note goes last, once, after every cell's report.
  const blocks = cells.map((cell, i) =>
    cellReport({ ...cell, stateLost: false }, `[cell ${i + 1}]`, maxChars),
  );
  const lost = cells.find((c) => c.stateLost);
  if (lost) blocks.push(stateLostNote(`cell ${cells.indexOf(lost) + 1}`));
  return `Results:\n\n${blocks.join('\n\n')}`;
}

/** The answer to a turn with no runnable code whose deliverables are still missing. */
export function noCodeMessage(missing: string[], otherFences: number): string {
  const fences =
    otherFences > 0
      ? 'Your reply had code blocks, but only blocks fenced as ```python run. '
      : 'Your reply had no ```python block, so nothing ran. ';
  return (
    `${fences}These deliverables do not exist yet: ${missing.join(', ')}. ` +
    'Continue with the next step in a ```python block; write DONE on its own line when everything is written.'
  );
}
