/**
 * One target's handshake, as a fleet reads it (scan rows, exporter metrics): reachable, which
 * security protocols the server accepts, NLA required, TLS versions, the served certificate and
 * whether the name used is in it, next to the verdict. Pure: observation + verdict + now.
 */
import tls from 'node:tls';
import { daysLeft } from '../common/days.js';
import type { Status } from '../common/finding.js';
import type { Verdict } from '../common/probe.js';
import type { AttemptResult } from './attempt.js';
import type { CertificateInfo } from './certificate-info.js';
import { handshakeCompleted } from './handshake-evaluate.js';
import type { AttemptId, HandshakeObservation } from './observation.js';
import { formatTarget } from './target.js';
import { TLS_VERSION_LABELS, type TlsVersionOutcome } from './tls-versions.js';
import { PROTOCOL } from './x224.js';

export type SecurityProtocol = 'rdp' | 'tls' | 'credssp';

export interface CertificateReport {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  notBefore: string | null;
  notAfter: string | null;
  daysLeft: number | null;
  selfSigned: boolean;
  /** SHA-1 of the DER bytes, upper-case hex: what certlm.msc and Get-ChildItem Cert: show. */
  thumbprint: string;
  /** Whether the name or address used to connect is one the certificate is issued to. */
  nameMatches: boolean;
}

export interface TargetReport {
  target: string;
  host: string;
  port: number;
  status: Status;
  summary: string;
  /** A TCP connection opened (something listens). */
  reachable: boolean;
  /** A client could complete the handshake (the certificate's dates aside). */
  handshakeCompleted: boolean;
  /** Per protocol set: did the server select it when offered (null: no answer to tell). */
  securityProtocols: Record<SecurityProtocol, boolean | null>;
  /** CredSSP accepted and neither standard RDP security nor TLS alone (null: cannot tell). */
  nlaRequired: boolean | null;
  /** Per TLS version label ("TLS 1.2"): what the server did; null when TLS could not be tried. */
  tlsVersions: Record<string, TlsVersionOutcome> | null;
  certificate: CertificateReport | null;
  durationMs: number;
  checkedAt: string;
}

function resultOf(observation: HandshakeObservation, id: AttemptId): AttemptResult | null {
  return observation.attempts.find((attempt) => attempt.id === id)?.result ?? null;
}

/** Whether the reply to one request selected a protocol of `mask` (0 = standard RDP security). */
function accepted(result: AttemptResult | null, mask: number): boolean | null {
  const reply = result?.reply;
  if (!reply || reply.kind === 'malformed') return null;
  if (reply.kind === 'failure') return false;
  if (reply.kind === 'no-negotiation') return mask === PROTOCOL.RDP;
  return mask === PROTOCOL.RDP ? reply.selectedProtocol === PROTOCOL.RDP : (reply.selectedProtocol & mask) !== 0;
}

function nameMatches(host: string, cert: CertificateInfo): boolean {
  const cn = /(?:^|, )CN=([^,]+)/.exec(cert.subject)?.[1];
  const peer = { subject: cn ? { CN: cn } : {}, subjectaltname: cert.subjectAltName ?? undefined };
  return tls.checkServerIdentity(host, peer as unknown as tls.PeerCertificate) === undefined;
}

export function certificateReport(host: string, cert: CertificateInfo, now: Date): CertificateReport {
  const days = cert.notAfter ? daysLeft(cert.notAfter, now) : Number.NaN;
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    subjectAltNames: cert.subjectAltName ? cert.subjectAltName.split(', ').filter((entry) => entry.length > 0) : [],
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    daysLeft: Number.isNaN(days) ? null : days,
    selfSigned: cert.selfSigned,
    thumbprint: cert.thumbprint,
    nameMatches: nameMatches(host, cert),
  };
}

export function targetReport(observation: HandshakeObservation, verdict: Pick<Verdict, 'status' | 'summary'>, now: Date, durationMs: number): TargetReport {
  const rdp = resultOf(observation, 'rdp');
  const tlsAttempt = resultOf(observation, 'tls');
  const credssp = resultOf(observation, 'credssp');
  const protocols: Record<SecurityProtocol, boolean | null> = {
    rdp: accepted(rdp, PROTOCOL.RDP),
    tls: accepted(tlsAttempt, PROTOCOL.SSL),
    credssp: accepted(credssp, PROTOCOL.HYBRID | PROTOCOL.HYBRID_EX),
  };
  const nlaRequired =
    protocols.credssp === false ? false : protocols.credssp && protocols.rdp !== null && protocols.tls !== null ? !protocols.rdp && !protocols.tls : null;
  const served = [tlsAttempt, credssp].find((result) => result?.tls?.certificate)?.tls?.certificate ?? null;
  const reachable = observation.attempts.some((attempt) => attempt.result && attempt.result.broke?.step !== 'connect');
  return {
    target: formatTarget(observation.target),
    host: observation.target.host,
    port: observation.target.port,
    status: verdict.status,
    summary: verdict.summary,
    reachable,
    handshakeCompleted: handshakeCompleted(observation),
    securityProtocols: protocols,
    nlaRequired,
    tlsVersions: observation.tlsVersions
      ? Object.fromEntries(observation.tlsVersions.map((result) => [TLS_VERSION_LABELS[result.version], result.outcome]))
      : null,
    certificate: served ? certificateReport(observation.target.host, served, now) : null,
    durationMs: Math.round(durationMs),
    checkedAt: now.toISOString(),
  };
}
