import { describe, expect, it } from 'vitest';
import { CODE_ELIDED, elideCode, parseTurn } from '../src/loop/parse.js';

describe('parseTurn', () => {
  it('splits prose and python blocks in order, keeping other fences in the prose', () => {
    const text = [
      '## Setup',
      'Load the data.',
      '```python',
      'import json',
      '```',
      'A query for reference:',
      '```sql',
      'select 1;',
      '```',
      '```py',
      'x = 1',
      '```',
      'Done for now.',
    ].join('\n');
    const parsed = parseTurn(text);
    expect(
      parsed.segments.map((s) => (s.kind === 'code' ? `code:${s.code}` : `prose:${s.text}`)),
    ).toEqual([
      'prose:## Setup\nLoad the data.',
      'code:import json',
      'prose:A query for reference:\n```sql\nselect 1;\n```',
      'code:x = 1',
      'prose:Done for now.',
    ]);
    expect(parsed.otherFences).toBe(1);
    expect(parsed.done).toBe(false);
  });

  it('runs python, py, Python3 and PY fences (info string words after the language ignored)', () => {
    const text = [
      '```Python3',
      'a = 1',
      '```',
      '```PY title="x"',
      'b = 2',
      '```',
      '```',
      'c = 3',
      '```',
    ].join('\n');
    const parsed = parseTurn(text);
    expect(parsed.code.map((c) => c.code)).toEqual(['a = 1', 'b = 2']);
    expect(parsed.otherFences).toBe(1); // the untagged fence is shown, not run
  });

  it('treats ~~~ fences like backtick fences and keeps ``` inside them as code', () => {
    const text = ['~~~python', 's = """', '```', '"""', '~~~'].join('\n');
    const parsed = parseTurn(text);
    expect(parsed.code).toHaveLength(1);
    expect(parsed.code[0]).toMatchObject({ code: 's = """\n```\n"""', terminated: true });
  });

  it('closes a fence only with the same character at least as long (CommonMark)', () => {
    const text = ['````python', 'print("```")', '```', 'y = 2', '````', 'after'].join('\n');
    const parsed = parseTurn(text);
    expect(parsed.code.map((c) => c.code)).toEqual(['print("```")\n```\ny = 2']);
    expect(parsed.segments.at(-1)).toEqual({ kind: 'prose', text: 'after' });
  });

  it('marks an unclosed last block as unterminated and keeps its code', () => {
    const parsed = parseTurn('Computing.\n```python\nfor i in range(3):\n    print(i)');
    expect(parsed.code).toHaveLength(1);
    expect(parsed.code[0]).toMatchObject({
      code: 'for i in range(3):\n    print(i)',
      terminated: false,
    });
  });

  it('finds python blocks nested in list items and block quotes', () => {
    const text = [
      '1. First:',
      '   ```python',
      '   z = 3',
      '   ```',
      '> ```python',
      '> q = 4',
      '> ```',
    ].join('\n');
    const parsed = parseTurn(text);
    expect(parsed.code.map((c) => [c.code, c.terminated])).toEqual([
      ['z = 3', true],
      ['q = 4', true],
    ]);
    expect(parsed.segments.filter((s) => s.kind === 'prose')).toEqual([
      { kind: 'prose', text: '1. First:' },
    ]);
    // A bare list item holding only code leaves no marker behind as prose.
    expect(parseTurn('- ```python\n  w = 5\n  ```').segments).toEqual([
      expect.objectContaining({ kind: 'code', code: 'w = 5' }),
    ]);
  });

  it('drops empty blocks', () => {
    const parsed = parseTurn('```python\n\n```\ntext');
    expect(parsed.code).toEqual([]);
    expect(parsed.segments).toEqual([{ kind: 'prose', text: 'text' }]);
  });

  it('detects DONE only on a line of its own outside code, and removes it from the prose', () => {
    expect(parseTurn('All written.\nDONE').done).toBe(true);
    expect(parseTurn('All written.\n  DONE  \n').segments).toEqual([
      { kind: 'prose', text: 'All written.' },
    ]);
    expect(parseTurn('```python\nDONE = True\nDONE\n```').done).toBe(false);
    expect(parseTurn('```text\nDONE\n```').done).toBe(false);
    expect(parseTurn('I am DONE with this.').done).toBe(false);
    expect(parseTurn('done').done).toBe(false);
    expect(parseTurn('```python\nprint(1)\n```\nDONE').done).toBe(true);
  });

  it('reads \\r\\n and \\r line endings as CommonMark does (code and prose come back with \\n)', () => {
    for (const eol of ['\r\n', '\r']) {
      const parsed = parseTurn(
        ['Fit:', '```python', 'x = 1', 'y = 2', '```', 'DONE', ''].join(eol),
      );
      expect(parsed.done).toBe(true);
      expect(parsed.segments).toEqual([
        { kind: 'prose', text: 'Fit:' },
        expect.objectContaining({ kind: 'code', code: 'x = 1\ny = 2', terminated: true }),
      ]);
    }
  });

  it('an unterminated block swallows a DONE that follows its opening', () => {
    // CommonMark: the open fence runs to the end, so DONE here is code, not a signal.
    expect(parseTurn('```python\nx = 1\nDONE').done).toBe(false);
  });
});

describe('elideCode', () => {
  it('replaces python bodies with a marker and keeps prose and other fences', () => {
    const text = 'Intro\n```python\nimport json\n```\n```sql\nselect 1;\n```\nEnd';
    expect(elideCode(text)).toBe(
      `Intro\n\`\`\`python\n${CODE_ELIDED}\n\`\`\`\n\`\`\`sql\nselect 1;\n\`\`\`\nEnd`,
    );
  });
});
