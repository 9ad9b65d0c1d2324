/**
 * Reading a JSON-lines file from its end: the last `lines` lines without reading (or holding) the
 * rest, and whether that was the whole file. A file grown past V8's string limit (~512 MB) costs only
 * the bytes of its last lines; a single line larger than MAX_TAIL_BYTES is dropped, not read.
 */
import { open } from 'node:fs/promises';

const BLOCK = 64 * 1024;
/** The most read from the end at once (far more than 1,200 snapshots take). */
export const MAX_TAIL_BYTES = 64 * 1024 * 1024;

export interface Tail {
  /** The last lines (the last may be torn). */
  text: string;
  /** Whether these are all the file's lines. */
  whole: boolean;
}

/** The last `lines` lines, or undefined when the file does not exist. */
export async function readTailLines(path: string, lines: number, maxBytes = MAX_TAIL_BYTES): Promise<Tail | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const blocks: Buffer[] = [];
    let start = size;
    let newlines = 0;
    // Scan back until there is one newline more than the lines wanted (the start of the first one).
    while (start > 0 && newlines <= lines && size - start < maxBytes) {
      const from = Math.max(0, start - BLOCK, size - maxBytes);
      const block = Buffer.alloc(start - from);
      await handle.read(block, 0, block.length, from);
      newlines += countNewlines(block);
      blocks.unshift(block);
      start = from;
    }
    let tail = Buffer.concat(blocks);
    // Not at the start of the file: the first piece is part of an earlier line (or beyond the cap).
    if (start > 0) tail = tail.subarray(tail.indexOf(0x0a) + 1);
    // More lines than asked for: keep the last ones (a trailing newline ends the last line).
    let cut = tail.length;
    for (let seen = 0, index = tail.length - 1; index >= 0; index -= 1) {
      if (tail[index] === 0x0a && index !== tail.length - 1) {
        seen += 1;
        if (seen === lines) {
          cut = index;
          break;
        }
      }
    }
    return { text: (cut === tail.length ? tail : tail.subarray(cut + 1)).toString('utf8'), whole: start === 0 && cut === tail.length };
  } finally {
    await handle.close();
  }
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  for (let index = buffer.indexOf(0x0a); index !== -1; index = buffer.indexOf(0x0a, index + 1)) count += 1;
  return count;
}
