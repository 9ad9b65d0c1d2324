/**
 * The handshake probe: connect to the RDP port the way a client does (MS-RDPBCGR 2.2.1.1/2.2.1.2),
 * once per protocol set worth knowing, complete TLS where the server picks it, read the served
 * certificate, try each TLS version, and close without logging in. Node only (net + tls).
 * It talks to one address: the host named (default this computer) on the configured port.
 */
import { z } from 'zod';
import type { NodeProbe, NodeProbeContext } from '../common/probe.js';
import { runAttempt, type StepTimeouts, type Target } from './attempt.js';
import { evaluateHandshake } from './handshake-evaluate.js';
import { ATTEMPT_PLAN, type HandshakeObservation, type LabelledAttempt, type PortSource } from './observation.js';
import { DEFAULT_HOST, DEFAULT_RDP_PORT } from './target.js';
import { probeTlsVersions } from './tls-versions.js';

/** Probe ids whose data this probe reads when they ran in the same cycle. */
export const LISTENER_PROBE_ID = 'listener';
export const CERTIFICATE_PROBE_ID = 'certificate';

const listenerDataSchema = z.object({ port: z.number().int().min(1).max(65535) });
const certificateDataSchema = z.object({ boundThumbprint: z.string().nullable() });

export interface ObserveOptions {
  target: Target;
  portSource: PortSource;
  boundThumbprint?: string | null;
  timeouts?: Partial<StepTimeouts>;
  signal?: AbortSignal;
}

/** Runs every attempt against the target and gathers what was seen. Never rejects. */
export async function observeHandshake(options: ObserveOptions): Promise<HandshakeObservation> {
  const shared = {
    target: options.target,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const attempts: LabelledAttempt[] = [];
  let reachable = true;
  for (const plan of ATTEMPT_PLAN) {
    // One failed connect says all: don't repeat a refused or stalled connection.
    const result = reachable ? await runAttempt({ ...shared, requestedProtocols: plan.requestedProtocols }) : null;
    if (result?.broke?.step === 'connect') reachable = false;
    attempts.push({ id: plan.id, label: plan.label, result });
  }
  const withTls = attempts.find((attempt) => attempt.result?.tls)?.result;
  const tlsVersions = withTls ? await probeTlsVersions({ ...shared, requestedProtocols: withTls.requestedProtocols }) : null;
  return {
    target: options.target,
    portSource: options.portSource,
    attempts,
    tlsVersions,
    boundThumbprint: options.boundThumbprint ?? null,
  };
}

export interface HandshakeProbeOptions {
  /** Defaults to this computer (127.0.0.1). */
  host?: string;
  /** A port named by the user; otherwise the listener check's port, otherwise defaultPort. */
  port?: number;
  /** The port when none is named and the listener check has none; default 3389. */
  defaultPort?: number;
  timeouts?: Partial<StepTimeouts>;
}

function portFor(options: HandshakeProbeOptions, ctx: NodeProbeContext): { port: number; portSource: PortSource } {
  if (options.port !== undefined) return { port: options.port, portSource: 'named' };
  const listener = listenerDataSchema.safeParse(ctx.dataOf(LISTENER_PROBE_ID));
  if (listener.success) return { port: listener.data.port, portSource: 'listener-probe' };
  return { port: options.defaultPort ?? DEFAULT_RDP_PORT, portSource: 'default' };
}

function boundThumbprintOf(ctx: NodeProbeContext): string | null {
  const certificate = certificateDataSchema.safeParse(ctx.dataOf(CERTIFICATE_PROBE_ID));
  return certificate.success ? certificate.data.boundThumbprint : null;
}

export function createHandshakeProbe(options: HandshakeProbeOptions = {}): NodeProbe {
  return {
    kind: 'node',
    id: 'handshake',
    title: 'Remote Desktop handshake',
    async run(ctx) {
      const { port, portSource } = portFor(options, ctx);
      // The bound certificate is only comparable when we talk to this computer's own listener.
      const local = options.host === undefined;
      const observation = await observeHandshake({
        target: { host: options.host ?? DEFAULT_HOST, port },
        portSource,
        boundThumbprint: local ? boundThumbprintOf(ctx) : null,
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
        signal: ctx.signal,
      });
      return evaluateHandshake(observation, ctx);
    },
  };
}

/** The catalog entry: this computer's own listener. */
export const handshakeProbe = createHandshakeProbe();
