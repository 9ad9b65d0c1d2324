/**
 * Health history: one HealthSnapshot a line (JSON lines), bounded by count and age. Appends are a
 * single write of a whole line (a short write is completed or undone, and logged); a torn last line
 * (a crash mid-write) is skipped when reading and cut off before the next append, so earlier records
 * are never touched. The file is only ever read from its tail (history-tail.ts): a file grown huge
 * costs the last records' bytes, never the whole file. Compaction writes those records to a temp
 * file and renames it over the old one.
 * Age is measured as the time the records show passing, each gap between two records (and since
 * the newest) counting at most MAX_GAP_MS: a clock jumped ahead (or back) for a cycle, or a month
 * switched off, never ages the present out of the history on its own.
 */
import { open, truncate } from 'node:fs/promises';
import { DAY_MS } from '../../probes/common/days.js';
import { healthSnapshotSchema, type HealthSnapshot } from '../../probes/common/finding.js';
import { writeFileAtomic } from './atomic-file.js';
import { readTailLines } from './history-tail.js';
import { parseJsonLines } from './json-text.js';
import { silentLogger, type AgentLogger } from './logging.js';

export interface HistoryOptions {
  path: string;
  maxEntries?: number;
  maxAgeDays?: number;
  now?: () => Date;
  logger?: AgentLogger;
}

/** The most one gap between records counts towards their age. */
const MAX_GAP_MS = DAY_MS;

export class HistoryStore {
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => Date;
  private readonly logger: AgentLogger;
  private queue: Promise<unknown> = Promise.resolve();
  /** Lines in the file as far as this process knows; undefined until first counted. */
  private lines: number | undefined;

  constructor(private readonly options: HistoryOptions) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxAgeMs = (options.maxAgeDays ?? 30) * DAY_MS;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
  }

  /** Appends one snapshot; compacts when the file has grown a fifth past its bound. */
  append(snapshot: HealthSnapshot): Promise<void> {
    return this.serialize(async () => {
      await this.repairTornTail();
      this.lines ??= await this.countLines();
      await this.appendLine(Buffer.from(`${JSON.stringify(snapshot)}\n`, 'utf8'));
      this.lines += 1;
      if (this.lines > Math.ceil(this.maxEntries * 1.2)) await this.compactNow();
    });
  }

  /** The last `limit` snapshots within the age bound, oldest first. */
  async read(options: { limit?: number } = {}): Promise<HealthSnapshot[]> {
    const records = this.withinBounds(await this.serialize(() => this.readRecords()));
    return options.limit === undefined ? records : records.slice(-options.limit);
  }

  /** Rewrites the file with only what is within bounds (temp file + rename). */
  compact(): Promise<void> {
    return this.serialize(() => this.compactNow());
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A whole line or nothing: a short write writes the rest, and a failure cuts the file back. */
  private async appendLine(line: Buffer): Promise<void> {
    const handle = await open(this.options.path, 'a');
    try {
      const { size } = await handle.stat();
      let written = 0;
      try {
        while (written < line.length) {
          const { bytesWritten } = await handle.write(line, written, line.length - written);
          if (bytesWritten < line.length - written) this.logger.warn('history short write', { path: this.options.path, wanted: line.length - written, written: bytesWritten });
          if (bytesWritten === 0) throw new Error(`history write stopped after ${written} of ${line.length} bytes`);
          written += bytesWritten;
        }
      } catch (error) {
        this.logger.error('history append failed; the partial record was removed', { path: this.options.path, error: String(error), written });
        await handle.truncate(size).catch(() => undefined);
        throw error;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private withinBounds(records: HealthSnapshot[]): HealthSnapshot[] {
    const kept = records.slice(-this.maxEntries);
    const ages = this.ages(kept);
    return kept.filter((_, index) => ages[index]! <= this.maxAgeMs);
  }

  /** Each record's age as the history saw time pass (see the header), newest last. */
  private ages(records: HealthSnapshot[]): number[] {
    const gap = (later: number, earlier: number): number => (Number.isNaN(later - earlier) ? 0 : Math.min(Math.max(later - earlier, 0), MAX_GAP_MS));
    const ages = new Array<number>(records.length);
    let age = 0;
    let later = this.now().getTime();
    for (let index = records.length - 1; index >= 0; index -= 1) {
      const time = Date.parse(records[index]!.startedAt);
      age += gap(later, time);
      ages[index] = age;
      if (!Number.isNaN(time)) later = time;
    }
    return ages;
  }

  /** Only what the bounds can keep, plus the fifth compaction allows: the tail of the file. */
  private tailLines(): number {
    return Math.ceil(this.maxEntries * 1.2) + 1;
  }

  /** Lines in the file, counted from its tail: a file with more than the tail holds counts as due for compaction. */
  private async countLines(): Promise<number> {
    const tail = await readTailLines(this.options.path, this.tailLines());
    if (tail === undefined) return 0;
    return tail.whole ? tail.text.split('\n').filter((line) => line !== '').length : this.tailLines() + 1;
  }

  private async readRecords(): Promise<HealthSnapshot[]> {
    const tail = await readTailLines(this.options.path, this.tailLines());
    if (tail === undefined) return [];
    const { records, skipped } = parseJsonLines(tail.text, (value) => {
      const parsed = healthSnapshotSchema.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    });
    if (skipped > 0) this.logger.warn('history lines skipped', { path: this.options.path, skipped });
    return records;
  }

  /** A file that does not end in a newline ends in a torn record: cut it off at the last newline. */
  private async repairTornTail(): Promise<void> {
    let handle;
    try {
      handle = await open(this.options.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let keep: number | undefined;
    try {
      const { size } = await handle.stat();
      if (size === 0) return;
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] === 0x0a) return;
      // Scan back in blocks for the last newline; everything after it is the torn record.
      const block = Buffer.alloc(64 * 1024);
      keep = 0;
      for (let end = size; end > 0; end -= block.length) {
        const start = Math.max(0, end - block.length);
        await handle.read(block, 0, end - start, start);
        const index = block.subarray(0, end - start).lastIndexOf(0x0a);
        if (index !== -1) {
          keep = start + index + 1;
          break;
        }
      }
    } finally {
      await handle.close();
    }
    if (keep === undefined) return;
    this.logger.warn('history had a torn last record; cutting it off', { path: this.options.path, keepBytes: keep });
    await truncate(this.options.path, keep);
    this.lines = undefined;
  }

  private async compactNow(): Promise<void> {
    // Bounded by maxEntries records read from the tail, whatever the file's size.
    const kept = this.withinBounds(await this.readRecords());
    await writeFileAtomic(this.options.path, kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
    this.lines = kept.length;
  }
}
