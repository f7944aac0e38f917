// Output handling shared by the kernels: a byte budget applied where output is produced (so a flood is
// counted and dropped, never buffered) and an assembler that turns pushed pieces into nbformat outputs.
import type { NotebookOutput, StreamOutput } from '../types.js';

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

  /** Says on stderr how many rich outputs the kernel dropped once the cell's budget for them was spent. */
  markDroppedRich(count: number): void {
    if (count > 0)
      this.stream('stderr', `\n… [${count} rich outputs dropped: output limit reached]\n`);
  }

  outputs(): NotebookOutput[] {
    return this.list;
  }
}

/** An output a kernel pushed while a cell ran. */
export type PushedOutput =
  { type: 'stream'; name: StreamName; text: string } | { type: 'display'; output: NotebookOutput };

/**
 * Feeds pushed outputs into `assembler` until they add up to more than `hardCap` characters, then
 * answers false (a flood) and keeps nothing more. The kernel applies its own budgets; this backstop
 * means a kernel that bypasses them can never make the harness hold more than `hardCap`.
 */
export function cappedFeed(
  assembler: OutputAssembler,
  hardCap: number,
): (pushed: PushedOutput) => boolean {
  let received = 0;
  return (pushed) => {
    received +=
      pushed.type === 'stream' ? pushed.text.length : JSON.stringify(pushed.output).length;
    if (received > hardCap) return false;
    if (pushed.type === 'stream') assembler.stream(pushed.name, pushed.text);
    else assembler.add(pushed.output);
    return true;
  };
}
