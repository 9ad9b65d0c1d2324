import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSafeFix } from '../../../probes/common/fixes.js';
import {
  SECURITY_LAYER_FIXES,
  evaluateSecurityLayer,
  securityLayerProbe,
  type SecurityLayerData,
} from '../../../probes/security-layer/security-layer.js';
import { fixIds, loadRecorded, recordedData, recordedFinding } from './recorded-fixture.js';

const healthy = (): SecurityLayerData => recordedData<SecurityLayerData>(securityLayerProbe, 'healthy');

/** Healthy data with some settings changed (each a partial setting). */
function withSettings(patch: Partial<{ [K in keyof SecurityLayerData]: Partial<SecurityLayerData[K]> }>): SecurityLayerData {
  const data = healthy();
  return {
    ...data,
    securityLayer: { ...data.securityLayer, ...patch.securityLayer },
    userAuthentication: { ...data.userAuthentication, ...patch.userAuthentication },
    minEncryptionLevel: { ...data.minEncryptionLevel, ...patch.minEncryptionLevel },
    allowSecProtocolNegotiation: { ...data.allowSecProtocolNegotiation, ...patch.allowSecProtocolNegotiation },
  };
}

describe('security-layer probe on recorded envelopes', () => {
  it('is ok with the TLS layer on a healthy host', () => {
    const finding = recordedFinding(securityLayerProbe, 'healthy');
    expect(finding.status).toBe('ok');
    expect(finding.fixes).toEqual([]);
    expect(finding.summary).toMatch(/TLS/);
    expect(finding.evidence).toMatchObject({ 'Effective SecurityLayer': '2 (TLS)', 'Effective MinEncryptionLevel': '2 (Client compatible)', 'WMI PolicySourceSecurityLayer': 2 });
  });

  it('fails on NLA required with the RDP layer, offering only the safe layer fixes (security-layer-rdp-with-nla)', () => {
    const finding = recordedFinding(securityLayerProbe, 'security-layer-rdp-with-nla');
    expect(finding.status).toBe('fail');
    expect(fixIds(finding)).toEqual(['security-layer.set-negotiate', 'security-layer.set-tls']);
    expect(finding.fixes.every(isSafeFix)).toBe(true);
    expect(finding.summary).toMatch(/Network Level Authentication is required but the security layer is set to RDP/);
    expect(String(finding.evidence.Contradiction)).toMatch(/CredSSP/);
    expect(finding.evidence['Effective SecurityLayer']).toBe('0 (RDP)');
  });

  it.each(['nla-off-local', 'nla-off-by-policy', 'tls12-disabled'])('is ok where only other settings differ (%s)', (scenario) => {
    expect(recordedFinding(securityLayerProbe, scenario).status).toBe('ok');
  });

  it('never offers the RDP layer on any recorded scenario', () => {
    const scenarios = readdirSync(new URL('../../fixtures/envelopes/security-layer/', import.meta.url)).map((file) => file.replace(/\.json$/, ''));
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    for (const scenario of scenarios) {
      const finding = recordedFinding(securityLayerProbe, scenario);
      expect(fixIds(finding), scenario).not.toContain('security-layer.set-rdp');
    }
    expect(SECURITY_LAYER_FIXES.setRdp.lowersSecurity).toBe(true);
  });
});

describe('evaluateSecurityLayer edge cases', () => {
  it('warns on the RDP layer alone (NLA off) and offers the safe fixes', () => {
    const verdict = evaluateSecurityLayer(withSettings({ securityLayer: { effective: 0, localValue: 0 }, userAuthentication: { effective: 0, localValue: 0 } }));
    expect(verdict.status).toBe('warn');
    expect(fixIds(verdict)).toEqual(['security-layer.set-negotiate', 'security-layer.set-tls']);
    expect(verdict.summary).toMatch(/clients that require TLS cannot connect/);
  });

  it('names the policy and offers no local fix when group policy sets the RDP layer under NLA', () => {
    const verdict = evaluateSecurityLayer(withSettings({ securityLayer: { effective: 0, source: 'policy', policyValue: 0, wmiPolicySource: 1 } }));
    expect(verdict.status).toBe('fail');
    expect(verdict.fixes).toEqual([]);
    expect(verdict.summary).toMatch(/Group policy sets the security layer to RDP/);
    expect(String(verdict.evidence.Policy)).toMatch(/Require use of specific security layer/);
    expect(String(verdict.evidence['SecurityLayer set by'])).toContain('SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\SecurityLayer');
  });

  it('treats WMI reporting group policy as policy even without a registry policy value', () => {
    const verdict = evaluateSecurityLayer(withSettings({ securityLayer: { effective: 0, localValue: 0, wmiPolicySource: 1 }, userAuthentication: { effective: 0 } }));
    expect(verdict.fixes).toEqual([]);
    expect(verdict.evidence.Policy).toBeDefined();
  });

  it('does not offer TLS while the encryption level is Low: Windows refuses that pairing', () => {
    const verdict = evaluateSecurityLayer(withSettings({ securityLayer: { effective: 0, localValue: 0 }, minEncryptionLevel: { effective: 1 } }));
    expect(fixIds(verdict)).toEqual(['security-layer.set-negotiate']);
  });

  it('warns on TLS combined with the Low encryption level', () => {
    const verdict = evaluateSecurityLayer(withSettings({ minEncryptionLevel: { effective: 1, localValue: 1 } }));
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/Low/);
  });

  it('warns when security protocol negotiation is turned off', () => {
    const verdict = evaluateSecurityLayer(withSettings({ allowSecProtocolNegotiation: { effective: 0, localValue: 0 } }));
    expect(verdict.status).toBe('warn');
    expect(verdict.evidence['Effective fAllowSecProtocolNegotiation']).toBe(0);
  });

  it('is ok with Negotiate', () => {
    const verdict = evaluateSecurityLayer(withSettings({ securityLayer: { effective: 1, localValue: 1 } }));
    expect(verdict.status).toBe('ok');
    expect(verdict.summary).toMatch(/Negotiate/);
  });

  it.each([
    ['an unreadable layer', { securityLayer: { effective: null } }],
    ['an unknown layer number', { securityLayer: { effective: 7 } }],
    ['an unknown encryption level', { minEncryptionLevel: { effective: 9 } }],
    ['an unknown negotiation flag', { allowSecProtocolNegotiation: { effective: 5 } }],
    ['an unknown NLA value', { userAuthentication: { effective: 3 } }],
  ] as const)('is unknown, never ok, for %s', (_label, patch) => {
    expect(evaluateSecurityLayer(withSettings(patch)).status).toBe('unknown');
  });

  it('says so when NLA could not be read next to the RDP layer', () => {
    const verdict = evaluateSecurityLayer(withSettings({ securityLayer: { effective: 0 }, userAuthentication: { effective: null } }));
    expect(verdict.status).toBe('warn');
    expect(String(verdict.evidence.Note)).toMatch(/NLA/);
  });

  it('records the probe data it was given (recordedAt as checkedAt)', () => {
    const recorded = loadRecorded('security-layer', 'security-layer-rdp-with-nla');
    expect(recordedFinding(securityLayerProbe, 'security-layer-rdp-with-nla').checkedAt).toBe(recorded.recordedAt);
  });
});
