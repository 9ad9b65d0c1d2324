/** Small builders for snapshots in shell tests (shapes from probes/common/finding.ts). */
import { worstStatus, type Finding, type FixDescriptor, type HealthSnapshot, type Status } from '../../../probes/common/finding.js';
import { fix } from '../../../probes/common/fixes.js';

export const safeFix = (id = 'certificate.renew'): FixDescriptor => fix(id, 'Renew the certificate', {});
export const riskyFix = (id = 'security-layer.rdp'): FixDescriptor => fix(id, 'Use RDP security', { lowersSecurity: true });

export function finding(probeId: string, status: Status, options: { title?: string; fixes?: FixDescriptor[] } = {}): Finding {
  return {
    probeId,
    status,
    title: options.title ?? probeId,
    summary: `${probeId} is ${status}.`,
    evidence: { read: status },
    fixes: options.fixes ?? [],
    checkedAt: '2025-01-01T10:00:00.000Z',
  };
}

export function snapshot(findings: Finding[]): HealthSnapshot {
  return { overall: worstStatus(findings.map((f) => f.status)), findings, startedAt: '2025-01-01T10:00:00.000Z', durationMs: 1200, host: 'HOST1' };
}
