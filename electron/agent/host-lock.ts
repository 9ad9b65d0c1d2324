/**
 * The host lock: which session of a multi-user host checks for the host (host-coordinator.ts).
 * It is a series of generation files in the shared folder, `lock.<n>.json`, each created
 * exclusively (hard link of a complete temp file, so no reader ever sees it half written). The
 * highest generation is the lock. Its holder rewrites it as a heartbeat. A lock whose owner process
 * is gone, whose heartbeat is too old, or that was released is taken over by creating generation
 * n+1: exclusive creation means exactly one contender wins, and a holder that finds a higher
 * generation steps down.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { tempPathFor, writeFileAtomic } from './atomic-file.js';
import { parseJsonText } from './json-text.js';
import type { AgentLogger } from './logging.js';

const LOCK_FILE = /^lock\.(\d+)\.json$/;
const lockFileName = (generation: number): string => `lock.${generation}.json`;

export const ownerSchema = z.object({ pid: z.number().int(), host: z.string(), user: z.string(), token: z.string() });
export type LockOwner = z.infer<typeof ownerSchema>;

const lockRecordSchema = ownerSchema.extend({
  generation: z.number().int().positive(),
  acquiredAt: z.string(),
  heartbeatAt: z.string(),
  released: z.boolean().optional(),
});
export type LockRecord = z.infer<typeof lockRecordSchema>;

export interface HostLockOptions {
  sharedDir: string;
  /** How often the holder refreshes its heartbeat (default 15 s). */
  heartbeatMs?: number;
  /** A heartbeat older than this makes the lock stale (default 4 heartbeats). */
  staleLockMs?: number;
  now: () => number;
  owner?: Partial<Omit<LockOwner, 'token'>>;
  isProcessAlive?: (pid: number) => boolean;
  logger: AgentLogger;
}

/** Signal 0 tests a pid without touching it; EPERM means it exists but belongs to another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface CurrentLock {
  generation: number;
  record?: LockRecord;
  /** mtime of the file, for a lock that cannot be parsed. */
  modifiedMs: number;
}

export class HostLock {
  readonly owner: LockOwner;
  private generation: number | undefined;
  private acquiredAt: string | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly heartbeatMs: number;
  private readonly staleLockMs: number;
  private readonly logger: AgentLogger;
  private readonly alive: (pid: number) => boolean;

  constructor(private readonly options: HostLockOptions) {
    this.now = options.now;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.staleLockMs = options.staleLockMs ?? 4 * this.heartbeatMs;
    this.logger = options.logger;
    this.alive = options.isProcessAlive ?? isProcessAlive;
    this.owner = {
      pid: options.owner?.pid ?? process.pid,
      host: options.owner?.host ?? hostname(),
      user: options.owner?.user ?? safeUserName(),
      token: randomBytes(8).toString('hex'),
    };
  }

  isHolder(): boolean {
    return this.generation !== undefined;
  }

  /** Holds the lock after this call if it was free, stale, or already ours (and still is). */
  async tryAcquire(): Promise<boolean> {
    const current = await this.readCurrentLock();
    if (this.generation !== undefined) {
      if (current?.generation === this.generation && current.record?.token === this.owner.token) {
        await this.writeHeartbeat(this.generation);
        return true;
      }
      this.stepDown('another session took over the host lock');
    }
    if (current && !this.isStale(current)) return false;
    return this.create((current?.generation ?? 0) + 1, current);
  }

  /** Gives the lock up (at exit): the next session takes over at its next cycle. */
  async release(): Promise<void> {
    const generation = this.generation;
    if (generation === undefined) return;
    this.stopHeartbeat();
    this.generation = undefined;
    const current = await this.readCurrentLock();
    if (current?.generation !== generation || current.record?.token !== this.owner.token) return;
    await writeFileAtomic(this.lockPath(generation), JSON.stringify({ ...current.record, released: true, heartbeatAt: this.iso() })).catch(() => undefined);
  }

  private isStale(current: CurrentLock): boolean {
    const record = current.record;
    if (!record) return this.now() - current.modifiedMs > this.staleLockMs;
    if (record.released) return true;
    if (record.host === this.owner.host && !this.alive(record.pid)) return true;
    return this.now() - Date.parse(record.heartbeatAt) > this.staleLockMs;
  }

  private async create(generation: number, previous: CurrentLock | undefined): Promise<boolean> {
    const acquiredAt = this.iso();
    const record: LockRecord = { ...this.owner, generation, acquiredAt, heartbeatAt: acquiredAt };
    const target = this.lockPath(generation);
    const temp = tempPathFor(target);
    await writeFile(temp, JSON.stringify(record), { flag: 'wx' });
    try {
      await link(temp, target); // fails with EEXIST when another session created this generation first
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    this.generation = generation;
    this.acquiredAt = acquiredAt;
    this.logger.info('holding the host lock: this session checks for the host', {
      generation,
      previousOwner: previous?.record ? { pid: previous.record.pid, user: previous.record.user, released: previous.record.released ?? false } : undefined,
    });
    this.startHeartbeat();
    await this.removeOlderThan(generation);
    return true;
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private async beat(): Promise<void> {
    const generation = this.generation;
    if (generation === undefined) return;
    const current = await this.readCurrentLock();
    if (current?.generation !== generation || current.record?.token !== this.owner.token) {
      this.stepDown('another session took over the host lock');
      return;
    }
    await this.writeHeartbeat(generation);
  }

  private async writeHeartbeat(generation: number): Promise<void> {
    const record: LockRecord = { ...this.owner, generation, acquiredAt: this.acquiredAt ?? this.iso(), heartbeatAt: this.iso() };
    await writeFileAtomic(this.lockPath(generation), JSON.stringify(record));
  }

  private stepDown(reason: string): void {
    this.logger.warn(reason, { generation: this.generation });
    this.stopHeartbeat();
    this.generation = undefined;
  }

  private async readCurrentLock(): Promise<CurrentLock | undefined> {
    const generations = await this.lockGenerations();
    const generation = generations.at(-1);
    if (generation === undefined) return undefined;
    const path = this.lockPath(generation);
    try {
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      const parsed = lockRecordSchema.safeParse(parseJsonText(text));
      return { generation, modifiedMs: info.mtimeMs, ...(parsed.success ? { record: parsed.data } : {}) };
    } catch {
      // Unreadable for a moment (a heartbeat being renamed in on Windows): young, so not stale.
      return { generation, modifiedMs: this.now() };
    }
  }

  private async lockGenerations(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.options.sharedDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Outside an installed Windows host nobody made the folder; on Windows the installer did.
      await mkdir(this.options.sharedDir, { recursive: true });
      names = [];
    }
    return names
      .map((name) => LOCK_FILE.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async removeOlderThan(generation: number): Promise<void> {
    for (const older of await this.lockGenerations()) {
      if (older < generation) await unlink(this.lockPath(older)).catch(() => undefined);
    }
  }

  private lockPath(generation: number): string {
    return join(this.options.sharedDir, lockFileName(generation));
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
