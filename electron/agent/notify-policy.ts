/**
 * Notification policy, a pure function: (previous state, new snapshot, now, settings) →
 * notifications + new state. Certificate expiry warnings at the configured days, each threshold once
 * per certificate thumbprint (several thresholds passed at once, e.g. after a long sleep, give one
 * notification), re-armed when days-left goes back above it (a clock that had jumped ahead, a
 * certificate extended in place, so a real warning is never silenced); one when overall health gets worse; one when it is back to ok. The state is
 * persisted by the agent (notify-state.ts), so nothing repeats after a restart.
 */
import { z } from 'zod';
import { DAY_MS, daysLeft } from '../../probes/common/days.js';
import { isWorse, statusSchema, type Finding, type HealthSnapshot, type Status } from '../../probes/common/finding.js';

/** One certificate's expiry as a probe read it (see certificate-expiry.ts). */
export interface CertificateExpiry {
  probeId: string;
  thumbprint: string;
  /** ISO 8601. */
  notAfter: string;
  subject?: string;
}

export type NotificationKind = 'certificate-expiry' | 'worsened' | 'recovered';

export interface AgentNotification {
  /** Stable for the same event: the shell may use it as a toast tag. */
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** The probe a click should open; absent for "all is well again". */
  probeId?: string;
  status: Status;
  at: string;
}

export const notifyStateSchema = z.object({
  version: z.literal(1),
  /** Overall status of the last snapshot seen. */
  overall: statusSchema.optional(),
  /** thumbprint → the warn days already notified, and when the certificate was last seen. */
  certificates: z.record(z.string(), z.object({ notified: z.array(z.number()), lastSeen: z.string() })),
});
export type NotifyState = z.infer<typeof notifyStateSchema>;

export const initialNotifyState = (): NotifyState => ({ version: 1, certificates: {} });

export interface NotifyInput {
  previous: NotifyState;
  snapshot: HealthSnapshot;
  now: Date;
  settings: { warnDays: readonly number[]; notifications: boolean };
  /** Certificates read in this cycle. */
  certificates?: readonly CertificateExpiry[];
}

export interface NotifyResult {
  notifications: AgentNotification[];
  state: NotifyState;
}

/** Forget a certificate not seen for this long (replaced, or the host rebuilt). */
const FORGET_AFTER_MS = 400 * DAY_MS;

function expiryBody(certificate: CertificateExpiry, days: number): string {
  const name = certificate.subject ? `The Remote Desktop certificate (${certificate.subject})` : 'The Remote Desktop certificate';
  if (days < 0) return `${name} has expired: people cannot connect until it is renewed.`;
  if (days === 0) return `${name} expires today: people will not be able to connect once it does.`;
  return `${name} expires in ${days} day${days === 1 ? '' : 's'}: people will not be able to connect once it does.`;
}

/** The first finding whose status is the snapshot's worst (display order breaks ties). */
function worstFinding(snapshot: HealthSnapshot): Finding | undefined {
  return snapshot.findings.find((finding) => finding.status === snapshot.overall && finding.status !== 'ok');
}

export function decideNotifications(input: NotifyInput): NotifyResult {
  const { previous, snapshot, now, settings } = input;
  const at = now.toISOString();
  const notifications: AgentNotification[] = [];
  const certificates: NotifyState['certificates'] = {};
  for (const [thumbprint, entry] of Object.entries(previous.certificates)) {
    if (now.getTime() - Date.parse(entry.lastSeen) < FORGET_AFTER_MS) certificates[thumbprint] = entry;
  }

  for (const certificate of input.certificates ?? []) {
    const key = certificate.thumbprint.toUpperCase();
    const days = daysLeft(certificate.notAfter, now);
    if (Number.isNaN(days)) continue;
    const reached = settings.warnDays.filter((threshold) => days <= threshold);
    // Only thresholds still reached count as told: one days-left has gone back above is armed again.
    const notified = new Set((certificates[key]?.notified ?? []).filter((threshold) => days <= threshold));
    const fresh = reached.filter((threshold) => !notified.has(threshold));
    if (fresh.length > 0) {
      const threshold = Math.min(...fresh);
      notifications.push({
        id: `certificate-expiry:${key}:${threshold}`,
        kind: 'certificate-expiry',
        title: days < 0 ? 'Remote Desktop certificate expired' : 'Remote Desktop certificate expires soon',
        body: expiryBody(certificate, days),
        probeId: certificate.probeId,
        status: snapshot.findings.find((finding) => finding.probeId === certificate.probeId)?.status ?? 'warn',
        at,
      });
      // Every threshold already passed counts as told: no burst after a long sleep.
      for (const threshold of reached) notified.add(threshold);
    }
    certificates[key] = { notified: [...notified].sort((a, b) => b - a), lastSeen: at };
  }

  const before: Status = previous.overall ?? 'ok';
  // A PC that is not an RDP host by design has nothing to be told about as a host.
  if (isWorse(snapshot.overall, before) && !snapshot.notAnRdpHost) {
    const worst = worstFinding(snapshot);
    // The expiry warning already says it when the certificate is what got worse.
    if (!notifications.some((n) => n.probeId !== undefined && n.probeId === worst?.probeId)) {
      notifications.push({
        id: `worsened:${worst?.probeId ?? 'overall'}:${snapshot.overall}:${snapshot.startedAt}`,
        kind: 'worsened',
        title: snapshot.overall === 'fail' ? 'Remote Desktop connections will fail' : snapshot.overall === 'unknown' ? 'Some Remote Desktop checks could not run' : 'Remote Desktop needs attention',
        body: worst ? `${worst.title}: ${worst.summary}` : 'A check found a problem.',
        ...(worst ? { probeId: worst.probeId } : {}),
        status: snapshot.overall,
        at,
      });
    }
  } else if (snapshot.overall === 'ok' && before !== 'ok') {
    notifications.push({
      id: `recovered:${snapshot.startedAt}`,
      kind: 'recovered',
      title: 'Remote Desktop is healthy again',
      body: 'All checks passed.',
      status: 'ok',
      at,
    });
  }

  return {
    notifications: settings.notifications ? notifications : [],
    state: { version: 1, overall: snapshot.overall, certificates },
  };
}
