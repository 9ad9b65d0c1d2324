import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, MAX_SNAPSHOT_BYTES, verifyPublished, type PublishedSnapshot } from '../../../electron/agent/host-snapshot.js';
import { userDataDir } from '../../../electron/agent/user-data-dir.js';
import { trayTooltip } from '../../../electron/shell/tray-model.js';
import { overallStatus, type Finding } from '../../../probes/common/finding.js';

const now = new Date('2026-12-02T12:00:00.000Z');

function finding(probeId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return { probeId, status, title: probeId, summary: `${probeId} is ${status}`, evidence: {}, fixes: [], checkedAt: now.toISOString(), ...extra };
}

function published(checkedAt: string, extra: Partial<PublishedSnapshot> = {}): string {
  const record: PublishedSnapshot = {
    schema: 1,
    checkedAt,
    identity: 'system',
    version: '0.1.0',
    snapshot: { overall: 'ok', findings: [finding('nla', 'ok')], startedAt: checkedAt, durationMs: 10, host: 'RDPHOST01' },
    ...extra,
  };
  return JSON.stringify(record);
}

describe('verifyPublished: the contents of the host checker\'s snapshot', () => {
  it('accepts a recent snapshot of the right shape', () => {
    const result = verifyPublished(published('2026-12-02T11:50:00.000Z'), now, 60 * 60_000);
    expect('record' in result && result.record.identity).toBe('system');
  });

  it.each([
    ['a forged date in the future (it would stop every session from checking)', published('9999-12-31T00:00:00.000Z'), /dated 9999-12-31T00:00:00.000Z, in the future/],
    ['a date a little ahead: believable, but never fresh', published(new Date(now.getTime() + CLOCK_SKEW_MS / 2).toISOString()), /later than now/],
    ['a stale snapshot (the task stopped)', published('2026-12-02T09:00:00.000Z'), /older than two check intervals/],
    ['not JSON', '{"schema": 1,', /not valid JSON/],
    ['another shape', published('2026-12-02T11:50:00.000Z', { identity: 'nobody' as never }), /not a snapshot this version understands \(identity/],
    ['a date that is not one', published('soon'), /is not a date/],
    ['more than 4 MiB', ' '.repeat(MAX_SNAPSHOT_BYTES + 1), /larger than 4194304 bytes/],
  ])('refuses %s', (_what, text, reason) => {
    const result = verifyPublished(text, now, 60 * 60_000);
    expect('reason' in result ? result.reason : 'accepted').toMatch(reason);
  });
});

describe('a check that needs the host checker', () => {
  const snapshot = (findings: Finding[]) => ({ overall: overallStatus(findings), findings, startedAt: now.toISOString(), durationMs: 1, host: 'RDPHOST01' });

  it('does not make a healthy host "unknown", in the overall status or the tray', () => {
    const findings = [finding('certificate', 'ok'), finding('key-access', 'unknown', { needsHostChecker: true }), finding('nla', 'ok')];
    expect(overallStatus(findings)).toBe('ok');
    expect(trayTooltip(snapshot(findings), false)).toBe('RDP Health: no problems found - 1 check needs the host checker');
  });

  it('leaves a real problem the worst, and a real unknown unknown', () => {
    expect(overallStatus([finding('key-access', 'unknown', { needsHostChecker: true }), finding('nla', 'warn')])).toBe('warn');
    expect(overallStatus([finding('key-access', 'unknown', { needsHostChecker: true }), finding('tls', 'unknown')])).toBe('unknown');
    expect(trayTooltip(snapshot([finding('key-access', 'unknown', { needsHostChecker: true }), finding('nla', 'warn')]), false)).toBe('RDP Health: needs attention - nla');
  });
});

describe('userDataDir', () => {
  it('keeps per-user files in the profile, never under ProgramData', () => {
    expect(userDataDir({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local', ProgramData: 'C:\\ProgramData' }, 'C:\\Users\\ana', 'win32')).toBe('C:\\Users\\ana\\AppData\\Local\\RDP Health');
    expect(userDataDir({}, 'C:\\Users\\ana', 'win32')).toBe('C:\\Users\\ana\\AppData\\Local\\RDP Health');
  });
});
