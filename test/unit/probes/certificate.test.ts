import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSafeFix } from '../../../probes/common/fixes.js';
import { findingFromOutput } from '../../../probes/common/probe.js';
import { CERTIFICATE_FIXES, certificateProbe, evaluateCertificate, type CertificateData } from '../../../probes/certificate/certificate.js';
import { fixIds, loadRecorded, recordedContext, recordedData, recordedFinding } from './recorded-fixture.js';

const DAY = 86_400_000;
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/envelopes/certificate');
const data = (scenario: string): CertificateData => recordedData<CertificateData>(certificateProbe, scenario);
const ctxOf = (scenario: string) => recordedContext(loadRecorded('certificate', scenario));
const bound = (scenario: string) => {
  const cert = data(scenario).boundCertificate;
  if (cert === null) throw new Error(`${scenario} has no bound certificate`);
  return cert;
};

describe('certificate probe on recorded envelopes', () => {
  it('is ok on a healthy host and shows thumbprint, days left, notAfter, type and store', () => {
    const finding = recordedFinding(certificateProbe, 'healthy');
    expect(finding.status).toBe('ok');
    expect(finding.fixes).toEqual([]);
    expect(finding.summary).toMatch(/valid certificate with 6[34] days left/);
    expect(finding.evidence).toMatchObject({
      Thumbprint: '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12',
      NotAfter: bound('healthy').notAfter,
      'Binding type (SSLCertificateSHA1HashType)': '1 - self-signed (made by Windows)',
      Store: 'Cert:\\LocalMachine\\Remote Desktop',
      'Self-signed': true,
      HasPrivateKey: true,
      'Recent events': 'none in the last 30 days',
    });
    expect(finding.evidence['Days left']).toBeGreaterThanOrEqual(63);
    expect(finding.evidence['Days left']).toBeLessThanOrEqual(64);
  });

  it('fails on an expired self-signed certificate and offers the safe renew fix (cert-self-signed-expired)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-self-signed-expired');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
    expect(fixIds(finding)).toEqual(['certificate.renew-self-signed']);
    expect(isSafeFix(finding.fixes[0]!)).toBe(true);
    expect(finding.evidence['Days left']).toBeLessThanOrEqual(-3);
    expect(finding.evidence['Other expired certificates']).toEqual([expect.stringMatching(/^0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 \(CN=RDPHOST01, Remote Desktop, expired /)]);
    const events = finding.evidence['Recent events'] as string[];
    expect(events).toHaveLength(2);
    expect(events[0]).toMatch(/^Microsoft-Windows-TerminalServices-RemoteConnectionManager 1058: 2x, newest /);
    expect(events[1]).toMatch(/^Schannel 36870: 1x/);
  });

  it('warns five days before expiry with warnDays 30, and offers the renew fix (cert-expiring-5-days)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-expiring-5-days');
    expect(finding.status).toBe('warn');
    expect(finding.summary).toMatch(/expires in 5 days/);
    expect(finding.evidence['Days left']).toBe(5);
    expect(fixIds(finding)).toEqual(['certificate.renew-self-signed']);
  });

  it('is ok five days before expiry when warnDays is 3', () => {
    const verdict = evaluateCertificate(data('cert-expiring-5-days'), { ...ctxOf('cert-expiring-5-days'), warnDays: 3 });
    expect(verdict.status).toBe('ok');
    expect(verdict.fixes).toEqual([]);
  });

  it('is ok with a CA-issued certificate from My whose registry copy agrees (cert-ca-issued)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-ca-issued');
    expect(finding.status).toBe('ok');
    expect(finding.evidence).toMatchObject({
      'Binding type (SSLCertificateSHA1HashType)': '3 - custom certificate',
      Store: 'Cert:\\LocalMachine\\My',
      'Self-signed': false,
      'Registry SSLCertificateSHA1Hash (custom certificates only)': 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C',
    });
  });

  it('fails when the bound certificate is in neither store, with no fix to offer (cert-bound-missing)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-bound-missing');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/no longer on this computer/);
    expect(finding.fixes).toEqual([]);
    expect(finding.evidence).toMatchObject({
      Thumbprint: 'D41D8CD98F00B204E9800998ECF8427E12345678',
      'Days left': null,
      // A custom binding is looked for in My first.
      Store: 'not found in Cert:\\LocalMachine\\My or Cert:\\LocalMachine\\Remote Desktop',
    });
  });

  it('keeps CertPropSvc and KeyIso as evidence only: nothing documented needs them (cert-renewal-services-stopped)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-renewal-services-stopped');
    expect(finding.status).toBe('ok');
    expect(finding.evidence['Renewal services']).toContain('KeyIso: Stopped (Disabled)');
  });

  it('warns when SessionEnv is disabled under a self-signed binding (cert-sessionenv-disabled)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-sessionenv-disabled');
    expect(finding.status).toBe('warn');
    expect(finding.evidence['Also found'] ?? [finding.summary]).toContain('Windows cannot renew the Remote Desktop certificate while SessionEnv is disabled.');
  });

  it('says renewal is blocked by policy where the store key denies SYSTEM CreateSubKey, and offers no renew fix (cert-regeneration-denied-by-acl)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-regeneration-denied-by-acl');
    expect(finding.status).toBe('fail');
    expect(finding.fixes).toEqual([]);
    expect(finding.evidence['Also found']).toContain(
      "Windows cannot renew the Remote Desktop certificate: the store's registry key denies it (Deny CreateSubKey for S-1-5-18), a hardening policy.",
    );
    expect(finding.evidence['Store registry key (regeneration)']).toBe(
      'HKLM:\\SOFTWARE\\Microsoft\\SystemCertificates\\Remote Desktop\\Certificates: Deny CreateSubKey for S-1-5-18 - renewal blocked by policy: Windows cannot add a new certificate',
    );
    expect(recordedFinding(certificateProbe, 'healthy').evidence['Store registry key (regeneration)']).toMatch(/Remote Desktop\\Certificates: lets Windows add a new certificate$/);
  });

  it('finds an expired self-signed certificate in the store SelfSignedCertStore names and offers the renew fix (cert-expired-custom-store)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-expired-custom-store');
    expect(finding.status).toBe('fail');
    expect(finding.evidence.Store).toBe('Cert:\\LocalMachine\\RDP Hardened');
    expect(fixIds(finding)).toEqual(['certificate.renew-self-signed']);
  });

  it('is unknown, needing more rights, never fail, when the store refuses the account (cert-store-denied)', () => {
    const finding = recordedFinding(certificateProbe, 'cert-store-denied');
    expect(finding.status).toBe('unknown');
    expect(finding.evidence.errorKind).toBe('access-denied');
    expect(finding.summary).toMatch(/could not be opened with this account's rights/);
  });

  it('reads the binding from the registry when WMI refuses the account (wmi-terminalservices-denied)', () => {
    const finding = recordedFinding(certificateProbe, 'wmi-terminalservices-denied');
    expect(finding.status).toBe('ok');
    expect(finding.evidence['Binding read from']).toBe('registry, WinStations\\SelfSignedCertificate');
    expect(String(finding.evidence['WMI (Win32_TSGeneralSetting)'])).toMatch(/^could not be read \(access-denied/);
  });

  it('does not care about stopped renewal services under a custom binding', () => {
    const custom = data('cert-ca-issued');
    const stopped = { ...custom, services: custom.services.map((s) => (s.name === 'CertPropSvc' ? { ...s, state: 'Stopped' } : s)) };
    expect(evaluateCertificate(stopped, ctxOf('cert-ca-issued')).status).toBe('ok');
  });

  it.each(readdirSync(FIXTURES).map((file) => file.replace(/\.json$/, '')).filter((scenario) => scenario !== 'cert-store-denied'))('understands the data recorded for %s', (scenario) => {
    const finding = recordedFinding(certificateProbe, scenario);
    expect(finding.status).not.toBe('unknown');
    expect(finding.evidence.Thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });
});

describe('certificate evaluate: edge cases', () => {
  it('fails once ctx.now passes notAfter, and offers the renew fix for a self-signed binding', () => {
    const now = new Date(Date.parse(bound('healthy').notAfter) + DAY);
    const verdict = evaluateCertificate(data('healthy'), { now, warnDays: 30 });
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence['Days left']).toBe(-1);
    expect(fixIds(verdict)).toEqual([CERTIFICATE_FIXES.renewSelfSigned.id]);
  });

  it('never offers to renew a custom (type 3) certificate, even expired', () => {
    const now = new Date(Date.parse(bound('cert-ca-issued').notAfter) + DAY);
    const verdict = evaluateCertificate(data('cert-ca-issued'), { now, warnDays: 30 });
    expect(verdict.status).toBe('fail');
    expect(verdict.fixes).toEqual([]);
  });

  it('warns about a certificate that is not valid yet (clock behind)', () => {
    const now = new Date(Date.parse(bound('healthy').notBefore) - DAY);
    const verdict = evaluateCertificate(data('healthy'), { now, warnDays: 30 });
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/not valid until .*clock/);
  });

  it('fails when the certificate has no private key, and still lists what else it found', () => {
    const healthy = data('healthy');
    const noKey = { ...healthy, boundCertificate: { ...bound('healthy'), hasPrivateKey: false } };
    const verdict = evaluateCertificate(noKey, { ...ctxOf('healthy'), warnDays: 90 });
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/not its private key/);
    expect(verdict.evidence['Also found']).toEqual([expect.stringMatching(/expires in 6[34] days/)]);
  });

  it('warns when the registry and WMI name different certificates', () => {
    const verdict = evaluateCertificate({ ...data('healthy'), registryThumbprint: '00'.repeat(20), thumbprintsAgree: false }, ctxOf('healthy'));
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/registry and WMI/);
  });

  it('is unknown when no certificate is bound or the binding type is not documented', () => {
    const healthy = data('healthy');
    expect(evaluateCertificate({ ...healthy, boundThumbprint: null }, ctxOf('healthy')).status).toBe('unknown');
    expect(evaluateCertificate({ ...healthy, bindingType: 7 }, ctxOf('healthy')).status).toBe('unknown');
    expect(evaluateCertificate({ ...healthy, bindingType: null }, ctxOf('healthy')).status).toBe('unknown');
  });

  it('reports an access-denied envelope as unknown (needs elevation), never fail', () => {
    const stdout = JSON.stringify({ probe: 'certificate', schema: 1, ok: false, error: { kind: 'access-denied', message: 'Access is denied.' } });
    const finding = findingFromOutput(certificateProbe, stdout, ctxOf('healthy'));
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toMatch(/administrator/);
  });

  it('reports data with a date that is not a date as unknown, naming the field', () => {
    const recorded = loadRecorded('certificate', 'healthy');
    const envelope = structuredClone(recorded.envelope) as { data: { boundCertificate: { notAfter: string } } };
    envelope.data.boundCertificate.notAfter = '28/01/2027';
    const finding = findingFromOutput(certificateProbe, JSON.stringify(envelope), ctxOf('healthy'));
    expect(finding.status).toBe('unknown');
    expect(String(finding.evidence.problem)).toMatch(/boundCertificate\.notAfter/);
  });

  it('reports an event log it could not read in the evidence without changing the verdict', () => {
    const healthy = data('healthy');
    const verdict = evaluateCertificate({ ...healthy, events: { ...healthy.events, readable: false, errorKind: 'access-denied', error: 'Access is denied.' } }, ctxOf('healthy'));
    expect(verdict.status).toBe('ok');
    expect(verdict.evidence['Recent events']).toBe('could not read the System log (access-denied: Access is denied.)');
  });
});
