/**
 * How a fix on this PC is verified and offered: not by a host check (nothing on the host changed),
 * but by re-reading this PC's client settings and re-running the connect check of the computer
 * whose verdict offered the fix. ClientFixes remembers, per target, what the latest verdict offered.
 */
import type { Finding } from '../../../probes/common/finding.js';
import { clientFixApplied } from '../../../probes/client/client-fixes.js';
import type { ClientSettings } from '../../../probes/client/client-settings.js';
import { CLIENT_SETTINGS_PROBE_ID, describeClientTls } from '../../../probes/client/client-settings.js';
import { parseTarget } from '../../../probes/handshake/target.js';
import type { ConnectReport } from './connect.js';

/** What the repair service asks of the client side (RepairServiceOptions.client). */
export interface ClientFixHooks {
  /** The fix ids the latest connect verdicts offer (the window may run only these). */
  offered(): readonly string[];
  /** Re-reads this PC's settings and re-checks the target that offered the fix: the finding that decides "fixed". */
  verify(fixId: string): Promise<Finding>;
  /** The host of the computer whose latest verdict offered this fix (a fix of its .rdp file is for it only). */
  targetHostOf(fixId: string): string | undefined;
}

export interface ClientFixSources {
  settings(): Promise<{ settings: ClientSettings | null; problem: string | null }>;
  connect(target: string): Promise<ConnectReport>;
  now?: () => Date;
}

/** At most this many targets are remembered (a verdict per history entry plus typed ones). */
const MAX_TARGETS = 50;

export class ClientFixes implements ClientFixHooks {
  private readonly latest = new Map<string, readonly string[]>();
  /** Per fix, the last target whose verdict offered it: re-checked after the fix and after its undo. */
  private readonly offeredFor = new Map<string, string>();

  constructor(private readonly sources: ClientFixSources) {}

  /** Called with every connect verdict, so offers follow the latest check of each target. */
  remember(report: Pick<ConnectReport, 'target' | 'fixes'>): void {
    this.latest.delete(report.target);
    this.latest.set(report.target, report.fixes.map((fix) => fix.id));
    while (this.latest.size > MAX_TARGETS) this.latest.delete(this.latest.keys().next().value as string);
    for (const fix of report.fixes) this.offeredFor.set(fix.id, report.target);
  }

  targetHostOf(fixId: string): string | undefined {
    const target = this.offeredFor.get(fixId);
    const parsed = target === undefined ? undefined : parseTarget(target);
    return parsed?.ok ? parsed.host : undefined;
  }

  offered(): string[] {
    return [...new Set([...this.latest.values()].flat())];
  }

  async verify(fixId: string): Promise<Finding> {
    const checkedAt = (this.sources.now ?? (() => new Date()))().toISOString();
    const read = await this.sources.settings();
    const title = "This PC's Remote Desktop client";
    if (!read.settings) return { probeId: CLIENT_SETTINGS_PROBE_ID, status: 'unknown', title, summary: `This PC's settings could not be read again (${read.problem ?? 'no answer'}).`, evidence: {}, fixes: [], checkedAt };
    // The last target whose verdict offered this fix: its connect check says whether it now connects.
    const target = this.offeredFor.get(fixId);
    const report = target !== undefined ? await this.sources.connect(target) : undefined;
    if (report) this.remember(report);
    const stillOffered = report?.fixes.some((fix) => fix.id === fixId) ?? false;
    // A settings fix is read back; a file's fix is known only from its computer's re-check.
    const applied = clientFixApplied(fixId, read.settings) ?? (report !== undefined && report.status !== 'unknown' && !stillOffered);
    const status = applied && !stillOffered ? 'ok' : 'fail';
    const settingsWords = read.settings.tls.map((entry) => `TLS ${entry.version} ${describeClientTls(entry)}`);
    const summary = report
      ? `Checked ${report.target} again: ${report.summary}`
      : applied
        ? "This PC's settings now read as the repair set them."
        : "This PC's settings do not read as the repair set them.";
    return {
      probeId: CLIENT_SETTINGS_PROBE_ID,
      status,
      title,
      summary,
      evidence: { 'This PC (client TLS)': settingsWords, ...(report ? { 'Connect check': { target: report.target, status: report.status, summary: report.summary } } : {}) },
      fixes: report?.fixes ?? [],
      checkedAt,
    };
  }
}
