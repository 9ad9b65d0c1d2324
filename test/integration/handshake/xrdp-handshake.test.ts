/**
 * The handshake probe against a real RDP server: xrdp on 127.0.0.1, one instance per
 * configuration, started once for the file. Certificates come from openssl, and openssl's own
 * reading of them (thumbprint, dates) is what the probe's evidence is compared with.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProbeContext, Verdict } from '../../../probes/common/probe.js';
import { createHandshakeProbe } from '../../../probes/handshake/handshake.js';
import { probeTlsVersion } from '../../../probes/handshake/tls-versions.js';
import { selfSignedCertificate, TestCertificateAuthority, type CertificateFiles } from './openssl-certificates.js';
import { startXrdp, type XrdpConfig, type XrdpServer } from './xrdp-server.js';

const DAY = 86_400_000;
let work: string;
const certs: Record<'valid' | 'expired' | 'expiring' | 'other', CertificateFiles> = {} as never;
const servers = new Map<string, XrdpServer>();

function context(extra: Partial<NodeProbeContext> = {}): NodeProbeContext {
  return { now: new Date(), warnDays: 30, signal: new AbortController().signal, dataOf: () => undefined, ...extra };
}

function server(name: string): XrdpServer {
  const found = servers.get(name);
  if (!found) throw new Error(`xrdp ${name} not started`);
  return found;
}

async function check(name: string, extra: Partial<NodeProbeContext> = {}): Promise<Verdict> {
  return createHandshakeProbe({ port: server(name).port }).run(context(extra));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'rdp-health-xrdp-'));
  const ca = await TestCertificateAuthority.create(path.join(work, 'ca'));
  const now = Date.now();
  certs.valid = await selfSignedCertificate(path.join(work, 'certs'), 'valid', 365);
  certs.other = await selfSignedCertificate(path.join(work, 'certs'), 'other', 365);
  certs.expired = await ca.issue('expired', new Date('2020-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
  // An hour past five days, so "5 days left" holds for the whole test run.
  certs.expiring = await ca.issue('expiring', new Date(now - 30 * DAY), new Date(now + 5 * DAY + 3_600_000));
  const valid = { certificate: certs.valid.certificate, key: certs.valid.key };
  const configs: XrdpConfig[] = [
    { name: 'negotiate', securityLayer: 'negotiate', ...valid },
    { name: 'rdp', securityLayer: 'rdp', ...valid },
    { name: 'expired', securityLayer: 'tls', certificate: certs.expired.certificate, key: certs.expired.key },
    { name: 'expiring', securityLayer: 'tls', certificate: certs.expiring.certificate, key: certs.expiring.key },
    { name: 'tls12', securityLayer: 'tls', sslProtocols: 'TLSv1.2', ...valid },
    { name: 'tls13', securityLayer: 'tls', sslProtocols: 'TLSv1.3', ...valid },
    { name: 'legacy', securityLayer: 'negotiate', sslProtocols: 'TLSv1, TLSv1.1, TLSv1.2, TLSv1.3', tlsCiphers: 'DEFAULT:@SECLEVEL=0', ...valid },
    { name: 'no-cert', securityLayer: 'tls', certificate: path.join(work, 'certs', 'missing.pem'), key: certs.valid.key },
    { name: 'wrong-key', securityLayer: 'tls', certificate: certs.valid.certificate, key: certs.other.key },
  ];
  const started = await Promise.allSettled(configs.map((config) => startXrdp(config, work)));
  for (const result of started) if (result.status === 'fulfilled') servers.set(result.value.config.name, result.value);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
});

afterAll(async () => {
  await Promise.all([...servers.values()].map((running) => running.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

describe('xrdp, security_layer=negotiate, valid self-signed certificate', () => {
  it('is ok and reports the served certificate exactly as openssl reads it', async () => {
    const verdict = await check('negotiate');
    expect(verdict.status).toBe('ok');
    expect(verdict.summary).toMatch(/completes the secure handshake \(TLSv1\.3\)/);
    expect(verdict.evidence).toMatchObject({
      'Certificate subject': 'CN=valid.rdp-health.test',
      'Certificate issuer': 'CN=valid.rdp-health.test',
      'Certificate thumbprint': certs.valid.thumbprint,
      'Valid from': certs.valid.notBefore.toISOString(),
      'Valid until': certs.valid.notAfter.toISOString(),
      'Self-signed': 'yes',
      'TLS version': 'TLSv1.3',
    });
    expect(certs.valid.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(verdict.evidence['Days left']).toBeGreaterThanOrEqual(364);
  });

  it('shows what xrdp selected for each request (it has no CredSSP, so it picks TLS)', async () => {
    const { evidence } = await check('negotiate');
    expect(evidence['Standard RDP security, requestedProtocols 0']).toMatch(/^server selected standard RDP security \(RDP_NEG_RSP selectedProtocol 0\)$/);
    expect(evidence['TLS, requestedProtocols 1']).toMatch(/^server selected TLS .*; TLSv1\.3 handshake completed/);
    expect(evidence['CredSSP (NLA), requestedProtocols 3']).toMatch(/^server selected TLS \(RDP_NEG_RSP selectedProtocol 1\)/);
  });

  it('lists TLS 1.2 and 1.3 as accepted and 1.0 and 1.1 as refused by the server (Debian default)', async () => {
    const { evidence } = await check('negotiate');
    const versions = evidence['TLS versions'] as Record<string, string>;
    expect(versions['TLS 1.0']).toMatch(/^refused by the server/);
    expect(versions['TLS 1.1']).toMatch(/^refused by the server/);
    // xrdp follows the client's order: our hello lists RSA key exchange first (no signature to make).
    expect(versions['TLS 1.2']).toMatch(/^accepted - TLS_RSA_WITH_AES_128_GCM_SHA256, picked from our ClientHello/);
    expect(versions['TLS 1.3']).toMatch(/^accepted - TLS_AES/);
  });

  it('takes the port from the listener check when no port is named', async () => {
    const { port } = server('negotiate');
    const verdict = await createHandshakeProbe().run(context({ dataOf: (id) => (id === 'listener' ? { port, enabled: true } : undefined) }));
    expect(verdict.status).toBe('ok');
    expect(verdict.evidence.Port).toBe(`${port} (from the listener check)`);
  });

  it('compares the served certificate with the bound one from the certificate check', async () => {
    const { port } = server('negotiate');
    const probe = createHandshakeProbe();
    const dataOf = (bound: string) => (id: string) => (id === 'listener' ? { port } : id === 'certificate' ? { boundThumbprint: bound } : undefined);
    const same = await probe.run(context({ dataOf: dataOf(certs.valid.thumbprint.toLowerCase()) }));
    expect(same.status).toBe('ok');
    expect(same.evidence['Served certificate is the bound one']).toBe('yes');
    const other = await probe.run(context({ dataOf: dataOf(certs.other.thumbprint) }));
    expect(other.status).toBe('warn');
    expect(other.summary).toMatch(/serves a different certificate than the one configured/);
    expect(other.evidence['Bound certificate thumbprint']).toBe(certs.other.thumbprint);
  });

  it('judges the real certificate at ctx.now: a year on, it has expired', async () => {
    const verdict = await check('negotiate', { now: new Date(certs.valid.notAfter.getTime() + DAY) });
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/expired on/);
  });

  it('stops and says so when the check is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const verdict = await check('negotiate', { signal: controller.signal });
    expect(verdict.status).toBe('unknown');
    expect(verdict.summary).toMatch(/cancelled/);
  });

  it('tells "this computer could not offer TLS 1.0" apart from "the server refused it"', async () => {
    const target = { host: '127.0.0.1', port: server('negotiate').port };
    const unable = await probeTlsVersion('TLSv1', {
      target,
      requestedProtocols: 1,
      clientOptions: () => ({ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=4' }),
    });
    expect(unable.outcome).toBe('client-cannot-offer');
    const refused = await probeTlsVersion('TLSv1', { target, requestedProtocols: 1 });
    expect(refused.outcome).toBe('refused');
  });
});

describe('xrdp, other configurations', () => {
  it('fails an expired certificate and reads a CA-signed one as not self-signed', async () => {
    const verdict = await check('expired');
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('The certificate Remote Desktop presents to clients expired on 2021-01-01.');
    expect(verdict.evidence).toMatchObject({
      'Certificate issuer': 'CN=RDP Health Test CA',
      'Certificate thumbprint': certs.expired.thumbprint,
      'Self-signed': 'no',
      'Valid until': '2021-01-01T00:00:00.000Z',
    });
    // security_layer=tls turns standard RDP security away with a failure code, which is not a problem.
    expect(verdict.evidence['Standard RDP security, requestedProtocols 0']).toBe('RDP_NEG_FAILURE SSL_REQUIRED_BY_SERVER (1)');
  });

  it('warns about a certificate expiring in 5 days', async () => {
    const verdict = await check('expiring');
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/expires in 5 days/);
    expect(verdict.evidence['Days left']).toBe(5);
    expect(verdict.evidence['Certificate thumbprint']).toBe(certs.expiring.thumbprint);
  });

  it('warns when only standard RDP security is offered (security_layer=rdp)', async () => {
    const verdict = await check('rdp');
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/only offers its old standard security/);
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/^server selected standard RDP security/);
    expect(verdict.evidence['TLS versions']).toBeUndefined();
  });

  it.each([
    ['tls12', 'TLSv1.2', ['refused', 'refused', 'accepted', 'refused']],
    ['tls13', 'TLSv1.3', ['refused', 'refused', 'refused', 'accepted']],
    ['legacy', 'TLSv1.3', ['accepted (only very old clients need it)', 'accepted (only very old clients need it)', 'accepted', 'accepted']],
  ])('reads which TLS versions %s accepts', async (name, negotiated, expected) => {
    const verdict = await check(name);
    expect(verdict.status).toBe('ok');
    expect(verdict.evidence['TLS version']).toBe(negotiated);
    const versions = verdict.evidence['TLS versions'] as Record<string, string>;
    const outcomes = ['TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3'].map((label) => versions[label]?.split(' - ')[0]?.replace('refused by the server', 'refused'));
    expect(outcomes).toEqual(expected);
  });

  it('fails when the certificate file is missing: xrdp answers SSL_CERT_NOT_ON_SERVER', async () => {
    const verdict = await check('no-cert');
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/no usable certificate \(SSL_CERT_NOT_ON_SERVER\)/);
    expect(verdict.evidence['TLS, requestedProtocols 1']).toBe('RDP_NEG_FAILURE SSL_CERT_NOT_ON_SERVER (3)');
  });

  it('fails when the private key does not match: TLS is selected, then the TLS handshake breaks', async () => {
    const verdict = await check('wrong-key');
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/secure \(TLS\) part of the Remote Desktop handshake fails/);
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/^server selected TLS .*; broke at the TLS handshake: /);
  });
});
