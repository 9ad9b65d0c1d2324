/**
 * Whether this PC is an RDP host at all, from the listener probe's data: a Home edition cannot
 * host Remote Desktop, and on a client edition (Windows 10/11 Pro …) Remote Desktop turned off is
 * how Windows ships, not a fault. There the host checks do not apply: their problems are said as
 * "this PC does not accept Remote Desktop connections", never as failures. A server with
 * connections turned off is still a host with a problem (the listener check fails, with its fix).
 */
import type { Finding } from '../../probes/common/finding.js';
import { LISTENER_PROBE_ID, listenerDataSchema } from '../../probes/listener/listener.js';

export const NOT_AN_RDP_HOST = 'This PC does not accept Remote Desktop connections';

/** Why this PC is not an RDP host, or null when it is one (or the listener data is missing). */
export function notAnRdpHost(listenerData: unknown): string | null {
  const data = listenerDataSchema.safeParse(listenerData);
  if (!data.success) return null;
  const { edition, denyConnections } = data.data;
  if (edition.home) return `this is a Home edition of Windows (EditionID ${edition.editionId ?? '?'}), which cannot accept Remote Desktop connections`;
  if (denyConnections.effective === 1 && edition.installationType === 'Client') {
    const by = denyConnections.source === 'policy' ? 'group policy' : 'this PC\'s setting';
    return `Remote Desktop is turned off on this Windows client edition (fDenyTSConnections=1, ${by})`;
  }
  return null;
}

/** A host check's problem on a PC that is not an RDP host: not applicable, with what it found kept. Fixes stay offered. */
export function asNotApplicable(finding: Finding, why: string): Finding {
  if (finding.status === 'ok') return finding;
  // The listener check is the one that reads the role: it says it, and nothing else.
  if (finding.probeId === LISTENER_PROBE_ID) return { ...finding, status: 'unknown', summary: `${NOT_AN_RDP_HOST}: ${why}. It can still connect to other computers.` };
  return {
    ...finding,
    status: 'unknown',
    summary: `${NOT_AN_RDP_HOST} (${why}), so this check does not apply. It found: ${finding.summary}`,
  };
}
