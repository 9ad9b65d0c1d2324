/**
 * The host's end, seen from this PC: the existing handshake engine (probes/handshake, called
 * through its exported API only) run against one address, reduced to what the client-side
 * verdict needs. The one place that knows the engine's observation shape.
 */
import type { CertificateInfo } from '../../../probes/handshake/certificate-info.js';
import { observeHandshake } from '../../../probes/handshake/handshake.js';
import type { StepTimeouts } from '../../../probes/handshake/attempt.js';
import type { HandshakeObservation, LabelledAttempt } from '../../../probes/handshake/observation.js';
import type { TlsVersion } from '../../../probes/handshake/tls-versions.js';
import { CLIENT_TLS_VERSIONS, NODE_TLS_NAME, type ClientTlsVersion } from '../../../probes/client/client-settings.js';

export type ProtocolOutcome = { accepted: true } | { accepted: false; why: string };

export interface HostHandshake {
  address: string;
  port: number;
  /** False when the first TCP connect failed (kind says how). */
  reachable: boolean;
  connectFailure: string | null;
  standardRdp: ProtocolOutcome;
  tls: ProtocolOutcome;
  credSsp: ProtocolOutcome;
  /** The host refuses TLS without NLA (HYBRID_REQUIRED_BY_SERVER). */
  requiresNla: boolean;
  /** TLS versions the host completed a handshake with; null when none could be tried. */
  tlsVersions: ClientTlsVersion[] | null;
  certificate: CertificateInfo | null;
  /** The TLS step itself broke (no version in common with our side, or a bad certificate/key). */
  tlsBroke: string | null;
}

function outcome(attempt: LabelledAttempt | undefined): ProtocolOutcome {
  const result = attempt?.result;
  if (!result) return { accepted: false, why: 'not tried' };
  const reply = result.reply;
  if (reply?.kind === 'failure') return { accepted: false, why: reply.name };
  if (result.broke) return { accepted: false, why: `${result.broke.step} ${result.broke.kind}: ${result.broke.message}` };
  if (reply?.kind === 'selected') {
    // The host may answer a CredSSP request with plain TLS: then CredSSP was not accepted.
    if (attempt?.id === 'credssp' && (reply.selectedProtocol & 0x2) === 0) return { accepted: false, why: 'the host chose TLS without CredSSP' };
    if (attempt?.id === 'tls' && reply.selectedProtocol === 0) return { accepted: false, why: 'the host chose standard RDP security' };
    return { accepted: true };
  }
  if (reply?.kind === 'no-negotiation') return attempt?.id === 'rdp' ? { accepted: true } : { accepted: false, why: 'the host does not negotiate (standard RDP security only)' };
  return { accepted: false, why: reply?.kind === 'malformed' ? reply.problem : 'no reply' };
}

const FROM_NODE = Object.fromEntries(CLIENT_TLS_VERSIONS.map((version) => [NODE_TLS_NAME[version], version])) as Record<TlsVersion, ClientTlsVersion>;

export function summarizeObservation(observation: HandshakeObservation): HostHandshake {
  const byId = (id: string) => observation.attempts.find((attempt) => attempt.id === id);
  const first = observation.attempts[0]?.result;
  const connectBreak = first?.broke?.step === 'connect' ? first.broke : undefined;
  const tlsAttempt = observation.attempts.find((attempt) => attempt.result?.tls);
  const tlsBreak = observation.attempts.map((attempt) => attempt.result?.broke).find((broke) => broke?.step === 'tls');
  const tlsOutcome = outcome(byId('tls'));
  return {
    address: observation.target.host,
    port: observation.target.port,
    reachable: connectBreak === undefined,
    connectFailure: connectBreak ? `${connectBreak.kind}: ${connectBreak.message}` : null,
    standardRdp: outcome(byId('rdp')),
    tls: tlsOutcome,
    credSsp: outcome(byId('credssp')),
    requiresNla: !tlsOutcome.accepted && tlsOutcome.why === 'HYBRID_REQUIRED_BY_SERVER',
    tlsVersions: observation.tlsVersions === null ? null : observation.tlsVersions.filter((entry) => entry.outcome === 'accepted').map((entry) => FROM_NODE[entry.version]),
    certificate: tlsAttempt?.result?.tls?.certificate ?? null,
    tlsBroke: tlsBreak && !tlsAttempt ? tlsBreak.message : null,
  };
}

export interface HostHandshakeOptions {
  timeouts?: Partial<StepTimeouts>;
  signal?: AbortSignal;
}

export async function checkHostHandshake(address: string, port: number, options: HostHandshakeOptions = {}): Promise<HostHandshake> {
  const observation = await observeHandshake({
    target: { host: address, port },
    portSource: 'named',
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return summarizeObservation(observation);
}
