// Splits an assistant turn into prose and fenced code as CommonMark does (markdown-it's block parser), so
// backticks inside strings, `~~~` fences, longer fences and nested containers behave as in any
// Markdown viewer rather than as a hand-written regex would guess.
import MarkdownIt from 'markdown-it';

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

// Code blocks are found before any inline syntax is read (CommonMark parses blocks first), so the inline
// pass is switched off: it was most of the time of a turn's parse. markdown-it rather than micromark:
// the same CommonMark blocks about twenty times faster, which the loop pays on every turn.
const markdown = new MarkdownIt('commonmark');
markdown.core.ruler.disable(['inline', 'text_join']);

/** A code block (fenced or indented) as the turn's lines and offsets place it. */
interface CodeBlock {
  /** the info string's first word; null for an indented block or a fence without one */
  lang: string | null;
  value: string;
  /** 0-based lines it covers, first and last */
  firstLine: number;
  lastLine: number;
  start: number;
  end: number;
}

/** A line of the turn: where it starts and ends (its line ending excluded). */
interface Line {
  start: number;
  end: number;
}

/**
 * The turn's lines. Line endings are those CommonMark knows (`\r\n`, `\r`, `\n`), as markdown-it
 * counts its lines after normalising them.
 */
function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const eol of text.matchAll(/\r\n|\r|\n/g)) {
    lines.push({ start, end: eol.index });
    start = eol.index + eol[0].length;
  }
  lines.push({ start, end: text.length });
  return lines;
}

/** The text's code blocks, in order, container blocks (lists, quotes) included. */
function codeBlocks(text: string, lines: Line[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const token of markdown.parse(text, {})) {
    if ((token.type !== 'fence' && token.type !== 'code_block') || !token.map) continue;
    const [firstLine, endLine] = token.map;
    const lastLine = Math.max(firstLine, endLine - 1);
    const first = lines[firstLine] ?? { start: text.length, end: text.length };
    // A fence starts at its marker, after any container's (`>`, a list item's); an indented block at its line.
    const marker = token.type === 'fence' ? text.indexOf(token.markup, first.start) : -1;
    blocks.push({
      lang: token.type === 'fence' ? token.info.trim().split(/\s+/)[0] || null : null,
      // Without the newline that ends the block's last line.
      value: token.content.replace(/\r?\n$/, ''),
      firstLine,
      lastLine,
      start: marker >= first.start && marker <= first.end ? marker : first.start,
      end: lines[lastLine]?.end ?? text.length,
    });
  }
  return blocks;
}

// A closing fence repeats the opening fence's character at least as many times; container markers
// (`>` and indentation) may precede it.
function isTerminated(raw: string): boolean {
  const lines = raw.replace(/[\r\n]+$/, '').split(/\r\n|\r|\n/);
  const open = /^[\s>]*(`{3,}|~{3,})/.exec(lines[0] ?? '');
  if (!open?.[1] || lines.length < 2) return false;
  const fence = open[1];
  const close = /^[\s>]*(`{3,}|~{3,})[ \t]*$/.exec(lines[lines.length - 1] ?? '');
  return !!close?.[1] && close[1][0] === fence[0] && close[1].length >= fence.length;
}

/** Lines (0-based) outside every code block whose whole text is `DONE`. */
function doneLines(text: string, lines: Line[], code: CodeBlock[]): Set<number> {
  const inCode = new Set<number>();
  for (const block of code) {
    for (let l = block.firstLine; l <= block.lastLine; l++) inCode.add(l);
  }
  const done = new Set<number>();
  lines.forEach(({ start, end }, i) => {
    if (!inCode.has(i) && DONE_LINE.test(text.slice(start, end))) done.add(i);
  });
  return done;
}

/**
 * `runnable`: the info-string languages whose blocks are the turn's code (default Python, the
 * notebook loop's; the visual loop passes HTML's). Other fences stay in the prose.
 */
export function parseTurn(text: string, runnable: RegExp = PYTHON_FENCE): ParsedTurn {
  const lines = linesOf(text);
  const allCode = codeBlocks(text, lines);
  const done = doneLines(text, lines, allCode);

  const prose = (from: number, to: number): string => {
    const kept: string[] = [];
    lines.forEach(({ start, end }, i) => {
      if (end < from || start >= to || done.has(i)) return;
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
    const { start, end } = node;
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

/**
 * The turn's text with every runnable block's body replaced by a marker (prose kept); `fence` says
 * which blocks (default Python's) and what they become (the visual loop elides earlier files).
 */
export function elideCode(
  text: string,
  fence: { runnable: RegExp; lang: string; marker: string } = {
    runnable: PYTHON_FENCE,
    lang: 'python',
    marker: CODE_ELIDED,
  },
): string {
  const { code } = parseTurn(text, fence.runnable);
  let out = '';
  let cursor = 0;
  for (const block of code) {
    out += `${text.slice(cursor, block.start)}\`\`\`${fence.lang}\n${fence.marker}\n\`\`\``;
    cursor = block.end;
  }
  return out + text.slice(cursor);
}
