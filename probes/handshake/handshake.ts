/**
 * The handshake probe: connect to the RDP port the way a client does (MS-RDPBCGR 2.2.1.1/2.2.1.2),
 * once per protocol set worth knowing, complete TLS where the server picks it, read the served
 * certificate, try each TLS version, and close without logging in. Node only (net + tls).
 * It talks to one address: the host named (default this computer) on the configured port.
 *
 * What each connection buys (four for a server with TLS; no fewer can tell three protocol
 * replies and three version questions apart). The standard-RDP, TLS and CredSSP requests each learn
 * what the server selects for that offer. Only one TLS handshake is completed (the certificate and
 * the highest version are the listener's, not the request's): the TLS request's, or CredSSP's when
 * TLS alone is turned away; it proves TLS 1.3 (or its absence). The CredSSP connection asks TLS 1.1
 * by ClientHello alone (whose answer also settles 1.0 unless 1.1 is accepted), a fourth one TLS 1.2.
 * All start at once, as far as a short listen backlog allows (connectionSlots).
 */
import { z } from 'zod';
import { CERTIFICATE_PROBE_ID } from '../certificate/certificate.js';
import type { NodeProbe, NodeProbeContext } from '../common/probe.js';
import { LISTENER_PROBE_ID } from '../listener/listener.js';
import { runAttempt, type AttemptResult, type StepTimeouts, type Target } from './attempt.js';
import { evaluateHandshake } from './handshake-evaluate.js';
import { ATTEMPT_PLAN, type HandshakeObservation, type PortSource } from './observation.js';
import { DEFAULT_HOST, DEFAULT_RDP_PORT } from './target.js';
import type { HelloVersion } from './tls-hello.js';
import { outcomeOfHello, tls10From, tls13From, type TlsVersionResult } from './tls-versions.js';
import { startsTls, type NegotiationReply } from './x224.js';

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

/**
 * xrdp listens with a backlog of 2: a fourth connection waiting to be accepted can wait a second
 * for a SYN retry. So at most three at once are not yet answered; an answer proves the accept.
 */
export const CONNECTIONS_AT_ONCE = 3;

type Slotted = <T>(task: (answered: () => void) => Promise<T>) => Promise<T>;

/** Runs tasks in the order given, at most `size` of them not yet answered by the server. */
function connectionSlots(size: number): Slotted {
  let free = size;
  const waiting: Array<() => void> = [];
  // Hand a freed place straight to the next task, so none can jump the queue.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };
  return async <T>(task: (answered: () => void) => Promise<T>): Promise<T> => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    let held = true;
    const answered = (): void => {
      if (held) release();
      held = false;
    };
    try {
      return await task(answered);
    } finally {
      answered();
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
  const hello = (version: HelloVersion): Promise<AttemptResult> => slot((answered) => runAttempt({ ...helloOptions, hello: version, onReply: answered }));
  const tlsReply = later<NegotiationReply | null>();
  // The three TLS starts first (they cost the most), the standard-RDP request in the first free place.
  const tlsAttempt = slot((answered) =>
    runAttempt({
      ...shared,
      requestedProtocols: tlsPlan.requestedProtocols,
      onReply: (reply) => {
        answered();
        tlsReply.resolve(reply);
      },
    }),
  );
  void tlsAttempt.then((result) => tlsReply.resolve(result.reply ?? null));
  const tlsStarted = tlsReply.promise.then(startsTlsReply);
  // CredSSP's connection completes TLS only when TLS alone was turned away; otherwise it asks TLS 1.1.
  const credsspAttempt = slot((answered) =>
    runAttempt({ ...helloOptions, onReply: answered, hello: tlsStarted.then((started) => (started ? 'TLSv1.1' : null)) }),
  );
  const twelveAttempt = hello('TLSv1.2');
  const rdpAttempt = slot((answered) => runAttempt({ ...shared, requestedProtocols: rdpPlan.requestedProtocols, onReply: answered }));
  // The 1.1 answer, and 1.0 asked as soon as that answer cannot tell it (RFC 5246 E.1).
  const legacy = credsspAttempt.then(async (credssp): Promise<TlsVersionResult[] | null> => {
    const eleven = credssp.hello ? credssp : (credssp.tls ?? (await tlsAttempt).tls) ? await hello('TLSv1.1') : null;
    if (!eleven) return null;
    const tls10 = tls10From(eleven) ?? outcomeOfHello('TLSv1', await hello('TLSv1'));
    return [tls10, outcomeOfHello('TLSv1.1', eleven)];
  });
  const [rdp, tls, credssp, twelve, legacyVersions] = await Promise.all([rdpAttempt, tlsAttempt, credsspAttempt, twelveAttempt, legacy]);
  const session = [tls, credssp].find((result) => result.tls)?.tls;
  const tlsVersions = session && legacyVersions ? [...legacyVersions, outcomeOfHello('TLSv1.2', twelve), tls13From(session)] : null;
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
