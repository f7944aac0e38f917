// Splits an assistant turn into prose and fenced code as CommonMark does (micromark via mdast), so
// backticks inside strings, `~~~` fences, longer fences and nested containers behave as in any
// Markdown viewer rather than as a hand-written regex would guess.
import type { Code, Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';

/** Info-string languages whose blocks run in the kernel (case-insensitive). */
export const PYTHON_FENCE = /^(?:python3?|py|ipython3?)$/i;
const DONE_LINE = /^[ \t]*DONE[ \t]*$/;

export interface ProseSegment {
  kind: 'prose';
  /** Markdown, with any `DONE` line removed; other fences (```sql, ```text, untagged) stay here, shown not run. */
  text: string;
}

export interface CodeSegment {
  kind: 'code';
  code: string;
  /** The info string's language as written (`python`, `py`, `Python3`). */
  lang: string;
  /** False when the fence was never closed (a turn cut by max_tokens or a stop token). */
  terminated: boolean;
  /** Offsets of the whole fenced block (fences included) in the turn's text. */
  start: number;
  end: number;
}

export type TurnSegment = ProseSegment | CodeSegment;

export interface ParsedTurn {
  segments: TurnSegment[];
  /** The runnable blocks, in order (empty blocks are dropped). */
  code: CodeSegment[];
  /** A line that is exactly `DONE` (surrounding blanks allowed) appeared outside any code block. */
  done: boolean;
  /** The turn had fenced blocks that will not run (other language or none): worth telling the model. */
  otherFences: number;
}

function codeNodes(node: Nodes, out: Code[] = []): Code[] {
  if (node.type === 'code') out.push(node);
  if ('children' in node) for (const child of node.children) codeNodes(child, out);
  return out;
}

// A closing fence repeats the opening fence's character at least as many times; container markers
// (`>` and indentation) may precede it.
function isTerminated(raw: string): boolean {
  const lines = raw.replace(/\n+$/, '').split('\n');
  const open = /^[\s>]*(`{3,}|~{3,})/.exec(lines[0] ?? '');
  if (!open?.[1] || lines.length < 2) return false;
  const fence = open[1];
  const close = /^[\s>]*(`{3,}|~{3,})[ \t]*$/.exec(lines[lines.length - 1] ?? '');
  return !!close?.[1] && close[1][0] === fence[0] && close[1].length >= fence.length;
}

/** Line numbers (1-based) of lines outside every code block whose whole text is `DONE`. */
function doneLines(lines: string[], code: Code[]): Set<number> {
  const inCode = new Set<number>();
  for (const node of code) {
    for (let l = node.position!.start.line; l <= node.position!.end.line; l++) inCode.add(l);
  }
  const done = new Set<number>();
  lines.forEach((line, i) => {
    if (!inCode.has(i + 1) && DONE_LINE.test(line)) done.add(i + 1);
  });
  return done;
}

/**
 * `runnable`: the info-string languages whose blocks are the turn's code (default Python, the
 * notebook loop's; the visual loop passes HTML's). Other fences stay in the prose.
 */
export function parseTurn(text: string, runnable: RegExp = PYTHON_FENCE): ParsedTurn {
  const tree = fromMarkdown(text);
  const allCode = codeNodes(tree);
  const lines = text.split('\n');
  const done = doneLines(lines, allCode);
  // Offset of each line's start, to drop DONE lines from prose slices by line number.
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);

  const prose = (from: number, to: number): string => {
    const kept: string[] = [];
    lineStarts.forEach((start, i) => {
      const end = (lineStarts[i + 1] ?? text.length + 1) - 1;
      if (end < from || start >= to || done.has(i + 1)) return;
      kept.push(text.slice(Math.max(start, from), Math.min(end, to)));
    });
    const joined = kept.join('\n').trim();
    // What is left of a container around a code block (`>` or a bare list marker) is not prose.
    return /^(?:[\s>]*|\s*(?:[*+-]|\d+[.)]))$/.test(joined) ? '' : joined;
  };

  const segments: TurnSegment[] = [];
  const code: CodeSegment[] = [];
  let cursor = 0;
  let otherFences = 0;
  for (const node of allCode) {
    const start = node.position!.start.offset!;
    const end = node.position!.end.offset!;
    const raw = text.slice(start, end);
    const fenced = /^[\s>]*(`{3,}|~{3,})/.test(raw);
    if (!node.lang || !runnable.test(node.lang)) {
      if (fenced) otherFences += 1;
      continue; // stays inside the surrounding prose, shown as Markdown
    }
    const before = prose(cursor, start);
    if (before) segments.push({ kind: 'prose', text: before });
    cursor = end;
    if (!node.value.trim()) continue; // an empty block: nothing to run or show
    const segment: CodeSegment = {
      kind: 'code',
      code: node.value,
      lang: node.lang,
      terminated: isTerminated(raw),
      start,
      end,
    };
    segments.push(segment);
    code.push(segment);
  }
  const after = prose(cursor, text.length);
  if (after) segments.push({ kind: 'prose', text: after });
  return { segments, code, done: done.size > 0, otherFences };
}

export const CODE_ELIDED = '# [code elided to fit the context window]';

/** The turn's text with every runnable block's body replaced by a marker (prose kept). */
export function elideCode(text: string): string {
  const { code } = parseTurn(text);
  let out = '';
  let cursor = 0;
  for (const block of code) {
    out += `${text.slice(cursor, block.start)}\`\`\`python\n${CODE_ELIDED}\n\`\`\``;
    cursor = block.end;
  }
  return out + text.slice(cursor);
}
