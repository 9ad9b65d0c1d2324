import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSafeFix } from '../../../probes/common/fixes.js';
import { findingFromOutput } from '../../../probes/common/probe.js';
import { NLA_FIXES, evaluateNla, nlaProbe, type NlaData } from '../../../probes/nla/nla.js';
import { fixIds, loadRecorded, recordedData, recordedFinding } from './recorded-fixture.js';

const healthy = (): NlaData => recordedData<NlaData>(nlaProbe, 'healthy');

describe('nla probe on recorded envelopes', () => {
  it('is ok on a healthy host, with nothing to fix', () => {
    const finding = recordedFinding(nlaProbe, 'healthy');
    expect(finding.status).toBe('ok');
    expect(finding.fixes).toEqual([]);
    expect(finding.evidence).toMatchObject({ 'Effective UserAuthentication': 1, 'WMI PolicySourceUserAuthenticationRequired': 2 });
    expect(String(finding.evidence['Set by'])).toMatch(/^local setting .*RDP-Tcp\\UserAuthentication\)$/);
    expect(finding.checkedAt).toBe(loadRecorded('nla', 'healthy').recordedAt);
  });

  it('warns when the local setting turns NLA off and offers the safe enable fix (nla-off-local)', () => {
    const finding = recordedFinding(nlaProbe, 'nla-off-local');
    expect(finding.status).toBe('warn');
    expect(fixIds(finding)).toEqual(['nla.enable']);
    expect(isSafeFix(finding.fixes[0]!)).toBe(true);
    expect(finding.summary).toMatch(/Network Level Authentication is off/);
  });

  it('names the policy and offers no local fix when group policy turns NLA off (nla-off-by-policy)', () => {
    const finding = recordedFinding(nlaProbe, 'nla-off-by-policy');
    expect(finding.status).toBe('warn');
    expect(finding.fixes).toEqual([]);
    expect(finding.summary).toMatch(/Group policy/);
    expect(String(finding.evidence['Set by'])).toContain('SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\UserAuthentication');
    expect(String(finding.evidence.Policy)).toMatch(/Require user authentication for remote connections by using Network Level Authentication/);
    expect(finding.evidence).toMatchObject({ 'Policy value': 0, 'Local value': 1 });
  });

  it('offers turning NLA off only as the last resort when NLA meets the RDP security layer (security-layer-rdp-with-nla)', () => {
    const finding = recordedFinding(nlaProbe, 'security-layer-rdp-with-nla');
    expect(finding.status).toBe('warn');
    expect(fixIds(finding)).toEqual(['nla.disable']);
    expect(finding.fixes[0]).toMatchObject({ lowersSecurity: true });
    expect(isSafeFix(finding.fixes[0]!)).toBe(false);
    expect(finding.summary).toMatch(/Security layer check/);
  });

  it('is unaffected by TLS settings (tls12-disabled)', () => {
    expect(recordedFinding(nlaProbe, 'tls12-disabled').status).toBe('ok');
  });
});

describe('evaluateNla edge cases', () => {
  it('is unknown when no value could be read', () => {
    const verdict = evaluateNla({ ...healthy(), effective: null, localValue: null, wmiValue: null });
    expect(verdict.status).toBe('unknown');
    expect(verdict.fixes).toEqual([]);
  });

  it('is unknown, never ok, for a value other than 0 or 1', () => {
    const verdict = evaluateNla({ ...healthy(), effective: 2, localValue: 2 });
    expect(verdict.status).toBe('unknown');
    expect(verdict.summary).toContain('2');
  });

  it('does not offer enabling NLA while the security layer is RDP: that would block every sign-in', () => {
    const verdict = evaluateNla({ ...healthy(), effective: 0, localValue: 0, securityLayer: 0 });
    expect(verdict.status).toBe('warn');
    expect(verdict.fixes).toEqual([]);
    expect(verdict.summary).toMatch(/security layer/);
  });

  it('does not offer enabling NLA when the security layer is unknown', () => {
    expect(evaluateNla({ ...healthy(), effective: 0, localValue: 0, securityLayer: null }).fixes).toEqual([]);
  });

  it('treats WMI reporting group policy as policy even without a registry policy value', () => {
    const verdict = evaluateNla({ ...healthy(), effective: 0, localValue: 0, wmiPolicySource: 1 });
    expect(verdict.fixes).toEqual([]);
    expect(verdict.summary).toMatch(/Group policy/);
    expect(verdict.evidence['Set by']).toMatch(/reported by WMI/);
  });

  it('offers no local fix for the NLA/RDP-layer contradiction when group policy requires NLA', () => {
    const verdict = evaluateNla({ ...healthy(), source: 'policy', policyValue: 1, wmiPolicySource: 1, securityLayer: 0 });
    expect(verdict.status).toBe('warn');
    expect(verdict.fixes).toEqual([]);
    expect(verdict.evidence.Policy).toBeDefined();
  });

  it('never offers turning NLA off on a host where NLA works', () => {
    for (const securityLayer of [1, 2]) {
      expect(evaluateNla({ ...healthy(), securityLayer }).fixes).not.toContainEqual(NLA_FIXES.disable);
    }
  });

  it('turns data of the wrong shape into unknown', () => {
    const stdout = JSON.stringify({ probe: 'nla', schema: 1, ok: true, data: { ...healthy(), securityLayerSource: 'registry' } });
    const finding = findingFromOutput(nlaProbe, stdout, { now: new Date('2026-01-01T00:00:00Z'), warnDays: 30 });
    expect(finding.status).toBe('unknown');
    expect(String(finding.evidence.problem)).toMatch(/securityLayerSource/);
  });

  it('parses every recorded nla envelope with its schema', () => {
    const scenarios = readdirSync(new URL('../../fixtures/envelopes/nla/', import.meta.url)).map((file) => file.replace(/\.json$/, ''));
    expect(scenarios).toEqual(expect.arrayContaining(['healthy', 'nla-off-local', 'nla-off-by-policy', 'security-layer-rdp-with-nla', 'tls12-disabled']));
    for (const scenario of scenarios) {
      const recorded = loadRecorded('nla', scenario);
      if (!recorded.envelope?.ok) continue;
      expect(nlaProbe.dataSchema.safeParse(recorded.envelope.data).success, scenario).toBe(true);
    }
  });
});
