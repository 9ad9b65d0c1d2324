/** Snapshots for the fleet tests, built with the real schema so a drift in the contract shows here. */
import { healthSnapshotSchema, worstStatus, type Finding, type HealthSnapshot, type Status } from '../../../probes/common/finding.js';

export const NOW = new Date('2026-11-25T12:00:00.000Z');

export function finding(probeId: string, status: Status, extra: Partial<Finding> = {}): Finding {
  return {
    probeId,
    status,
    title: `${probeId} title`,
    summary: `${probeId} is ${status}.`,
    evidence: {},
    fixes: [],
    checkedAt: NOW.toISOString(),
    ...extra,
  };
}

export function snapshot(findings: Finding[], extra: Partial<HealthSnapshot> = {}): HealthSnapshot {
  return healthSnapshotSchema.parse({
    overall: worstStatus(findings.map((f) => f.status)),
    findings,
    startedAt: NOW.toISOString(),
    durationMs: 2345,
    host: 'RDPHOST01',
    ...extra,
  });
}
