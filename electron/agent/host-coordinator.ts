/**
 * One check per host on multi-user servers. On an RDS session host every signed-in user runs the
 * agent; the probes must run once per host per interval, not once per session. The agents share a
 * folder (%ProgramData%\RDP Health\shared): the one holding the host lock (host-lock.ts) checks and
 * publishes the latest snapshot there; the others show that snapshot, and check themselves only
 * when it is stale or unreadable and no holder delivers one in time.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, win32 } from 'node:path';
import { z } from 'zod';
import { healthSnapshotSchema, type HealthSnapshot } from '../../probes/common/finding.js';
import { writeFileAtomic } from './atomic-file.js';
import { HostLock, ownerSchema, type HostLockOptions, type LockOwner } from './host-lock.js';
import { silentLogger, type AgentLogger } from './logging.js';

export { isProcessAlive, type LockOwner, type LockRecord } from './host-lock.js';

export const SHARED_SNAPSHOT_FILE = 'latest-snapshot.json';

/** %ProgramData%\RDP Health\shared on Windows (the installer creates it writable by Users). */
export function defaultSharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'RDP Health', 'shared');
}

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

/** The lock's options (heartbeat, staleness, owner, process check) are passed on to HostLock. */
export interface HostCoordinatorOptions extends Pick<HostLockOptions, 'heartbeatMs' | 'staleLockMs' | 'owner' | 'isProcessAlive'> {
  sharedDir: string;
  /** A shared snapshot older than this (from the end of its check) is not shown: about two intervals. */
  maxSnapshotAgeMs: () => number;
  /** How long a session waits for a live holder's snapshot before checking itself (default 2 min). */
  waitForHolderMs?: number;
  /** How often a waiting or watching session looks at the shared folder (default 1 s). */
  pollMs?: number;
  now?: () => number;
  /** Published with each snapshot this session checks, for the sessions that show it. */
  facts?: () => Record<string, unknown>;
  logger?: AgentLogger;
}

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export class HostCoordinator {
  readonly owner: LockOwner;
  private readonly lock: HostLock;
  private watcher: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly logger: AgentLogger;
  /** startedAt (ms) of the newest snapshot this session has checked, shown or been handed: older ones are not delivered again. */
  private handledAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: HostCoordinatorOptions) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.lock = new HostLock({
      sharedDir: options.sharedDir,
      now: this.now,
      logger: this.logger,
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      ...(options.staleLockMs !== undefined ? { staleLockMs: options.staleLockMs } : {}),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.isProcessAlive ? { isProcessAlive: options.isProcessAlive } : {}),
    });
    this.owner = this.lock.owner;
  }

  isHolder(): boolean {
    return this.lock.isHolder();
  }

  /** Holds the lock after this call if it was free, stale, or already ours (and still is). */
  tryAcquire(): Promise<boolean> {
    return this.lock.tryAcquire();
  }

  /** Gives the lock up (at exit): the next session takes over at its next cycle. */
  async release(): Promise<void> {
    this.stopWatching();
    await this.lock.release();
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
    this.markHandled(snapshot.startedAt);
    const record: SharedRecord = { schema: 1, writtenAt: this.iso(), by: { pid, host, user }, snapshot, ...(facts ? { facts } : {}) };
    await mkdir(this.options.sharedDir, { recursive: true });
    await writeFileAtomic(this.sharedPath(), JSON.stringify(record));
  }

  /** Notes a snapshot this session already shows (e.g. the last one in its history at start): watch() skips it and older ones. */
  markHandled(startedAt: string): void {
    const at = Date.parse(startedAt);
    if (at > this.handledAt) this.handledAt = at;
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
    if (shared && this.isFresh(shared)) return this.sharedResult(shared);
    // Counted in polls, not by the clock: the wait is real time whatever clock snapshots use.
    const pollMs = this.options.pollMs ?? 1000;
    for (let polls = Math.ceil((this.options.waitForHolderMs ?? 120_000) / pollMs); polls > 0; polls -= 1) {
      await pause(pollMs);
      const next = await this.readShared();
      if (next && this.isFresh(next)) return this.sharedResult(next);
      if (await this.tryAcquire()) return { snapshot: await this.checkAndPublish(check), source: 'checked' };
    }
    this.logger.warn('no fresh shared snapshot from the session holding the host lock; checking here', { sharedDir: this.options.sharedDir });
    return { snapshot: await this.checkAndPublish(check), source: 'fallback' };
  }

  /**
   * Calls back whenever another session publishes a snapshot (polling: works on every file system).
   * Only fresh snapshots newer than any this session handled: not the record left from before a
   * restart, nor one a cycle of this session already returned.
   */
  watch(onSnapshot: (record: SharedRecord) => void): void {
    this.stopWatching();
    const look = async (): Promise<void> => {
      const record = await this.readShared();
      if (!record || !this.isFresh(record) || Date.parse(record.snapshot.startedAt) <= this.handledAt) return;
      this.markHandled(record.snapshot.startedAt);
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

  private sharedResult(record: SharedRecord): CycleResult {
    this.markHandled(record.snapshot.startedAt);
    return { snapshot: record.snapshot, source: 'shared', ...(record.facts ? { facts: record.facts } : {}) };
  }

  private sharedPath(): string {
    return join(this.options.sharedDir, SHARED_SNAPSHOT_FILE);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
