// Output handling shared by the kernels: a byte budget applied where output is produced (so a flood is
// counted and dropped, never buffered) and an assembler that turns pushed pieces into nbformat outputs.
import type { NotebookOutput, StreamOutput } from './types.js';

export type StreamName = 'stdout' | 'stderr';

/** Lets through at most `limitBytes` of stream output per cell (both streams together) and counts the rest. */
export class StreamLimiter {
  private used = 0;
  readonly dropped: Record<StreamName, number> = { stdout: 0, stderr: 0 };

  constructor(private readonly limitBytes: number) {}

  /** The part of `bytes` that may be kept (possibly empty); the remainder is only counted. */
  accept(name: StreamName, bytes: Uint8Array): Uint8Array {
    const room = Math.max(0, this.limitBytes - this.used);
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.used += kept.length;
    this.dropped[name] += bytes.length - kept.length;
    return kept;
  }
}

export function truncationMarker(droppedBytes: number): string {
  return `\n… [truncated ${droppedBytes} bytes]\n`;
}

/** Assembles a cell's outputs in arrival order, merging consecutive chunks of the same stream. */
export class OutputAssembler {
  private readonly list: NotebookOutput[] = [];

  stream(name: StreamName, text: string): void {
    if (!text) return;
    const last = this.list.at(-1);
    if (last?.output_type === 'stream' && last.name === name) last.text += text;
    else this.list.push({ output_type: 'stream', name, text });
  }

  add(output: NotebookOutput): void {
    this.list.push(output);
  }

  /** Appends the truncation marker to the last chunk of each stream that lost bytes. */
  markTruncated(dropped: Record<StreamName, number>): void {
    for (const name of ['stdout', 'stderr'] as const) {
      const count = dropped[name];
      if (count <= 0) continue;
      const last = this.list
        .filter((o): o is StreamOutput => o.output_type === 'stream' && o.name === name)
        .at(-1);
      if (last) last.text += truncationMarker(count);
      else this.list.push({ output_type: 'stream', name, text: truncationMarker(count) });
    }
  }

  outputs(): NotebookOutput[] {
    return this.list;
  }
}
