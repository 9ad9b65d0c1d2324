/**
 * What a fleet rollout adds to the agent, behind one object the Agent calls from a few places:
 * the administrator policy (read through the warm session, laid over the user's settings, fixes it
 * forbids), the Event Log, the Prometheus textfile and one check per host on multi-user servers.
 * Nothing here throws into a cycle: each part logs its own trouble and the check goes on.
 *
 * The Agent's side, in order:
 *   create:       fleet = new FleetFeatures({ session, probesDir, logger, sharedDir, intervalMs })
 *   each cycle:   await fleet.refreshPolicy(); const result = await fleet.runCycle(() => runner.run());
 *                 await fleet.afterCycle(previousShown, result); notify with fleet.certificatesFor(result);
 *                 show fleet.visible(result.snapshot)
 *   settings:     fleet.effective(userSettings) for what applies; fleet.assertPatchAllowed(patch, userSettings)
 *   repairs:      RepairService({ refuse: (fix) => fleet.fixRefusal(fix) }); fleet.afterFix(...) per outcome
 *   stop:         await fleet.dispose()
 */
import { z } from 'zod';
import type { FixDescriptor, HealthSnapshot } from '../../probes/common/finding.js';
import {
  applyAdminPolicy,
  applyFixPolicy,
  assertPatchAllowed,
  fixRefusal,
  readAdminPolicy,
  type AdminPolicy,
  type EffectiveSettings,
  type PolicyReadResult,
} from './admin-policy.js';
import { EventLogWriter, fixEvent, probeStatusEvents, type FixAction, type FixOutcomeKind } from './event-log.js';
import { HostCoordinator, type CycleResult, type SharedRecord } from './host-coordinator.js';
import type { AgentLogger } from './logging.js';
import { writeMetricsFile } from './metrics.js';
import type { CertificateExpiry } from './notify-policy.js';
import type { ScriptSession } from './powershell-session.js';
import type { Settings } from './settings.js';

export interface FleetOptions {
  session: Pick<ScriptSession, 'runScript'>;
  probesDir: string;
  logger: AgentLogger;
  /** The folder the sessions of this host share (defaultSharedDir() on Windows); none = no coordination. */
  sharedDir?: string;
  /** The check interval in force, for how old a shared snapshot may be. */
  intervalMs: () => number;
  /** Write events to the Application log (default true). */
  eventLog?: boolean;
  /** Metrics folder when no policy names one (tests, the CLI); the policy wins. */
  metricsDir?: string;
  /** The certificates the last check read (certificateExpiries(runner.dataOf)), shared with the other sessions. */
  certificates?: () => readonly CertificateExpiry[];
  /** Bound of one policy read (the probes' timeout). */
  policyTimeoutMs?: () => number;
  /** Coordinator timings (tests). */
  coordination?: { heartbeatMs?: number; staleLockMs?: number; waitForHolderMs?: number; pollMs?: number };
}

/** After a policy read timed out, how long the policy in force is kept without asking again. */
const POLICY_RETRY_MS = 5 * 60_000;

const certificatesSchema = z.array(z.object({ probeId: z.string(), thumbprint: z.string(), notAfter: z.string(), subject: z.string().optional() }));

export interface FixOutcomeLike {
  fixId: string;
  outcome: FixOutcomeKind;
  message: string;
  recordId?: string;
}

export class FleetFeatures {
  private current: AdminPolicy = {};
  private lastRead: PolicyReadResult | undefined;
  private policyTimedOutAt: number | undefined;
  readonly coordinator: HostCoordinator | undefined;
  private readonly events: EventLogWriter | undefined;

  constructor(private readonly options: FleetOptions) {
    this.coordinator = options.sharedDir
      ? new HostCoordinator({
          sharedDir: options.sharedDir,
          // A snapshot older than two intervals means the session that checks has stopped doing so.
          maxSnapshotAgeMs: () => 2 * options.intervalMs(),
          facts: () => ({ certificates: options.certificates?.() ?? [] }),
          logger: options.logger,
          ...options.coordination,
        })
      : undefined;
    this.events = options.eventLog === false ? undefined : new EventLogWriter({ session: options.session, probesDir: options.probesDir, logger: options.logger });
  }

  get policy(): AdminPolicy {
    return this.current;
  }

  /** What the last read found (the window shows problems with the policy to an admin). */
  get policyRead(): PolicyReadResult | undefined {
    return this.lastRead;
  }

  /**
   * Reads the policy again; a failed read keeps the policy already in force. A read that timed out
   * (a hung registry) is not repeated for POLICY_RETRY_MS: the cycle's checks get the shell instead.
   */
  async refreshPolicy(): Promise<AdminPolicy> {
    if (this.policyTimedOutAt !== undefined && performance.now() - this.policyTimedOutAt < POLICY_RETRY_MS) return this.current;
    const read = await readAdminPolicy(this.options.session, this.options.probesDir, this.options.logger, this.options.policyTimeoutMs?.());
    this.policyTimedOutAt = read.error?.includes('ShellTimeoutError') ? performance.now() : undefined;
    this.lastRead = read;
    if (read.error === undefined) this.current = read.policy;
    return this.current;
  }

  effective(user: Settings): EffectiveSettings {
    return applyAdminPolicy(user, this.current);
  }

  assertPatchAllowed(patch: Partial<Settings>, user: Settings): void {
    assertPatchAllowed(patch, this.effective(user));
  }

  fixRefusal(fix: Pick<FixDescriptor, 'lowersSecurity'>): string | undefined {
    return fixRefusal(fix, this.current);
  }

  /** The snapshot as the window and tray show it: fixes the policy forbids are not offered. */
  visible(snapshot: HealthSnapshot): HealthSnapshot {
    return applyFixPolicy(snapshot, this.current);
  }

  /** One scheduled cycle: coordinated with the other sessions of the host when a shared folder is set. */
  runCycle(check: () => Promise<HealthSnapshot>): Promise<CycleResult> {
    if (!this.coordinator) return check().then((snapshot) => ({ snapshot, source: 'checked' as const }));
    return this.coordinator.runCycle(check);
  }

  /** The certificates behind a cycle's snapshot: read here, or published by the session that checked. */
  certificatesFor(result: CycleResult): CertificateExpiry[] {
    if (result.source !== 'shared') return [...(this.options.certificates?.() ?? [])];
    const parsed = certificatesSchema.safeParse(result.facts?.certificates);
    return parsed.success ? parsed.data.map((c) => ({ probeId: c.probeId, thumbprint: c.thumbprint, notAfter: c.notAfter, ...(c.subject ? { subject: c.subject } : {}) })) : [];
  }

  /**
   * After a cycle this session ran itself: the Event Log (status changes since what this session
   * showed before) and the metrics file. A snapshot taken from the shared folder was reported by
   * the session that checked.
   */
  async afterCycle(previous: HealthSnapshot | undefined, result: CycleResult): Promise<void> {
    if (result.source === 'shared') return;
    const certificates = this.certificatesFor(result);
    if (this.events) await this.events.writeAll(probeStatusEvents(previous, result.snapshot));
    const metricsDir = this.current.metricsTextfileDirectory ?? this.options.metricsDir;
    if (metricsDir) {
      await writeMetricsFile(metricsDir, result.snapshot, { certificates }).catch((error: unknown) =>
        this.options.logger.warn('metrics file not written', { metricsDir, error: String(error) }),
      );
    }
  }

  /** After a repair was applied, undone or declined. */
  async afterFix(action: FixAction, outcome: FixOutcomeLike, context: { host: string; fixTitle?: string; user?: string }): Promise<void> {
    if (!this.events) return;
    await this.events.write(
      fixEvent({
        action,
        fixId: outcome.fixId,
        outcome: outcome.outcome,
        message: outcome.message,
        host: context.host,
        ...(outcome.recordId ? { recordId: outcome.recordId } : {}),
        ...(context.fixTitle ? { fixTitle: context.fixTitle } : {}),
        ...(context.user ? { user: context.user } : {}),
      }),
    );
  }

  /** Calls back when another session publishes a newer snapshot than `shown`, so every session shows the newest. */
  watchShared(onSnapshot: (record: SharedRecord) => void, shown?: HealthSnapshot): void {
    if (shown) this.coordinator?.markHandled(shown.startedAt);
    this.coordinator?.watch(onSnapshot);
  }

  /** Publishes a snapshot this session took outside the schedule (Check now, after a fix). */
  async share(snapshot: HealthSnapshot): Promise<void> {
    await this.coordinator?.publish(snapshot).catch((error: unknown) => this.options.logger.warn('shared snapshot not written', { error: String(error) }));
  }

  async dispose(): Promise<void> {
    await this.coordinator?.release().catch(() => undefined);
    await this.events?.dispose();
  }
}
