/**
 * Atomic file replacement, for every file the agent rewrites whole (settings, notification state,
 * history compaction) and those other processes read while we write them (the Prometheus textfile,
 * the shared snapshot, the host lock): write a temp file in the same folder, flush it, then rename
 * it over the target, so a reader (or a crash) sees the old file or the new one, never half a file.
 * On Windows a rename over a file another process has open without FILE_SHARE_DELETE fails with
 * EPERM/EACCES/EBUSY for a moment; that is retried briefly.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const RETRYABLE = new Set(['EPERM', 'EACCES', 'EBUSY']);

export interface AtomicWriteOptions {
  /** Attempts at the rename when Windows reports the target busy (default 5). */
  attempts?: number;
  /** File mode for a new file (POSIX only). */
  mode?: number;
}

/**
 * The temp name starts with a dot and does not end in the target's extension, so collectors that
 * read `*.prom` (windows_exporter) or `*.json` never pick up a half-written file.
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export async function writeFileAtomic(target: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(target);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await rename(temp, target);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!RETRYABLE.has(code) || attempt >= attempts) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      await pause(20 * attempt);
    }
  }
}
