/** What the handshake probe saw, as plain data: evaluate() reads only this (and the context). */
import type { AttemptResult, Target } from './attempt.js';
import type { TlsVersionResult } from './tls-versions.js';
import { PROTOCOL } from './x224.js';

/** The protocol sets worth asking for, in the order a reader expects them. */
export const ATTEMPT_PLAN = [
  { id: 'rdp', label: 'Standard RDP security', requestedProtocols: PROTOCOL.RDP },
  { id: 'tls', label: 'TLS', requestedProtocols: PROTOCOL.SSL },
  { id: 'credssp', label: 'CredSSP (NLA)', requestedProtocols: PROTOCOL.SSL | PROTOCOL.HYBRID },
] as const;

export type AttemptId = (typeof ATTEMPT_PLAN)[number]['id'];

export interface LabelledAttempt {
  id: AttemptId;
  label: string;
  /** null when the attempt was not made (nothing to connect to after the first one). */
  result: AttemptResult | null;
}

export type PortSource = 'named' | 'listener-probe' | 'default';

export interface HandshakeObservation {
  target: Target;
  portSource: PortSource;
  attempts: LabelledAttempt[];
  /** null when no attempt completed TLS, so versions could not be tried. */
  tlsVersions: TlsVersionResult[] | null;
  /** The thumbprint the certificate check read as bound to the listener this cycle, if any. */
  boundThumbprint: string | null;
}
