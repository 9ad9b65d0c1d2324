/**
 * The handshake probe: connect to the RDP port the way a client does (MS-RDPBCGR 2.2.1.1/2.2.1.2),
 * once per protocol set worth knowing, complete TLS where the server picks it, read the served
 * certificate, try each TLS version, and close without logging in. Node only (net + tls).
 * It talks to one address: the host named (default this computer) on the configured port.
 *
 * What each connection buys. Three run at once (so the probe takes about one handshake's time; more
 * would wait in a short listen backlog, xrdp's is 2): the standard-RDP, TLS and CredSSP
 * requests each learn what the server selects for that offer, and only one TLS handshake is
 * completed (the certificate and the highest version are the listener's, not the request's): the
 * TLS request's, or CredSSP's when TLS alone is turned away. The CredSSP connection then asks for
 * TLS 1.1 by ClientHello alone, the next free one for TLS 1.2 (tls-versions.ts); 1.3 is read from the handshake.
 */
import { z } from 'zod';
import { CERTIFICATE_PROBE_ID } from '../certificate/certificate.js';
import type { NodeProbe, NodeProbeContext } from '../common/probe.js';
import { runAttempt, type StepTimeouts, type Target } from './attempt.js';
import { evaluateHandshake } from './handshake-evaluate.js';
import { ATTEMPT_PLAN, type HandshakeObservation, type PortSource } from './observation.js';
import { DEFAULT_HOST, DEFAULT_RDP_PORT } from './target.js';
import { helloAttempt, legacyTlsVersions, outcomeOfHello, tls13From } from './tls-versions.js';
import { startsTls, type NegotiationReply } from './x224.js';

/** Probe ids whose data this probe reads when they ran in the same cycle. */
export const LISTENER_PROBE_ID = 'listener';

const listenerDataSchema = z.object({ port: z.number().int().min(1).max(65535) });
const certificateDataSchema = z.object({ boundThumbprint: z.string().nullable() });

export interface ObserveOptions {
  target: Target;
  portSource: PortSource;
  boundThumbprint?: string | null;
  timeouts?: Partial<StepTimeouts>;
  signal?: AbortSignal;
}

function startsTlsReply(reply: NegotiationReply | null | undefined): boolean {
  return reply?.kind === 'selected' && startsTls(reply.selectedProtocol);
}

/** A promise with its resolve, for a reply that one attempt tells and another waits for. */
function later<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** xrdp listens with a backlog of 2: a fourth connection at once can wait a second for a SYN retry. */
export const CONNECTIONS_AT_ONCE = 3;

/** Runs at most `size` tasks at once, in the order they were given. */
function connectionSlots(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < size) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the place straight to the next task, so none can jump the queue.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** Runs every attempt against the target and gathers what was seen. Never rejects. */
export async function observeHandshake(options: ObserveOptions): Promise<HandshakeObservation> {
  const shared = {
    target: options.target,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const [rdpPlan, tlsPlan, credsspPlan] = ATTEMPT_PLAN;
  const slot = connectionSlots(CONNECTIONS_AT_ONCE);
  // A server that speaks TLS at all starts it for SSL|HYBRID (as TLS or as CredSSP's first step).
  const helloOptions = { ...shared, requestedProtocols: credsspPlan.requestedProtocols };
  const tlsReply = later<NegotiationReply | null>();
  const tlsAttempt = slot(() => runAttempt({ ...shared, requestedProtocols: tlsPlan.requestedProtocols, onReply: tlsReply.resolve }));
  void tlsAttempt.then((result) => tlsReply.resolve(result.reply ?? null));
  const tlsStarted = tlsReply.promise.then(startsTlsReply);
  // CredSSP's connection completes TLS only when TLS alone was turned away; otherwise it asks TLS 1.1.
  const credsspAttempt = slot(() => runAttempt({ ...helloOptions, hello: tlsStarted.then((started) => (started ? 'TLSv1.1' : null)) }));
  const [rdp, tls, credssp, twelve] = await Promise.all([
    slot(() => runAttempt({ ...shared, requestedProtocols: rdpPlan.requestedProtocols })),
    tlsAttempt,
    credsspAttempt,
    // Takes the first free place: usually the standard-RDP request's, which ends at its reply.
    slot(() => helloAttempt('TLSv1.2', helloOptions)),
  ]);
  const session = [tls, credssp].find((result) => result.tls)?.tls;
  let tlsVersions: HandshakeObservation['tlsVersions'] = null;
  if (session) {
    const eleven = credssp.hello ? credssp : await helloAttempt('TLSv1.1', helloOptions);
    tlsVersions = [...(await legacyTlsVersions(eleven, helloOptions)), outcomeOfHello('TLSv1.2', twelve), tls13From(session)];
  }
  const results = [rdp, tls, credssp];
  return {
    target: options.target,
    portSource: options.portSource,
    attempts: ATTEMPT_PLAN.map((plan, index) => ({ id: plan.id, label: plan.label, result: results[index] ?? null })),
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
