// Keeps `<think>…</think>` reasoning apart from the answer while text streams in, whatever the
// chunk boundaries: a tag split over chunks is held back until it is complete or ruled out.
// Models that open the think block in their prompt template (DeepSeek-R1 distills) emit only the
// closing tag; start those in 'reasoning'. A stray `</think>` in the answer is dropped, since
// what came before it has already been streamed and cannot be relabelled.

export type Channel = 'answer' | 'reasoning';

export interface Segment {
  channel: Channel;
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export class ReasoningSplitter {
  private channel: Channel;
  private held = '';

  constructor(start: Channel = 'answer') {
    this.channel = start;
  }

  /** True while inside a think block (at the end of a stream: the think block was never closed). */
  get inReasoning(): boolean {
    return this.channel === 'reasoning';
  }

  /** Feeds one chunk; returns the text that is now certain, by channel, in order. */
  push(chunk: string): Segment[] {
    const out: Segment[] = [];
    let text = this.held + chunk;
    this.held = '';
    for (;;) {
      const tag = this.earliestTag(text);
      if (!tag) break;
      emit(out, this.channel, text.slice(0, tag.index));
      if (tag.tag === OPEN) this.channel = 'reasoning';
      else if (this.channel === 'reasoning') this.channel = 'answer';
      text = text.slice(tag.index + tag.tag.length);
    }
    const keep = partialTagLength(text, this.tags());
    emit(out, this.channel, text.slice(0, text.length - keep));
    this.held = text.slice(text.length - keep);
    return out;
  }

  /** Ends the stream: text held back as a possible tag start is plain text after all. */
  flush(): Segment[] {
    const out: Segment[] = [];
    emit(out, this.channel, this.held);
    this.held = '';
    return out;
  }

  private tags(): string[] {
    // Inside reasoning only the closing tag matters; a nested `<think>` is reasoning text.
    return this.channel === 'answer' ? [OPEN, CLOSE] : [CLOSE];
  }

  private earliestTag(text: string): { index: number; tag: string } | undefined {
    let best: { index: number; tag: string } | undefined;
    for (const tag of this.tags()) {
      const index = text.indexOf(tag);
      if (index !== -1 && (!best || index < best.index)) best = { index, tag };
    }
    return best;
  }
}

/** Splits a whole text at once (replays, non-streamed answers). */
export function splitReasoning(text: string, start: Channel = 'answer'): Segment[] {
  const splitter = new ReasoningSplitter(start);
  return merge([...splitter.push(text), ...splitter.flush()]);
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `tags`. */
function partialTagLength(text: string, tags: string[]): number {
  const longest = Math.max(...tags.map((t) => t.length - 1));
  for (let k = Math.min(longest, text.length); k > 0; k--) {
    const suffix = text.slice(text.length - k);
    if (tags.some((t) => t.startsWith(suffix))) return k;
  }
  return 0;
}

function emit(out: Segment[], channel: Channel, text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.channel === channel) last.text += text;
  else out.push({ channel, text });
}

function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) emit(out, s.channel, s.text);
  return out;
}
