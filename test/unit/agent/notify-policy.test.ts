import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, HealthSnapshot, Status } from '../../../probes/common/finding.js';
import { decideNotifications, initialNotifyState, type CertificateExpiry, type NotifyState } from '../../../electron/agent/notify-policy.js';
import { loadNotifyState, saveNotifyState } from '../../../electron/agent/notify-state.js';
import { certificateExpiries } from '../../../electron/agent/certificate-expiry.js';

const DAY = 86_400_000;
const T0 = new Date('2026-11-25T12:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const settings = { warnDays: [30, 14, 7, 3, 1], notifications: true };

const finding = (probeId: string, status: Status): Finding => ({ probeId, status, title: `${probeId} title`, summary: `${probeId} is ${status}`, evidence: {}, fixes: [], checkedAt: T0.toISOString() });
function snapshot(statuses: Record<string, Status>, now = T0): HealthSnapshot {
  const findings = Object.entries(statuses).map(([id, status]) => finding(id, status));
  const order: Status[] = ['ok', 'warn', 'unknown', 'fail'];
  const overall = findings.reduce<Status>((worst, f) => (order.indexOf(f.status) > order.indexOf(worst) ? f.status : worst), 'ok');
  return { overall, findings, startedAt: now.toISOString(), durationMs: 1, host: 'RDPHOST01' };
}
const cert = (thumbprint: string, expiresAt: Date): CertificateExpiry => ({ probeId: 'certificate', thumbprint, notAfter: expiresAt.toISOString(), subject: 'CN=RDPHOST01' });

/** Runs the policy over a series of (time, snapshot, certificates), carrying the state. */
function run(steps: Array<{ now: Date; statuses: Record<string, Status>; certificates?: CertificateExpiry[] }>, start: NotifyState = initialNotifyState()) {
  let state = start;
  return steps.map((step) => {
    const result = decideNotifications({ previous: state, snapshot: snapshot(step.statuses, step.now), now: step.now, settings, certificates: step.certificates ?? [] });
    state = result.state;
    return result;
  });
}

describe('certificate expiry warnings', () => {
  const expires = at(40.5);
  const healthy = { certificate: 'ok' as Status, nla: 'ok' as Status };

  it('warn once at each configured threshold, on the way down', () => {
    const days = [39, 31, 30, 29, 20, 14, 13, 7, 3, 2, 1, 0];
    const results = run(days.map((d) => ({ now: at(40.5 - d - 0.25), statuses: healthy, certificates: [cert('AA', expires)] })));
    const told = results.map((r) => r.notifications.map((n) => n.id));
    expect(told.flat()).toEqual(['certificate-expiry:AA:30', 'certificate-expiry:AA:14', 'certificate-expiry:AA:7', 'certificate-expiry:AA:3', 'certificate-expiry:AA:1']);
    expect(results[2]!.notifications[0]).toMatchObject({ kind: 'certificate-expiry', probeId: 'certificate', body: expect.stringContaining('30 days') });
  });

  it('several thresholds passed at once (a long sleep) give one notification, for the nearest', () => {
    const results = run([
      { now: at(0), statuses: healthy, certificates: [cert('AA', expires)] },
      { now: at(36), statuses: healthy, certificates: [cert('AA', expires)] },
      { now: at(36.1), statuses: healthy, certificates: [cert('AA', expires)] },
    ]);
    expect(results.map((r) => r.notifications.map((n) => n.id))).toEqual([[], ['certificate-expiry:AA:7'], []]);
  });

  it('a clock that jumped a year ahead for one cycle does not silence the real warnings', () => {
    const results = run([
      { now: at(0), statuses: healthy, certificates: [cert('AA', expires)] },
      { now: at(365), statuses: healthy, certificates: [cert('AA', expires)] },
      { now: at(1), statuses: healthy, certificates: [cert('AA', expires)] },
      { now: at(11), statuses: healthy, certificates: [cert('AA', expires)] },
      { now: at(27), statuses: healthy, certificates: [cert('AA', expires)] },
    ]);
    // The jump tells "expired" once; back at the real time each threshold is armed again.
    expect(results.map((r) => r.notifications.map((n) => n.id))).toEqual([[], ['certificate-expiry:AA:1'], [], ['certificate-expiry:AA:30'], ['certificate-expiry:AA:14']]);
    expect(results[2]!.state.certificates.AA!.notified).toEqual([]);
  });

  it('a renewed certificate (new thumbprint) is warned about afresh', () => {
    const results = run([
      { now: at(0), statuses: healthy, certificates: [cert('AA', at(10))] },
      { now: at(1), statuses: healthy, certificates: [cert('BB', at(10))] },
    ]);
    expect(results.map((r) => r.notifications.map((n) => n.id))).toEqual([['certificate-expiry:AA:14'], ['certificate-expiry:BB:14']]);
  });

  it('thumbprints are compared without regard to case', () => {
    const results = run([
      { now: at(0), statuses: healthy, certificates: [cert('aa', at(10))] },
      { now: at(1), statuses: healthy, certificates: [cert('AA', at(10))] },
    ]);
    expect(results[1]!.notifications).toEqual([]);
  });

  it('nothing repeats after a restart: the state survives a save and a load', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'notify-')), 'notify-state.json');
    const [first] = run([{ now: at(0), statuses: { certificate: 'warn' }, certificates: [cert('AA', at(10))] }]);
    expect(first!.notifications).toHaveLength(1);
    await saveNotifyState(path, first!.state);
    const [again] = run([{ now: at(0.1), statuses: { certificate: 'warn' }, certificates: [cert('AA', at(10))] }], await loadNotifyState(path));
    expect(again!.notifications).toEqual([]);
  });

  it('a damaged state file starts fresh instead of failing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'notify-')), 'notify-state.json');
    writeFileSync(path, '{"version":1,"certif');
    expect(await loadNotifyState(path)).toEqual(initialNotifyState());
  });
});

describe('overall health', () => {
  it('tells when it gets worse, naming the worst finding, and when it is ok again', () => {
    const results = run([
      { now: at(0), statuses: { nla: 'ok', tls: 'ok' } },
      { now: at(0.1), statuses: { nla: 'warn', tls: 'ok' } },
      { now: at(0.2), statuses: { nla: 'warn', tls: 'ok' } },
      { now: at(0.3), statuses: { nla: 'warn', tls: 'fail' } },
      { now: at(0.4), statuses: { nla: 'warn', tls: 'ok' } },
      { now: at(0.5), statuses: { nla: 'ok', tls: 'ok' } },
    ]);
    expect(results.map((r) => r.notifications.map((n) => `${n.kind}:${n.probeId ?? ''}`))).toEqual([[], ['worsened:nla'], [], ['worsened:tls'], [], ['recovered:']]);
    expect(results[3]!.notifications[0]).toMatchObject({ title: 'Remote Desktop connections will fail', body: 'tls title: tls is fail', status: 'fail' });
  });

  it('a problem already there at the first check is told once', () => {
    const results = run([
      { now: at(0), statuses: { nla: 'fail' } },
      { now: at(1), statuses: { nla: 'fail' } },
    ]);
    expect(results.map((r) => r.notifications.length)).toEqual([1, 0]);
  });

  it('does not tell twice when the certificate warning is the change', () => {
    const [result] = run([{ now: at(0), statuses: { certificate: 'warn' }, certificates: [cert('AA', at(20))] }]);
    expect(result!.notifications.map((n) => n.kind)).toEqual(['certificate-expiry']);
  });

  it('with notifications off, says nothing but still keeps track (no burst when turned back on)', () => {
    const off = decideNotifications({ previous: initialNotifyState(), snapshot: snapshot({ certificate: 'warn' }), now: at(0), settings: { ...settings, notifications: false }, certificates: [cert('AA', at(5))] });
    expect(off.notifications).toEqual([]);
    const on = decideNotifications({ previous: off.state, snapshot: snapshot({ certificate: 'warn' }), now: at(0.1), settings, certificates: [cert('AA', at(5))] });
    expect(on.notifications).toEqual([]);
  });
});

describe('certificateExpiries', () => {
  it('reads the bound certificate from the certificate probe data', () => {
    const data = { boundCertificate: { thumbprint: 'AB12', notAfter: '2027-01-01T00:00:00.000Z', subject: 'CN=HOST', issuer: 'CN=HOST' } };
    expect(certificateExpiries((id) => (id === 'certificate' ? data : undefined))).toEqual([
      { probeId: 'certificate', thumbprint: 'AB12', notAfter: '2027-01-01T00:00:00.000Z', subject: 'CN=HOST' },
    ]);
  });

  it.each([undefined, { boundCertificate: null }, { boundCertificate: { thumbprint: 'AB', notAfter: 'soon' } }, 'junk'])('gives nothing for %j', (data) => {
    expect(certificateExpiries(() => data)).toEqual([]);
  });
});
