/** Evidence lines for the handshake finding: what was read, verbatim, in words an admin recognises. */
import type { AttemptResult } from './attempt.js';
import { ATTEMPT_PLAN, type HandshakeObservation, type PortSource } from './observation.js';
import type { CertificateInfo } from './certificate-info.js';
import { TLS_VERSION_LABELS, type TlsVersionResult } from './tls-versions.js';
import type { ServerAnswer } from './tls-hello.js';
import { protocolNames } from './x224.js';
import { formatTarget } from './target.js';

const PORT_SOURCES: Record<PortSource, string> = {
  named: 'as named',
  'listener-probe': 'from the listener check',
  default: 'default RDP port',
};

export function describeReply(result: AttemptResult): string {
  const reply = result.reply;
  const parts: string[] = [];
  if (reply?.kind === 'selected') {
    parts.push(`server selected ${protocolLabel(reply.selectedProtocol)} (RDP_NEG_RSP selectedProtocol ${reply.selectedProtocol})`);
  } else if (reply?.kind === 'failure') {
    parts.push(`RDP_NEG_FAILURE ${reply.name} (${reply.code})`);
  } else if (reply?.kind === 'no-negotiation') {
    parts.push('Connection Confirm without negotiation data (an older server: standard RDP security)');
  } else if (reply?.kind === 'malformed') {
    parts.push(`not an RDP reply: ${reply.problem}`);
  }
  if (result.tls) parts.push(`${result.tls.version} handshake completed, ${result.tls.cipher}`);
  if (result.hello) parts.push(`then asked for ${TLS_VERSION_LABELS[result.helloOffered ?? 'TLSv1.2']} at most: ${describeAnswer(result.hello)}`);
  if (result.broke) parts.push(`broke at ${stepName(result.broke.step)}: ${result.broke.message}`);
  return parts.join('; ');
}

function describeAnswer(answer: ServerAnswer): string {
  if (answer.kind === 'server-hello') return `the server answered with ${answer.version}, ${answer.cipher}`;
  if (answer.kind === 'alert') return `the server answered with the alert ${answer.description}`;
  return answer.problem;
}

const PROTOCOL_LABELS: Record<string, string> = {
  RDP: 'standard RDP security',
  SSL: 'TLS',
  HYBRID: 'CredSSP',
  HYBRID_EX: 'CredSSP with early user authorization',
  RDSTLS: 'RDSTLS',
  RDSAAD: 'Microsoft Entra ID authentication',
};

function protocolLabel(value: number): string {
  return protocolNames(value)
    .split('|')
    .map((name) => PROTOCOL_LABELS[name] ?? name)
    .join(' + ');
}

function stepName(step: string): string {
  if (step === 'connect') return 'connect';
  if (step === 'reply') return 'the X.224 reply';
  return 'the TLS handshake';
}

const TLS_OUTCOMES: Record<TlsVersionResult['outcome'], string> = {
  accepted: 'accepted',
  refused: 'refused by the server',
  'client-cannot-offer': 'not tested: this computer could not offer it',
  'no-answer': 'no answer',
  'not-tested': 'not tested',
};

export function describeTlsVersion(result: TlsVersionResult): string {
  const legacy = result.outcome === 'accepted' && (result.version === 'TLSv1' || result.version === 'TLSv1.1');
  const note = legacy ? ' (only very old clients need it)' : '';
  return `${TLS_OUTCOMES[result.outcome]}${note} - ${result.detail}`;
}

export function certificateEvidence(cert: CertificateInfo, daysLeft: number | null): Record<string, unknown> {
  return {
    'Certificate subject': cert.subject,
    'Certificate issuer': cert.issuer,
    'Certificate thumbprint': cert.thumbprint,
    'Valid from': cert.notBefore,
    'Valid until': cert.notAfter,
    'Days left': daysLeft,
    'Self-signed': cert.selfSigned ? 'yes' : 'no',
    ...(cert.subjectAltName ? { 'Subject alternative names': cert.subjectAltName } : {}),
  };
}

export function baseEvidence(observation: HandshakeObservation): Record<string, unknown> {
  const { target } = observation;
  const evidence: Record<string, unknown> = {
    Target: formatTarget(target),
    Port: `${target.port} (${PORT_SOURCES[observation.portSource]})`,
  };
  for (const attempt of observation.attempts) {
    const key = `${attempt.label}, requestedProtocols ${requestedOf(attempt.id)}`;
    evidence[key] = attempt.result ? describeReply(attempt.result) : 'not tried';
  }
  if (observation.tlsVersions) {
    evidence['TLS versions'] = Object.fromEntries(
      observation.tlsVersions.map((result) => [TLS_VERSION_LABELS[result.version], describeTlsVersion(result)]),
    );
  }
  if (observation.boundThumbprint) evidence['Bound certificate thumbprint'] = observation.boundThumbprint;
  return evidence;
}

function requestedOf(id: string): number {
  return ATTEMPT_PLAN.find((plan) => plan.id === id)?.requestedProtocols ?? 0;
}
