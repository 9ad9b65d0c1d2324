/**
 * Observation → verdict. Pure: every date comparison uses ctx.now.
 * fail: nothing listens, the handshake breaks, the served certificate has expired (or is not valid yet).
 * warn: it expires within ctx.warnDays, only standard RDP security is offered, or the listener
 * serves another certificate than the one bound. ok otherwise.
 */
import { verdictFromProblems, type EvaluateContext, type Problem, type Verdict } from '../common/probe.js';
import { daysLeft } from '../common/days.js';
import type { AttemptResult } from './attempt.js';
import type { HandshakeObservation, LabelledAttempt } from './observation.js';
import { baseEvidence, certificateEvidence } from './handshake-evidence.js';
import { startsTls } from './x224.js';
import { formatTarget } from './target.js';

function where(observation: HandshakeObservation): string {
  return formatTarget(observation.target);
}

/** Connect-step breaks of the first attempt decide everything: there was nothing to talk to. */
function connectProblem(observation: HandshakeObservation, first: AttemptResult): Problem | null {
  const broke = first.broke;
  if (!broke || broke.step !== 'connect') return null;
  switch (broke.kind) {
    case 'refused':
      return { status: 'fail', summary: `Nothing is accepting Remote Desktop connections on ${where(observation)}.` };
    case 'timeout':
      return { status: 'fail', summary: `Nothing answered on ${where(observation)}: the service may be stopped, or a firewall drops the connection.` };
    case 'unreachable':
      return { status: 'fail', summary: `${observation.target.host} cannot be reached over the network from here.` };
    case 'not-found':
      return { status: 'unknown', summary: `The name ${observation.target.host} could not be found, so no connection was tried.` };
    case 'aborted':
      return { status: 'unknown', summary: 'The connection test was cancelled before it finished.' };
    default:
      return { status: 'unknown', summary: `The connection to ${where(observation)} could not be opened: ${broke.message}` };
  }
}

/** A reply or TLS step that broke, or a reply that is not RDP: what a user sees as 0x904 / 0x7. */
function brokenHandshake(attempt: LabelledAttempt): Problem | null {
  const result = attempt.result;
  if (!result) return null;
  const broke = result.broke;
  if (broke?.kind === 'aborted') return { status: 'unknown', summary: 'The connection test was cancelled before it finished.' };
  if (result.reply?.kind === 'malformed') {
    return { status: 'fail', summary: 'Something answers on the Remote Desktop port, but not with a Remote Desktop handshake.' };
  }
  if (!broke) return null;
  // A connection that asked one TLS version by ClientHello: a close there is that version refused.
  if (broke.step === 'tls' && result.helloOffered) return null;
  if (broke.step === 'reply') {
    if (broke.kind === 'timeout' && broke.bytesReceived) {
      return { status: 'fail', summary: `The Remote Desktop service answers the first handshake message too slowly (${broke.message}), so clients give up.` };
    }
    return broke.kind === 'timeout'
      ? { status: 'fail', summary: 'The Remote Desktop service accepts connections but never answers the first handshake message.' }
      : { status: 'fail', summary: 'The Remote Desktop service drops connections at the first handshake message.' };
  }
  if (broke.step === 'tls') {
    return { status: 'fail', summary: 'The secure (TLS) part of the Remote Desktop handshake fails, so clients cannot connect.' };
  }
  // A connect break on a later attempt: the listener went away during the check.
  return { status: 'fail', summary: 'The Remote Desktop listener stopped accepting connections during the check.' };
}

function usable(result: AttemptResult | null): boolean {
  if (!result || result.broke) return false;
  const reply = result.reply;
  if (reply?.kind === 'no-negotiation') return true;
  if (reply?.kind !== 'selected') return false;
  return !startsTls(reply.selectedProtocol) || result.tls !== undefined;
}

function certificateProblems(observation: HandshakeObservation, ctx: EvaluateContext, evidence: Record<string, unknown>): Problem[] {
  const served = observation.attempts.find((attempt) => attempt.result?.tls)?.result?.tls;
  if (!served) return [];
  const cert = served.certificate;
  evidence['TLS version'] = served.version;
  evidence.Cipher = served.cipher;
  if (!cert) return [{ status: 'unknown', summary: 'The secure connection completed, but the server showed no certificate to check.' }];
  const notAfter = cert.notAfter ? Date.parse(cert.notAfter) : Number.NaN;
  const notBefore = cert.notBefore ? Date.parse(cert.notBefore) : Number.NaN;
  const days = Number.isNaN(notAfter) ? null : daysLeft(notAfter, ctx.now);
  Object.assign(evidence, certificateEvidence(cert, days));
  const problems: Problem[] = [];
  if (Number.isNaN(notAfter) || Number.isNaN(notBefore)) {
    problems.push({ status: 'unknown', summary: 'The validity dates of the certificate Remote Desktop presents could not be read.' });
  } else if (notAfter <= ctx.now.getTime()) {
    problems.push({ status: 'fail', summary: `The certificate Remote Desktop presents to clients expired on ${cert.notAfter?.slice(0, 10)}.` });
  } else if (notBefore > ctx.now.getTime()) {
    problems.push({ status: 'fail', summary: `The certificate Remote Desktop presents to clients is not valid until ${cert.notBefore?.slice(0, 10)}.` });
  } else if (days !== null && days <= ctx.warnDays) {
    const when = days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
    problems.push({ status: 'warn', summary: `The certificate Remote Desktop presents to clients expires ${when} (${cert.notAfter?.slice(0, 10)}).` });
  }
  const bound = observation.boundThumbprint?.replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (bound) {
    evidence['Served certificate is the bound one'] = bound === cert.thumbprint ? 'yes' : 'no';
    if (bound !== cert.thumbprint) {
      problems.push({
        status: 'warn',
        summary: 'The Remote Desktop listener serves a different certificate than the one configured for it (it may still hold an old one).',
      });
    }
  }
  return problems;
}

/** Whether a client could complete the handshake: something usable answered and nothing broke. */
export function handshakeCompleted(observation: HandshakeObservation): boolean {
  const first = observation.attempts[0]?.result;
  if (!first || connectProblem(observation, first)) return false;
  return observation.attempts.every((attempt) => brokenHandshake(attempt) === null) && observation.attempts.some((attempt) => usable(attempt.result));
}

export function evaluateHandshake(observation: HandshakeObservation, ctx: EvaluateContext): Verdict {
  const evidence = baseEvidence(observation);
  const verdict = (problem: Problem, ...others: Problem[]): Verdict => verdictFromProblems([problem, ...others], evidence);
  const first = observation.attempts[0]?.result;
  if (!first) {
    return verdict({ status: 'unknown', summary: 'No connection attempt was made.' });
  }
  const connect = connectProblem(observation, first);
  if (connect) return verdict(connect);

  const problems: Problem[] = [];
  for (const attempt of observation.attempts) {
    const broken = brokenHandshake(attempt);
    if (broken) problems.push(broken);
  }
  const secureAttempts = observation.attempts.filter((attempt) => attempt.id !== 'rdp');
  if (secureAttempts.some((attempt) => attempt.result?.reply?.kind === 'failure' && attempt.result.reply.code === 3)) {
    problems.push({ status: 'fail', summary: 'Remote Desktop turns secure connections away because it has no usable certificate (SSL_CERT_NOT_ON_SERVER).' });
  }
  const anyUsable = observation.attempts.some((attempt) => usable(attempt.result));
  const secureUsable = secureAttempts.some((attempt) => usable(attempt.result) && attempt.result?.tls !== undefined);
  if (!anyUsable && problems.length === 0) {
    problems.push({ status: 'fail', summary: 'Remote Desktop refused every kind of connection this check offered.' });
  }
  if (anyUsable && !secureUsable && problems.length === 0) {
    problems.push({
      status: 'warn',
      summary: 'Remote Desktop only offers its old standard security without TLS, so clients cannot verify they reached the right computer.',
    });
  }
  problems.push(...certificateProblems(observation, ctx, evidence));

  if (problems.length === 0) {
    const version = evidence['TLS version'];
    return verdict({
      status: 'ok',
      summary: `Remote Desktop answers like a healthy server and completes the secure handshake${typeof version === 'string' ? ` (${version})` : ''} with a valid certificate.`,
    });
  }
  // Several attempts can break the same way; say each problem once (the evidence has each attempt).
  const distinct = problems.filter((problem, index) => problems.findIndex((other) => other.summary === problem.summary) === index);
  return verdict(distinct[0]!, ...distinct.slice(1));
}
