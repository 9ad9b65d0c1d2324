import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSafeFix } from '../../../probes/common/fixes.js';
import { evaluateTls, tlsProbe, type TlsData, type TlsProtocol } from '../../../probes/tls/tls.js';
import { fixIds, loadRecorded, recordedData, recordedFinding } from './recorded-fixture.js';

const recorded = (scenario: string): TlsData => recordedData<TlsData>(tlsProbe, scenario);

/** Recorded data with one protocol's state changed. */
function withProtocol(data: TlsData, version: TlsProtocol['version'], patch: Partial<TlsProtocol>): TlsData {
  return { ...data, protocols: data.protocols.map((protocol) => (protocol.version === version ? { ...protocol, ...patch } : protocol)) };
}

const TLS12_OFF = { keyPresent: true, enabled: 0, disabledByDefault: 1, effective: false, source: 'registry' } as const;

describe('tls probe on recorded envelopes', () => {
  it('is ok on a healthy Server 2022 host with TLS 1.2 and 1.3, and says what it means for clients', () => {
    const finding = recordedFinding(tlsProbe, 'healthy');
    expect(finding.status).toBe('ok');
    expect(finding.fixes).toEqual([]);
    expect(finding.summary).toMatch(/TLS 1\.2 and 1\.3 are on/);
    expect(finding.evidence).toMatchObject({
      Windows: 'Windows Server 2022 Datacenter (build 20348, Server)',
      'TLS 1.2 server': 'on (Windows default for this build)',
      'TLS 1.3 server': 'on (Windows default for this build)',
      'Cipher suite order policy': 'not set',
      'Usable cipher suites': 5,
    });
    expect(String(finding.evidence['New clients'])).toMatch(/TLS 1\.2/);
    expect(String(finding.evidence['Old clients'])).toMatch(/KB3080079/);
  });

  it('fails on Server 2019 with TLS 1.2 turned off, offering the safe TLS 1.2 fix that names the restart (tls12-disabled)', () => {
    const finding = recordedFinding(tlsProbe, 'tls12-disabled');
    expect(finding.status).toBe('fail');
    expect(fixIds(finding)).toEqual(['tls.enable-tls12']);
    expect(isSafeFix(finding.fixes[0]!)).toBe(true);
    expect(finding.fixes[0]!.title).toMatch(/restart/i);
    expect(finding.summary).toMatch(/TLS 1\.2 is turned off and this Windows has no TLS 1\.3/);
    expect(finding.summary).toMatch(/only TLS 1\.0 and 1\.1 remain/);
    expect(finding.evidence).toMatchObject({
      'TLS 1.2 server': 'off (registry: Enabled=0, DisabledByDefault=1)',
      'TLS 1.3 server': 'not available on this Windows build',
    });
    expect(String(finding.evidence['New clients'])).toMatch(/fail/);
  });

  it.each(['nla-off-local', 'nla-off-by-policy', 'security-layer-rdp-with-nla'])('is ok where only RDP settings differ (%s)', (scenario) => {
    expect(recordedFinding(tlsProbe, scenario).status).toBe('ok');
  });

  it('parses every recorded tls envelope with its schema', () => {
    const scenarios = readdirSync(new URL('../../fixtures/envelopes/tls/', import.meta.url)).map((file) => file.replace(/\.json$/, ''));
    expect(scenarios).toEqual(expect.arrayContaining(['healthy', 'tls12-disabled']));
    for (const scenario of scenarios) {
      const envelope = loadRecorded('tls', scenario).envelope;
      if (!envelope?.ok) continue;
      expect(tlsProbe.dataSchema.safeParse(envelope.data).success, scenario).toBe(true);
    }
  });
});

describe('evaluateTls edge cases', () => {
  it('warns when only TLS 1.3 is on: older clients stop at 1.2, and the fix is offered', () => {
    const verdict = evaluateTls(withProtocol(recorded('healthy'), '1.2', TLS12_OFF));
    expect(verdict.status).toBe('warn');
    expect(fixIds(verdict)).toEqual(['tls.enable-tls12']);
    expect(verdict.summary).toMatch(/Only TLS 1\.3/);
    expect(String(verdict.evidence['Old clients'])).toMatch(/Windows 10/);
    expect(String(verdict.evidence['Old clients'])).toMatch(/KB3080079/);
    expect(String(verdict.evidence['New clients'])).toMatch(/TLS 1\.3/);
  });

  it('with only TLS 1.3 on, never says clients connect unless the handshake saw a TLS 1.3 handshake (tls13-only)', () => {
    const data = recordedData<TlsData>(tlsProbe, 'tls13-only');
    const unseen = evaluateTls(data);
    expect(unseen.status).toBe('warn');
    expect(unseen.summary).toMatch(/no Microsoft documentation says Remote Desktop negotiates TLS 1\.3/);
    expect(unseen.summary).not.toMatch(/clients connect/);
    expect(String(unseen.evidence['New clients'])).toMatch(/^Unverified/);
    const refused = { evidence: { 'TLS versions': { 'TLS 1.2': 'refused by the server - x', 'TLS 1.3': 'refused by the server - y' } } };
    expect(evaluateTls(data, { dataOf: () => refused }).summary).toBe(unseen.summary);
    const accepted = { evidence: { 'TLS versions': { 'TLS 1.2': 'refused by the server - x', 'TLS 1.3': 'accepted - TLS_AES_256_GCM_SHA384' } } };
    const seen = evaluateTls(data, { dataOf: (id) => (id === 'handshake' ? accepted : undefined) });
    expect(seen.status).toBe('warn');
    expect(seen.summary).toMatch(/the handshake check saw Remote Desktop accept TLS 1\.3, so the newest clients connect/);
    expect(tlsProbe.dependsOn).toEqual(['handshake']);
  });

  it('is ok on Server 2025 defaults (TLS 1.0/1.1 off) and mentions the update old clients need', () => {
    let data: TlsData = { ...recorded('healthy'), os: { build: 26100, productName: 'Windows Server 2025 Datacenter', installationType: 'Server' } };
    data = withProtocol(withProtocol(data, '1.0', { osDefault: false, effective: false }), '1.1', { osDefault: false, effective: false });
    const verdict = evaluateTls(data);
    expect(verdict.status).toBe('ok');
    expect(String(verdict.evidence['Old clients'])).toMatch(/TLS 1\.0 and 1\.1 are off\. Windows 7/);
    expect(verdict.evidence['TLS 1.0 server']).toBe('off (Windows default for this build)');
  });

  it('fails with no TLS version left at all', () => {
    let data = recorded('tls12-disabled');
    for (const version of ['1.0', '1.1'] as const) data = withProtocol(data, version, { keyPresent: true, enabled: 0, effective: false, source: 'registry' });
    const verdict = evaluateTls(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/no TLS version remains/);
  });

  it('is unknown when TLS 1.2 is only "disabled by default", but still offers the fix that makes it explicit', () => {
    const verdict = evaluateTls(withProtocol(recorded('healthy'), '1.2', { keyPresent: true, enabled: 1, disabledByDefault: 1, effective: null, source: 'registry' }));
    expect(verdict.status).toBe('unknown');
    expect(verdict.summary).toMatch(/disabled by default/);
    expect(fixIds(verdict)).toEqual(['tls.enable-tls12']);
  });

  it('is unknown with no fix when the Windows build (and so the defaults) is unknown', () => {
    let data: TlsData = { ...recorded('healthy'), os: { build: null, productName: null, installationType: null } };
    for (const version of ['1.0', '1.1', '1.2', '1.3'] as const) data = withProtocol(data, version, { supported: null, osDefault: null, effective: null });
    const verdict = evaluateTls(data);
    expect(verdict.status).toBe('unknown');
    expect(verdict.fixes).toEqual([]);
    expect(verdict.evidence.Windows).toBe('unknown product (build unknown, unknown type)');
  });

  it('is unknown when TLS 1.2 is off and TLS 1.3 cannot be told', () => {
    const data = withProtocol(withProtocol(recorded('healthy'), '1.2', TLS12_OFF), '1.3', { effective: null, source: 'registry' });
    expect(evaluateTls(data).status).toBe('unknown');
  });

  it('is unknown when a version is missing from the data', () => {
    const data = recorded('healthy');
    expect(evaluateTls({ ...data, protocols: data.protocols.filter((protocol) => protocol.version !== '1.3') }).status).toBe('unknown');
  });

  it('stays ok, saying so, where Get-TlsCipherSuite does not exist', () => {
    const verdict = evaluateTls({ ...recorded('healthy'), cipherSuites: null });
    expect(verdict.status).toBe('ok');
    expect(verdict.evidence['Cipher suites (Get-TlsCipherSuite)']).toMatch(/not available/);
    expect(verdict.evidence['Usable cipher suites']).toBeUndefined();
  });

  it('fails when every cipher suite is turned off', () => {
    const verdict = evaluateTls({ ...recorded('healthy'), cipherSuites: [] });
    expect(verdict.status).toBe('fail');
    expect(verdict.fixes).toEqual([]);
  });

  it('is unknown when no enabled suite lists a TLS version that is on', () => {
    const data = withProtocol({ ...recorded('healthy'), cipherSuites: [{ name: 'TLS_AES_256_GCM_SHA384', protocols: [772] }] }, '1.3', { supported: false, effective: false });
    expect(evaluateTls(data).status).toBe('unknown');
  });

  it('shows the cipher suite order policy verbatim', () => {
    const verdict = evaluateTls({ ...recorded('healthy'), cipherSuitePolicy: { path: 'HKLM:\\x', functions: ['TLS_AES_256_GCM_SHA384'] } });
    expect(verdict.evidence['Cipher suite order policy']).toEqual(['TLS_AES_256_GCM_SHA384']);
  });

  it('offers no registry fix when TLS 1.2 is off only because of the build', () => {
    const data = withProtocol(withProtocol(recorded('tls12-disabled'), '1.2', { keyPresent: false, enabled: null, disabledByDefault: null, effective: false, source: 'os-default' }), '1.3', { effective: false });
    const verdict = evaluateTls(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.fixes).toEqual([]);
  });
});
