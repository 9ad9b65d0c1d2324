import { describe, expect, it } from 'vitest';
import { daysLeft, formatNagios, nagiosExitCode } from '../../../electron/cli/nagios.js';
import { finding, NOW, snapshot } from './snapshots.js';

const cert = (notAfter: string) => ({ probeId: 'certificate', thumbprint: 'ABC', notAfter });
const ctx = { now: NOW, warnDays: [30, 14, 7, 3, 1] };

/** Splits a plugin line into its parts, checking the format on the way. */
function parse(line: string) {
  expect(line).not.toContain('\n');
  const match = /^RDP HEALTH (OK|WARNING|CRITICAL|UNKNOWN) - (.+?) \| (.+)$/.exec(line);
  expect(match, line).not.toBeNull();
  const perf = Object.fromEntries((match?.[3] ?? '').split(' ').map((item) => item.split('=') as [string, string]));
  return { state: match?.[1], text: match?.[2], perf };
}

describe('formatNagios', () => {
  it('says OK with the number of checks when all pass', () => {
    const line = formatNagios(snapshot([finding('nla', 'ok'), finding('tls', 'ok')]), { ...ctx, certificates: [cert('2027-01-28T12:00:00.000Z')] });
    const { state, text, perf } = parse(line);
    expect(state).toBe('OK');
    expect(text).toBe('All 2 checks passed on RDPHOST01');
    expect(perf.cert_days_left).toBe('64;30:;0:');
    expect(perf.checks_ok).toBe('2;;;0;2');
    expect(perf.duration).toBe('2.345s;;;0');
  });

  it('names the worst problem first and counts the rest', () => {
    const line = formatNagios(
      snapshot([
        finding('certificate', 'warn', { summary: 'The certificate expires in 12 days.' }),
        finding('nla', 'ok'),
        finding('key-access', 'fail', { summary: 'Remote Desktop cannot read its private key, so connections fail.' }),
        finding('tls', 'unknown', { summary: 'This check did not finish in time.' }),
      ]),
      { ...ctx, certificates: [cert('2026-12-07T12:00:00.000Z')] },
    );
    const { state, text, perf } = parse(line);
    expect(state).toBe('CRITICAL');
    expect(text).toBe('Remote Desktop cannot read its private key, so connections fail. (+2 more: tls, certificate)');
    expect(perf.cert_days_left).toBe('12;30:;0:');
    expect([perf.checks_ok, perf.checks_warn, perf.checks_fail, perf.checks_unknown]).toEqual(['1;;;0;4', '1;;;0;4', '1;;;0;4', '1;;;0;4']);
  });

  it('counts a check that needs the host checker on its own, not as unknown, and names it after the problems', () => {
    const needs = finding('key-access', 'unknown', { summary: 'Needs the host checker.', needsHostChecker: true });
    const line = formatNagios(snapshot([needs, finding('nla', 'warn', { summary: 'NLA is off.' }), finding('tls', 'ok')]), ctx);
    const { text, perf } = parse(line);
    expect(text).toBe('NLA is off. (+1 more: key-access)');
    expect([perf.checks_ok, perf.checks_warn, perf.checks_unknown, perf.checks_needs_host_checker]).toEqual(['1;;;0;3', '1;;;0;3', '0;;;0;3', '1;;;0;3']);
  });

  it.each([
    ['warn', 'WARNING'],
    ['unknown', 'UNKNOWN'],
  ] as const)('maps %s to %s', (status, state) => {
    expect(parse(formatNagios(snapshot([finding('nla', status)]), ctx)).state).toBe(state);
  });

  it('keeps the text on one line and out of the performance data', () => {
    const line = formatNagios(snapshot([finding('nla', 'warn', { summary: 'first line\nsecond | not perfdata' })]), ctx);
    expect(parse(line).text).toBe('first line second / not perfdata');
    expect(line.split('|')).toHaveLength(2);
  });

  it('leaves cert_days_left out when the cycle read no certificate, and counts an expired one negative', () => {
    expect(parse(formatNagios(snapshot([finding('nla', 'ok')]), ctx)).perf.cert_days_left).toBeUndefined();
    expect(parse(formatNagios(snapshot([finding('certificate', 'fail')]), { ...ctx, certificates: [cert('2026-11-20T12:00:00.000Z')] })).perf.cert_days_left).toBe('-5;30:;0:');
  });

  it('uses the largest warning day in force as the warning threshold', () => {
    expect(parse(formatNagios(snapshot([finding('nla', 'ok')]), { now: NOW, warnDays: [10, 45], certificates: [cert('2027-01-28T12:00:00.000Z')] })).perf.cert_days_left).toBe('64;45:;0:');
  });

  it('goes with the monitoring-plugin exit codes', () => {
    expect(['ok', 'warn', 'fail', 'unknown'].map((s) => nagiosExitCode(snapshot([finding('nla', s as 'ok')])))).toEqual([0, 1, 2, 3]);
  });
});

describe('daysLeft', () => {
  it('counts whole days and goes negative after expiry', () => {
    expect(daysLeft('2026-11-26T11:59:59.000Z', NOW)).toBe(0);
    expect(daysLeft('2026-11-26T12:00:00.000Z', NOW)).toBe(1);
    expect(daysLeft('2026-11-25T11:00:00.000Z', NOW)).toBe(-1);
  });
});
