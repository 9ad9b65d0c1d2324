/**
 * Health history: one HealthSnapshot a line (JSON lines), bounded by count and age. Appends are a
 * single write of a whole line; a torn last line (a crash mid-write) is skipped when reading and
 * cut off before the next append, so earlier records are never touched. Compaction writes a temp
 * file and renames it over the old one.
 */
import { open, readFile, truncate } from 'node:fs/promises';
import { DAY_MS } from '../../probes/common/days.js';
import { healthSnapshotSchema, type HealthSnapshot } from '../../probes/common/finding.js';
import { writeFileAtomic } from './atomic-file.js';
import { parseJsonLines } from './json-text.js';
import { silentLogger, type AgentLogger } from './logging.js';

export interface HistoryOptions {
  path: string;
  maxEntries?: number;
  maxAgeDays?: number;
  now?: () => Date;
  logger?: AgentLogger;
}

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
      this.lines ??= (await this.readRecords()).length;
      const handle = await open(this.options.path, 'a');
      try {
        await handle.write(`${JSON.stringify(snapshot)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
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

  private withinBounds(records: HealthSnapshot[]): HealthSnapshot[] {
    const oldest = this.now().getTime() - this.maxAgeMs;
    return records.filter((record) => Date.parse(record.startedAt) >= oldest).slice(-this.maxEntries);
  }

  private async readRecords(): Promise<HealthSnapshot[]> {
    let text: string;
    try {
      text = await readFile(this.options.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const { records, skipped } = parseJsonLines(text, (value) => {
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
    const kept = this.withinBounds(await this.readRecords());
    await writeFileAtomic(this.options.path, kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
    this.lines = kept.length;
  }
}
