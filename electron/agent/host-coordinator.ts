/**
 * One check per host on multi-user servers. On an RDS session host every signed-in user runs the
 * agent; the probes must run once per host per interval, not once per session. The agents share a
 * folder (%ProgramData%\RDP Health\shared): the one holding the host lock checks and publishes the
 * latest snapshot there; the others show that snapshot, and check themselves only when it is stale
 * or unreadable and no holder delivers one in time.
 *
 * The lock is a series of generation files, `lock.<n>.json`, each created exclusively (hard link
 * of a complete temp file, so no reader ever sees it half written). The highest generation is the
 * lock. Its holder rewrites it as a heartbeat. A lock whose owner process is gone, whose heartbeat
 * is too old, or that was released is taken over by creating generation n+1: exclusive creation
 * means exactly one contender wins, and a holder that finds a higher generation steps down.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, win32 } from 'node:path';
import { z } from 'zod';
import { healthSnapshotSchema, type HealthSnapshot } from '../../probes/common/finding.js';
import { tempPathFor, writeFileAtomic } from './atomic-file.js';
import { parseJsonText } from './json-text.js';
import { silentLogger, type AgentLogger } from './logging.js';

export const SHARED_SNAPSHOT_FILE = 'latest-snapshot.json';
const LOCK_FILE = /^lock\.(\d+)\.json$/;
const lockFileName = (generation: number): string => `lock.${generation}.json`;

/** %ProgramData%\RDP Health\shared on Windows (the installer creates it writable by Users). */
export function defaultSharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'RDP Health', 'shared');
}

const ownerSchema = z.object({ pid: z.number().int(), host: z.string(), user: z.string(), token: z.string() });
export type LockOwner = z.infer<typeof ownerSchema>;

const lockRecordSchema = ownerSchema.extend({
  generation: z.number().int().positive(),
  acquiredAt: z.string(),
  heartbeatAt: z.string(),
  released: z.boolean().optional(),
});
export type LockRecord = z.infer<typeof lockRecordSchema>;

const sharedRecordSchema = z.object({
  schema: z.literal(1),
  writtenAt: z.string(),
  by: ownerSchema.omit({ token: true }),
  snapshot: healthSnapshotSchema,
  /** What the checking session knew beyond the snapshot (e.g. certificate expiry for notifications). */
  facts: z.record(z.string(), z.unknown()).optional(),
});
export type SharedRecord = z.infer<typeof sharedRecordSchema>;

export type CycleSource = 'checked' | 'shared' | 'fallback';
export interface CycleResult {
  snapshot: HealthSnapshot;
  source: CycleSource;
  /** The facts published with a shared snapshot (source 'shared' only). */
  facts?: Record<string, unknown>;
}

export interface HostCoordinatorOptions {
  sharedDir: string;
  /** A shared snapshot older than this (from the end of its check) is not shown: about two intervals. */
  maxSnapshotAgeMs: () => number;
  /** How often the holder refreshes its heartbeat (default 15 s). */
  heartbeatMs?: number;
  /** A heartbeat older than this makes the lock stale (default 4 heartbeats). */
  staleLockMs?: number;
  /** How long a session waits for a live holder's snapshot before checking itself (default 2 min). */
  waitForHolderMs?: number;
  /** How often a waiting or watching session looks at the shared folder (default 1 s). */
  pollMs?: number;
  now?: () => number;
  owner?: Partial<Omit<LockOwner, 'token'>>;
  isProcessAlive?: (pid: number) => boolean;
  /** Published with each snapshot this session checks, for the sessions that show it. */
  facts?: () => Record<string, unknown>;
  logger?: AgentLogger;
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

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

interface CurrentLock {
  generation: number;
  record?: LockRecord;
  /** mtime of the file, for a lock that cannot be parsed. */
  modifiedMs: number;
}

export class HostCoordinator {
  readonly owner: LockOwner;
  private generation: number | undefined;
  private acquiredAt: string | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private watcher: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly heartbeatMs: number;
  private readonly staleLockMs: number;
  private readonly logger: AgentLogger;
  private readonly alive: (pid: number) => boolean;

  constructor(private readonly options: HostCoordinatorOptions) {
    this.now = options.now ?? Date.now;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.staleLockMs = options.staleLockMs ?? 4 * this.heartbeatMs;
    this.logger = options.logger ?? silentLogger;
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
    this.stopWatching();
    const generation = this.generation;
    if (generation === undefined) return;
    this.stopHeartbeat();
    this.generation = undefined;
    const current = await this.readCurrentLock();
    if (current?.generation !== generation || current.record?.token !== this.owner.token) return;
    await writeFileAtomic(this.lockPath(generation), JSON.stringify({ ...current.record, released: true, heartbeatAt: this.iso() })).catch(() => undefined);
  }

  /** The latest shared snapshot, or undefined when there is none or it cannot be read. */
  async readShared(): Promise<SharedRecord | undefined> {
    try {
      const parsed = sharedRecordSchema.safeParse(JSON.parse(await readFile(this.sharedPath(), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Publishes a snapshot for every session, unless a newer one is already there. */
  async publish(snapshot: HealthSnapshot): Promise<void> {
    const existing = await this.readShared();
    if (existing && Date.parse(existing.snapshot.startedAt) > Date.parse(snapshot.startedAt)) return;
    const { pid, host, user } = this.owner;
    const facts = this.options.facts?.();
    const record: SharedRecord = { schema: 1, writtenAt: this.iso(), by: { pid, host, user }, snapshot, ...(facts ? { facts } : {}) };
    await mkdir(this.options.sharedDir, { recursive: true });
    await writeFileAtomic(this.sharedPath(), JSON.stringify(record));
  }

  isFresh(record: SharedRecord): boolean {
    const checkedAt = Date.parse(record.snapshot.startedAt) + record.snapshot.durationMs;
    return this.now() - checkedAt <= this.options.maxSnapshotAgeMs();
  }

  /**
   * One scheduled cycle: the holder checks and publishes; another session shows the shared
   * snapshot, waits for a live holder's first one, and checks itself only when none comes.
   */
  async runCycle(check: () => Promise<HealthSnapshot>): Promise<CycleResult> {
    let holder: boolean;
    try {
      holder = await this.tryAcquire();
    } catch (error) {
      // No usable shared folder: this session is on its own, as it would be without coordination.
      this.logger.warn('host lock unavailable; checking in this session', { sharedDir: this.options.sharedDir, error: String(error) });
      return { snapshot: await check(), source: 'fallback' };
    }
    if (holder) return { snapshot: await this.checkAndPublish(check), source: 'checked' };
    const shared = await this.readShared();
    if (shared && this.isFresh(shared)) return sharedResult(shared);
    // Counted in polls, not by the clock: the wait is real time whatever clock snapshots use.
    const pollMs = this.options.pollMs ?? 1000;
    for (let polls = Math.ceil((this.options.waitForHolderMs ?? 120_000) / pollMs); polls > 0; polls -= 1) {
      await pause(pollMs);
      const next = await this.readShared();
      if (next && this.isFresh(next)) return sharedResult(next);
      if (await this.tryAcquire()) return { snapshot: await this.checkAndPublish(check), source: 'checked' };
    }
    this.logger.warn('no fresh shared snapshot from the session holding the host lock; checking here', { sharedDir: this.options.sharedDir });
    return { snapshot: await this.checkAndPublish(check), source: 'fallback' };
  }

  /** Calls back whenever another session publishes a snapshot (polling: works on every file system). */
  watch(onSnapshot: (record: SharedRecord) => void): void {
    this.stopWatching();
    let lastSeen: string | undefined;
    const look = async (): Promise<void> => {
      const record = await this.readShared();
      if (!record || record.writtenAt === lastSeen) return;
      lastSeen = record.writtenAt;
      if (record.by.pid !== this.owner.pid || record.by.host !== this.owner.host) onSnapshot(record);
    };
    this.watcher = setInterval(() => void look().catch(() => undefined), this.options.pollMs ?? 1000);
    this.watcher.unref();
  }

  stopWatching(): void {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
  }

  private async checkAndPublish(check: () => Promise<HealthSnapshot>): Promise<HealthSnapshot> {
    const snapshot = await check();
    try {
      await this.publish(snapshot);
    } catch (error) {
      this.logger.warn('shared snapshot not written', { sharedDir: this.options.sharedDir, error: String(error) });
    }
    return snapshot;
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

  private sharedPath(): string {
    return join(this.options.sharedDir, SHARED_SNAPSHOT_FILE);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function sharedResult(record: SharedRecord): CycleResult {
  return { snapshot: record.snapshot, source: 'shared', ...(record.facts ? { facts: record.facts } : {}) };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
