import { describe, expect, it } from 'vitest';
import { evaluateHandshake } from '../../../probes/handshake/handshake-evaluate.js';
import type { AttemptResult } from '../../../probes/handshake/attempt.js';
import type { CertificateInfo } from '../../../probes/handshake/certificate-info.js';
import type { HandshakeObservation } from '../../../probes/handshake/observation.js';

const now = new Date('2026-11-25T12:00:00Z');
const ctx = { now, warnDays: 30 };

const cert = (notAfter: string, notBefore = '2026-01-01T00:00:00.000Z'): CertificateInfo => ({
  subject: 'CN=host.example',
  issuer: 'CN=host.example',
  thumbprint: 'B6A85FE57AE0BCBB642704CA9C68ED6D1415D156',
  serialNumber: '01',
  notBefore,
  notAfter,
  selfSigned: true,
  subjectAltName: null,
});

const selected = (requestedProtocols: number, selectedProtocol: number, certificate: CertificateInfo | null = null): AttemptResult => ({
  requestedProtocols,
  reply: { kind: 'selected', selectedProtocol, flags: 0 },
  ...(selectedProtocol === 0 ? {} : { tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', certificate } }),
});

function observation(rdp: AttemptResult | null, tls: AttemptResult | null, credssp: AttemptResult | null, boundThumbprint: string | null = null): HandshakeObservation {
  return {
    target: { host: '127.0.0.1', port: 3389 },
    portSource: 'default',
    attempts: [
      { id: 'rdp', label: 'Standard RDP security', result: rdp },
      { id: 'tls', label: 'TLS', result: tls },
      { id: 'credssp', label: 'CredSSP (NLA)', result: credssp },
    ],
    tlsVersions: null,
    boundThumbprint,
  };
}

const healthy = (notAfter: string, bound: string | null = null): HandshakeObservation =>
  observation(selected(0, 0), selected(1, 1, cert(notAfter)), selected(3, 2, cert(notAfter)), bound);

describe('evaluateHandshake: certificate dates use ctx.now', () => {
  it('is ok with more than warnDays left, and says how many days', () => {
    const verdict = evaluateHandshake(healthy('2027-06-01T00:00:00.000Z'), ctx);
    expect(verdict.status).toBe('ok');
    expect(verdict.evidence['Days left']).toBe(187);
  });

  it('warns on the last day of the window, not the day before it', () => {
    expect(evaluateHandshake(healthy('2026-12-25T12:00:00.000Z'), ctx).status).toBe('warn'); // 30 days
    expect(evaluateHandshake(healthy('2026-12-26T12:00:00.000Z'), ctx).status).toBe('ok'); // 31 days
  });

  it('says "tomorrow" and "today" in words', () => {
    expect(evaluateHandshake(healthy('2026-11-26T13:00:00.000Z'), ctx).summary).toContain('expires tomorrow');
    expect(evaluateHandshake(healthy('2026-11-25T13:00:00.000Z'), ctx).summary).toContain('expires today');
  });

  it('fails at the expiry instant and after it, judged at ctx.now rather than the clock', () => {
    expect(evaluateHandshake(healthy('2026-11-25T12:00:00.000Z'), ctx).status).toBe('fail');
    expect(evaluateHandshake(healthy('2026-06-01T00:00:00.000Z'), ctx).summary).toContain('expired on 2026-06-01');
    expect(evaluateHandshake(healthy('2026-06-01T00:00:00.000Z'), { ...ctx, now: new Date('2026-02-01T00:00:00Z') }).status).toBe('ok');
  });

  it('fails a certificate that is not valid yet', () => {
    const notYet = observation(null, selected(1, 1, cert('2028-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')), null);
    notYet.attempts[0]!.result = selected(0, 0);
    const verdict = evaluateHandshake(notYet, ctx);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toContain('not valid until 2027-01-01');
  });

  it('treats unreadable dates as unknown, never ok', () => {
    const verdict = evaluateHandshake(observation(selected(0, 0), selected(1, 1, { ...cert('x'), notAfter: null }), null), ctx);
    expect(verdict.status).toBe('unknown');
  });

  it('is unknown when TLS completed without a certificate to read', () => {
    expect(evaluateHandshake(observation(selected(0, 0), selected(1, 1, null), null), ctx).status).toBe('unknown');
  });
});

describe('evaluateHandshake: bound certificate', () => {
  it('accepts the bound thumbprint in any case and with spaces, as certlm shows it', () => {
    const verdict = evaluateHandshake(healthy('2027-06-01T00:00:00.000Z', 'b6 a8 5f e5 7a e0 bc bb 64 27 04 ca 9c 68 ed 6d 14 15 d1 56'), ctx);
    expect(verdict.status).toBe('ok');
    expect(verdict.evidence['Served certificate is the bound one']).toBe('yes');
  });

  it('warns when the listener serves another certificate, and keeps the worse problem first', () => {
    const other = '0000000000000000000000000000000000000000';
    const mismatch = evaluateHandshake(healthy('2027-06-01T00:00:00.000Z', other), ctx);
    expect(mismatch.status).toBe('warn');
    expect(mismatch.summary).toMatch(/different certificate/);
    const expiredToo = evaluateHandshake(healthy('2026-01-02T00:00:00.000Z', other), ctx);
    expect(expiredToo.status).toBe('fail');
    expect(expiredToo.summary).toMatch(/expired on 2026-01-02/);
    expect(expiredToo.evidence['Also found']).toEqual([expect.stringMatching(/different certificate/)]);
  });
});

describe('evaluateHandshake: security offered', () => {
  it('warns when every secure request is answered with standard RDP security', () => {
    const verdict = evaluateHandshake(observation(selected(0, 0), selected(1, 0), selected(3, 0)), ctx);
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/only offers its old standard security/);
  });

  it('fails SSL_CERT_NOT_ON_SERVER even when standard RDP security still works', () => {
    const failure: AttemptResult = { requestedProtocols: 1, reply: { kind: 'failure', code: 3, name: 'SSL_CERT_NOT_ON_SERVER' } };
    const verdict = evaluateHandshake(observation(selected(0, 0), failure, { ...failure, requestedProtocols: 3 }), ctx);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toContain('SSL_CERT_NOT_ON_SERVER');
  });

  it('is ok when the server demands TLS and turns standard RDP security away', () => {
    const required: AttemptResult = { requestedProtocols: 0, reply: { kind: 'failure', code: 1, name: 'SSL_REQUIRED_BY_SERVER' } };
    const good = selected(1, 1, cert('2027-06-01T00:00:00.000Z'));
    expect(evaluateHandshake(observation(required, good, good), ctx).status).toBe('ok');
  });

  it('tells a peer that answers too slowly from one that never answers', () => {
    const slow: AttemptResult = { requestedProtocols: 0, broke: { step: 'reply', kind: 'timeout', message: 'only 3 bytes of the answer within 5000 ms', bytesReceived: 3 } };
    const silent: AttemptResult = { requestedProtocols: 0, broke: { step: 'reply', kind: 'timeout', message: 'no answer within 5000 ms' } };
    expect(evaluateHandshake(observation(slow, null, null), ctx).summary).toBe(
      'The Remote Desktop service answers the first handshake message too slowly (only 3 bytes of the answer within 5000 ms), so clients give up.',
    );
    expect(evaluateHandshake(observation(silent, null, null), ctx).summary).toMatch(/never answers/);
  });

  it('says a broken TLS step once even when two attempts broke the same way', () => {
    const broken: AttemptResult = {
      requestedProtocols: 1,
      reply: { kind: 'selected', selectedProtocol: 1, flags: 0 },
      broke: { step: 'tls', kind: 'tls', message: 'wrong version number', clientHelloSent: true },
    };
    const verdict = evaluateHandshake(observation(selected(0, 0), broken, { ...broken, requestedProtocols: 3 }), ctx);
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence['Also found']).toBeUndefined();
    expect(verdict.evidence['TLS, requestedProtocols 1']).toContain('wrong version number');
  });

  it('reports a cancelled check as unknown', () => {
    const cancelled: AttemptResult = { requestedProtocols: 0, broke: { step: 'connect', kind: 'aborted', message: 'the check was cancelled' } };
    expect(evaluateHandshake(observation(cancelled, null, null), ctx).status).toBe('unknown');
  });
});
