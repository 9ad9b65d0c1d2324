/**
 * What a fleet rollout adds to the agent, behind one object: the administrator policy (read
 * through the warm session, laid over the user's settings, fixes it forbids), the Event Log and
 * the Prometheus textfile. Nothing here throws into a cycle: each part logs its own trouble.
 *
 * Who calls what:
 *   the host checker (host-checker.ts): refreshPolicy(); afterCycle(previous, result) writes the
 *                 events and the metrics file: it alone reports the host's state
 *   each user's agent: refreshPolicy() each cycle; effective()/assertPatchAllowed() for settings;
 *                 visible() for what it shows; certificatesFor() for notifications
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
import type { AgentLogger } from './logging.js';
import { writeMetricsFile } from './metrics.js';
import type { CertificateExpiry } from './notify-policy.js';
import type { ScriptSession } from './powershell-session.js';
import type { AgentSettings } from './settings.js';

export interface FleetOptions {
  session: Pick<ScriptSession, 'runScript'>;
  probesDir: string;
  logger: AgentLogger;
  /** Write events to the Application log (default true). */
  eventLog?: boolean;
  /** A metrics folder written besides the one the policy names (the host checker's own folder). */
  metricsDir?: string;
  /** The certificates the last check read (certificateExpiries(runner.dataOf)). */
  certificates?: () => readonly CertificateExpiry[];
  /** Bound of one policy read (the probes' timeout). */
  policyTimeoutMs?: () => number;
}

/**
 * Where a cycle's snapshot came from: checked in this process, or the host checker's published
 * one (with the facts it published, such as certificate expiry).
 */
export interface CycleResult {
  snapshot: HealthSnapshot;
  source: 'checked' | 'host';
  facts?: { certificates?: unknown };
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
  private readonly events: EventLogWriter | undefined;

  constructor(private readonly options: FleetOptions) {
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

  effective(user: AgentSettings): EffectiveSettings {
    return applyAdminPolicy(user, this.current);
  }

  assertPatchAllowed(patch: Partial<AgentSettings>, user: AgentSettings): void {
    assertPatchAllowed(patch, this.effective(user));
  }

  fixRefusal(fix: Pick<FixDescriptor, 'lowersSecurity'>): string | undefined {
    return fixRefusal(fix, this.current);
  }

  /** The snapshot as the window and tray show it: fixes the policy forbids are not offered. */
  visible(snapshot: HealthSnapshot): HealthSnapshot {
    return applyFixPolicy(snapshot, this.current);
  }

  /** The certificates behind a cycle's snapshot: read here, or published by the host checker. */
  certificatesFor(result: CycleResult): CertificateExpiry[] {
    if (result.source !== 'host') return [...(this.options.certificates?.() ?? [])];
    const parsed = certificatesSchema.safeParse(result.facts?.certificates);
    return parsed.success ? parsed.data.map((c) => ({ probeId: c.probeId, thumbprint: c.thumbprint, notAfter: c.notAfter, ...(c.subject ? { subject: c.subject } : {}) })) : [];
  }

  /**
   * After the host checker's cycle: the Event Log (status changes since the last published
   * snapshot) and the metrics files. Returns what could not be written, for the checker's report.
   */
  async afterCycle(previous: HealthSnapshot | undefined, result: CycleResult): Promise<string[]> {
    const problems: string[] = [];
    const certificates = this.certificatesFor(result);
    if (this.events) {
      const results = await this.events.writeAll(probeStatusEvents(previous, result.snapshot));
      for (const problem of new Set(results.flatMap((r) => (r.written ? [] : [r.problem ?? 'unknown'])))) problems.push(`event not written: ${problem}`);
    }
    const folders = new Set([this.options.metricsDir, this.current.metricsTextfileDirectory].filter((dir): dir is string => dir !== undefined));
    for (const metricsDir of folders) {
      await writeMetricsFile(metricsDir, result.snapshot, { certificates }).catch((error: unknown) => {
        this.options.logger.warn('metrics file not written', { metricsDir, error: String(error) });
        problems.push(`metrics file not written in ${metricsDir}: ${String(error)}`);
      });
    }
    return problems;
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

  async dispose(): Promise<void> {
    await this.events?.dispose();
  }
}
