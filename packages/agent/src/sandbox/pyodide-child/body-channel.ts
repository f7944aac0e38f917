// The body channel: a socket beside the child's IPC channel that carries answer bodies as raw bytes.
// Node's IPC serializes a Uint8Array in JS on both sides (about 6 ms for a 300 KB page of rows in a
// run); the same bytes read with one blocking read take about a quarter of that. Imported by the child, so
// nothing here may import zod (the permission model lets the child read only what it needs).
import { readSync } from 'node:fs';

/** The channel's fd in the child (stdio: ignore, ignore, stderr pipe, IPC, body channel). */
export const BODY_CHANNEL_FD = 4;

/** An answer's body: the next `channelBytes` bytes on the body channel, written just before the message. */
export interface ChannelBody {
  channelBytes: number;
}

/**
 * The child's side: the next body off the channel. The parent wrote it just before its message, so one
 * blocking read (rarely more) takes it; a closed channel means the parent is gone.
 */
export function readBody({ channelBytes }: ChannelBody): Uint8Array {
  const bytes = new Uint8Array(channelBytes);
  for (let got = 0; got < channelBytes;) {
    const n = readSync(BODY_CHANNEL_FD, bytes, got, channelBytes - got, null);
    if (n === 0) throw new Error('the body channel closed mid-answer');
    got += n;
  }
  return bytes;
}
