import { describe, expect, it } from 'vitest';
import { findingFromOutput } from '../../../probes/common/probe.js';
import { worstStatus } from '../../../probes/common/finding.js';
import { nlaProbe } from '../../../probes/nla/nla.js';

const ctx = { now: new Date('2026-11-25T12:00:00Z'), warnDays: 30 };

describe('findingFromOutput', () => {
  it.each([
    ['nothing', '', 'printed nothing'],
    ['not JSON', 'WARNING: something odd\n', 'not JSON'],
    ['a truncated document', '{"probe":"nla","schema":1,"ok":true,"data":{"eff', 'not JSON'],
    ['another schema version', '{"probe":"nla","schema":2,"ok":true,"data":{}}', 'shape this version does not understand'],
    ['another probe', '{"probe":"tls","schema":1,"ok":true,"data":{}}', 'answered for "tls"'],
  ])('turns %s into an unknown finding that says what came back', (_label, stdout, said) => {
    const finding = findingFromOutput(nlaProbe, stdout, ctx);
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toContain(said);
    expect(finding.probeId).toBe('nla');
  });

  it('reports access denied as unknown, never fail', () => {
    const stdout = JSON.stringify({ probe: 'nla', schema: 1, ok: false, error: { kind: 'access-denied', message: 'Access is denied.' } });
    const finding = findingFromOutput(nlaProbe, stdout, ctx);
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toMatch(/administrator/);
    expect(finding.evidence).toMatchObject({ errorKind: 'access-denied', message: 'Access is denied.' });
  });

  it('reports data that fails the probe schema as unknown with the offending path', () => {
    const stdout = JSON.stringify({ probe: 'nla', schema: 1, ok: true, data: { effective: 'yes' } });
    const finding = findingFromOutput(nlaProbe, stdout, ctx);
    expect(finding.status).toBe('unknown');
    expect(String(finding.evidence.problem)).toMatch(/effective/);
  });
});

describe('worstStatus', () => {
  it('ranks unknown below fail and above warn', () => {
    expect(worstStatus(['ok', 'warn', 'unknown'])).toBe('unknown');
    expect(worstStatus(['unknown', 'fail'])).toBe('fail');
    expect(worstStatus([])).toBe('ok');
  });
});
