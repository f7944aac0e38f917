import { describe, expect, it } from 'vitest';
import {
  ReasoningSplitter,
  splitReasoning,
  type Channel,
  type Segment,
} from '../src/model/reasoning.js';

/** Streams `chunks` through one splitter and merges adjacent same-channel output. */
function stream(chunks: string[], start: Channel = 'answer'): Segment[] {
  const s = new ReasoningSplitter(start);
  const out: Segment[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.flush());
  const merged: Segment[] = [];
  for (const seg of out) {
    const last = merged[merged.length - 1];
    if (last && last.channel === seg.channel) last.text += seg.text;
    else merged.push({ ...seg });
  }
  return merged;
}

/** Every way of cutting `text` into two or three pieces. */
function cuts(text: string): string[][] {
  const all: string[][] = [];
  for (let i = 0; i <= text.length; i++) {
    all.push([text.slice(0, i), text.slice(i)]);
    for (let j = i; j <= text.length; j++) {
      all.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
    }
  }
  return all;
}

describe('ReasoningSplitter', () => {
  it('keeps a leading think block apart from the answer', () => {
    expect(splitReasoning('<think>plan it</think>\n\nThe answer.')).toEqual([
      { channel: 'reasoning', text: 'plan it' },
      { channel: 'answer', text: '\n\nThe answer.' },
    ]);
  });

  it('handles a think block that is not at the start, and several blocks', () => {
    expect(splitReasoning('Intro <think>a</think> middle <think>b</think>end')).toEqual([
      { channel: 'answer', text: 'Intro ' },
      { channel: 'reasoning', text: 'a' },
      { channel: 'answer', text: ' middle ' },
      { channel: 'reasoning', text: 'b' },
      { channel: 'answer', text: 'end' },
    ]);
  });

  it('gives the same result for every cut of the input, tags split anywhere', () => {
    const text = 'x<think>r1</think>y<</think>z';
    const whole = splitReasoning(text);
    expect(whole).toEqual([
      { channel: 'answer', text: 'x' },
      { channel: 'reasoning', text: 'r1' },
      { channel: 'answer', text: 'y<z' },
    ]);
    for (const chunks of cuts(text)) expect(stream(chunks)).toEqual(whole);
  });

  it('streams one character at a time', () => {
    const text = '<think>step 1\nstep 2</think>```python\nprint(1)\n```';
    expect(stream([...text])).toEqual(splitReasoning(text));
    expect(stream([...text])).toEqual([
      { channel: 'reasoning', text: 'step 1\nstep 2' },
      { channel: 'answer', text: '```python\nprint(1)\n```' },
    ]);
  });

  it('holds back a possible tag start and releases it when it turns out to be text', () => {
    const s = new ReasoningSplitter();
    expect(s.push('a < b and <thi')).toEqual([{ channel: 'answer', text: 'a < b and ' }]);
    expect(s.push('s is text')).toEqual([{ channel: 'answer', text: '<this is text' }]);
    expect(s.push(' x <')).toEqual([{ channel: 'answer', text: ' x ' }]);
    expect(s.flush()).toEqual([{ channel: 'answer', text: '<' }]);
  });

  it('keeps reasoning as reasoning when the think block never closes', () => {
    const s = new ReasoningSplitter();
    expect(s.push('<think>still thinking</thi')).toEqual([
      { channel: 'reasoning', text: 'still thinking' },
    ]);
    expect(s.inReasoning).toBe(true);
    expect(s.flush()).toEqual([{ channel: 'reasoning', text: '</thi' }]);
  });

  it('treats a nested <think> inside reasoning as reasoning text', () => {
    expect(splitReasoning('<think>a <think> b</think>c')).toEqual([
      { channel: 'reasoning', text: 'a <think> b' },
      { channel: 'answer', text: 'c' },
    ]);
  });

  it('starts in reasoning for templates that open the block in the prompt', () => {
    expect(stream(['thinking…</th', 'ink>answer'], 'reasoning')).toEqual([
      { channel: 'reasoning', text: 'thinking…' },
      { channel: 'answer', text: 'answer' },
    ]);
  });

  it('drops a stray closing tag in the answer', () => {
    expect(splitReasoning('a</think>b')).toEqual([{ channel: 'answer', text: 'ab' }]);
  });

  it('emits nothing for empty input and empty think blocks', () => {
    expect(stream(['', '', ''])).toEqual([]);
    expect(splitReasoning('<think></think>')).toEqual([]);
    expect(splitReasoning('<think>\n\n</think>\n\nok')).toEqual([
      { channel: 'reasoning', text: '\n\n' },
      { channel: 'answer', text: '\n\nok' },
    ]);
  });

  it('recovers the labelled parts a text was built from, under seeded random chunking', () => {
    // Texts are built from labelled parts joined with tags, so the expected output is known
    // without running the splitter; parts use '<', '/', 't' and 'k' to tempt false matches.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', '<', '/', 't', 'h', 'k', '>', ' ', '\n', 'é', '<thin', '</thin'];
    for (let trial = 0; trial < 300; trial++) {
      const parts: Segment[] = [];
      let text = '';
      let channel: Channel = 'answer';
      for (let p = 0; p < 1 + rand(5); p++) {
        let body = '';
        for (let i = 0; i < 1 + rand(8); i++) body += alphabet[rand(alphabet.length)];
        // A body must not itself complete a tag, or the expectation would be wrong.
        if (/<\/?think>/.test(body) || /<\/?think>/.test(text.slice(-8) + body)) continue;
        parts.push({ channel, text: body });
        text += body;
        const next: Channel = channel === 'answer' ? 'reasoning' : 'answer';
        text += next === 'reasoning' ? '<think>' : '</think>';
        channel = next;
      }
      const expected: Segment[] = [];
      for (const seg of parts) {
        const last = expected[expected.length - 1];
        if (last && last.channel === seg.channel) last.text += seg.text;
        else expected.push({ ...seg });
      }
      const chunks: string[] = [];
      for (let i = 0; i < text.length;) {
        const n = 1 + rand(6);
        chunks.push(text.slice(i, i + n));
        i += n;
      }
      expect(stream(chunks), JSON.stringify(chunks)).toEqual(expected);
    }
  });
});
