/**
 * The host checker: one full check of every probe with the rights it runs as (SYSTEM, from Task
 * Scheduler), published to %ProgramData%\RDP Health\host for every user's agent to read. It alone
 * writes the host's snapshot and history, the Prometheus textfile and the Event Log events.
 *
 *   lock (host-check.lock in the admin-only folder: one check per host at a time)
 *   → the last published snapshot (the Event Log's "before", and the rate limit: not twice in 60 s,
 *     so a user allowed to start the task on demand cannot make it loop)
 *   → policy → every probe → publish snapshot.json (atomic) + history.jsonl + rdp_health.prom → events
 *
 * A probe that fails half way is a finding like any other: what was checked is published.
 * It never publishes into a folder it cannot trust (a user-writable folder would let a user plant a
 * link that SYSTEM then writes through); on Windows only the installer creates the folder.
 */
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import type { HealthSnapshot } from '../../probes/common/finding.js';
import { writeFileAtomic } from './atomic-file.js';
import { certificateExpiries } from './certificate-expiry.js';
import { CheckRunner, type RunnableProbe } from './check-runner.js';
import { FleetFeatures } from './fleet.js';
import { HistoryStore } from './history.js';
import { HOST_HISTORY_FILE, HOST_SNAPSHOT_FILE, hasFullRights, readHostSnapshot, verifyPublished, type Identity, type PublishedSnapshot } from './host-snapshot.js';
import type { AgentLogger } from './logging.js';
import type { ScriptSession } from './powershell-session.js';

export const HOST_CHECK_LOCK_FILE = 'host-check.lock';
/** Not twice within this: the task may be started on demand by any user. */
export const MIN_CHECK_SPACING_MS = 60_000;
/** A lock older than this was left by a checker that died (a full check takes minutes at most). */
const STALE_LOCK_MS = 15 * 60_000;

export interface HostCheckOptions {
  session: ScriptSession;
  probesDir: string;
  probes: readonly RunnableProbe[];
  logger: AgentLogger;
  /**
   * The simulated host: its ProgramData folder (a real folder) and the identity it runs as. On
   * Windows both come from the verified read (the known folder, the process token).
   */
  simulated?: { programDataDir: string; identity: Identity };
  probeTimeoutMs?: number;
  /** Write the Event Log (default true). */
  eventLog?: boolean;
  now?: () => Date;
}

export type HostCheckResult =
  | { outcome: 'published'; folder: string; record: PublishedSnapshot; problems: string[] }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'refused'; reason: string };

/** Where the simulated host's checker publishes: the simulated ProgramData's RDP Health\host. */
export function simulatedHostFolder(programDataDir: string): string {
  return join(programDataDir, 'RDP Health', 'host');
}

async function takeLock(folder: string, now: Date): Promise<(() => Promise<void>) | undefined> {
  const path = join(folder, HOST_CHECK_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, startedAt: now.toISOString() }));
      await handle.close();
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(path).catch(() => undefined);
      if (held && now.getTime() - held.mtimeMs <= STALE_LOCK_MS) return undefined;
      await unlink(path).catch(() => undefined);
    }
  }
  return undefined;
}

/** The last published snapshot, read in the checker's own (admin-only) folder; undefined when there is none usable. */
async function lastPublished(folder: string, now: Date): Promise<PublishedSnapshot | undefined> {
  const text = await readFile(join(folder, HOST_SNAPSHOT_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const verified = verifyPublished(text, now);
  return 'record' in verified ? verified.record : undefined;
}

export async function runHostCheck(options: HostCheckOptions): Promise<HostCheckResult> {
  const now = options.now ?? (() => new Date());
  const { session, probesDir, logger } = options;
  // Where to publish and who this is: the same verified read every user's agent does.
  const trust = await readHostSnapshot({ session, probesDir, now, maxAgeMs: Number.POSITIVE_INFINITY, logger });
  const identity = options.simulated?.identity ?? trust.identity;
  if (!identity || !hasFullRights(identity)) {
    return { outcome: 'refused', reason: `The host checker runs as SYSTEM (Task Scheduler) or an elevated administrator; this process runs as ${identity ?? 'an unknown identity'}.` };
  }
  let folder: string;
  if (options.simulated) {
    folder = simulatedHostFolder(options.simulated.programDataDir);
    await mkdir(folder, { recursive: true });
  } else {
    if (!trust.folder || (trust.state === 'unusable' && !trust.installed)) return { outcome: 'refused', reason: `The folder ${trust.folder ?? '%ProgramData%\\RDP Health\\host'} does not exist; the installer creates it with its permissions.` };
    if (trust.state === 'unusable' && !trust.folderTrusted) return { outcome: 'refused', reason: `Nothing is published into a folder others could change: ${trust.reason}.` };
    folder = trust.folder;
  }
  const release = await takeLock(folder, now());
  if (!release) return { outcome: 'skipped', reason: 'Another host check is running.' };
  try {
    const previous = await lastPublished(folder, now());
    const since = previous ? now().getTime() - Date.parse(previous.checkedAt) : Number.POSITIVE_INFINITY;
    if (since >= 0 && since < MIN_CHECK_SPACING_MS) return { outcome: 'skipped', reason: `The host was checked ${Math.round(since / 1000)} s ago (${previous?.checkedAt}); one check a minute at most.` };
    return await checkAndPublish(options, folder, identity, previous?.snapshot, now);
  } finally {
    await release();
  }
}

async function checkAndPublish(options: HostCheckOptions, folder: string, identity: Identity, previous: HealthSnapshot | undefined, now: () => Date): Promise<HostCheckResult> {
  const { session, probesDir, logger } = options;
  const problems: string[] = [];
  const runner = new CheckRunner({ session, probesDir, probes: options.probes, logger, now, ...(options.probeTimeoutMs ? { probeTimeoutMs: () => options.probeTimeoutMs! } : {}) });
  const fleet = new FleetFeatures({
    session,
    probesDir,
    logger,
    metricsDir: folder,
    certificates: () => certificateExpiries((id) => runner.dataOf(id)),
    eventLog: options.eventLog !== false,
  });
  try {
    await fleet.refreshPolicy();
    const snapshot = await runner.run();
    const record: PublishedSnapshot = {
      schema: 1,
      checkedAt: now().toISOString(),
      identity,
      version: packageJson.version,
      snapshot,
      facts: { certificates: certificateExpiries((id) => runner.dataOf(id)) },
    };
    await writeFileAtomic(join(folder, HOST_SNAPSHOT_FILE), `${JSON.stringify(record, null, 2)}\n`);
    await new HistoryStore({ path: join(folder, HOST_HISTORY_FILE), now, logger })
      .append(snapshot)
      .catch((error: unknown) => problems.push(`history not written: ${String(error)}`));
    problems.push(...(await fleet.afterCycle(previous, { snapshot, source: 'checked' })));
    logger.info('host check published', { folder, overall: snapshot.overall });
    return { outcome: 'published', folder, record, problems };
  } finally {
    await fleet.dispose();
  }
}
