/**
 * One connection the way an RDP client starts one: TCP connect, X.224 Connection Request, the
 * server's Connection Confirm, then (when the server picked TLS or CredSSP) the TLS handshake on
 * the same socket. It reads the served certificate and closes without logging in.
 * Every step has its own timeout and the caller's AbortSignal; it never throws and never hangs.
 */
import net from 'node:net';
import tls from 'node:tls';
import { decodeConnectionConfirm, encodeConnectionRequest, hex, startsTls, tpktLength, type NegotiationReply } from './x224.js';
import { describeCertificate, type CertificateInfo } from './certificate-info.js';

export interface Target {
  host: string;
  port: number;
}

export interface StepTimeouts {
  connectMs: number;
  replyMs: number;
  tlsMs: number;
}

export const DEFAULT_TIMEOUTS: StepTimeouts = { connectMs: 5000, replyMs: 5000, tlsMs: 5000 };

export interface TlsClientOptions {
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
}

export interface AttemptOptions {
  target: Target;
  requestedProtocols: number;
  timeouts?: Partial<StepTimeouts>;
  signal?: AbortSignal;
  tls?: TlsClientOptions;
}

export type Step = 'connect' | 'reply' | 'tls';
export type BreakKind = 'refused' | 'timeout' | 'closed' | 'reset' | 'unreachable' | 'not-found' | 'aborted' | 'tls' | 'error';

export interface AttemptBreak {
  step: Step;
  kind: BreakKind;
  message: string;
  code?: string;
  /** TLS step only: whether our ClientHello left this machine (false = the client could not offer). */
  clientHelloSent?: boolean;
  /** Reply step, timeout only: bytes of a reply that had begun (a peer that answers, but too slowly). */
  bytesReceived?: number;
}

export interface TlsSession {
  version: string;
  cipher: string;
  certificate: CertificateInfo | null;
}

export interface AttemptResult {
  requestedProtocols: number;
  /** The Connection Confirm, decoded; absent when the connection broke before one arrived. */
  reply?: NegotiationReply;
  tls?: TlsSession;
  /** Where and how the attempt broke; absent when every step that applied completed. */
  broke?: AttemptBreak;
}

class StepError extends Error {
  constructor(
    readonly info: AttemptBreak,
  ) {
    super(info.message);
  }
}

const ALERT_RECORD_LENGTH = 7;

const CODE_KINDS: Record<string, BreakKind> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENOTFOUND: 'not-found',
  EAI_AGAIN: 'not-found',
  EAI_NONAME: 'not-found',
  ABORT_ERR: 'aborted',
};

function toBreak(step: Step, error: unknown): AttemptBreak {
  if (error instanceof StepError) return error.info;
  const err = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; reason?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  // OpenSSL errors carry a readable reason ("tlsv1 alert protocol version"); their message is a dump.
  const reason = typeof err.reason === 'string' ? err.reason : undefined;
  const firstLine = typeof err.message === 'string' ? err.message.split('\n')[0] : undefined;
  const message = reason ?? firstLine ?? String(error);
  let kind: BreakKind = (code && CODE_KINDS[code]) || 'error';
  if (step === 'tls' && code?.startsWith('ERR_SSL')) kind = 'tls';
  if (step === 'tls' && /disconnected before secure TLS connection/.test(message)) kind = 'closed';
  return code === undefined ? { step, kind, message } : { step, kind, message, code };
}

/**
 * Runs `work` with a deadline and the abort signal; `cleanup` always runs. `work` gets `fail`
 * to end the step early with a described break.
 */
function withDeadline<T>(
  step: Step,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  work: (resolve: (value: T) => void, fail: (error: unknown) => void) => () => void,
  /** What the step had seen when its deadline passed (a reply that had begun). */
  atDeadline: () => Partial<AttemptBreak> = () => ({}),
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let cleanup: () => void = () => {};
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cleanup();
      action();
    };
    const onAbort = (): void =>
      finish(() => reject(new StepError({ step, kind: 'aborted', message: 'the check was cancelled' })));
    const timer = setTimeout(
      () => {
        const seen = atDeadline();
        const message = seen.bytesReceived ? `only ${seen.bytesReceived} bytes of the answer within ${timeoutMs} ms` : `no answer within ${timeoutMs} ms`;
        finish(() => reject(new StepError({ step, kind: 'timeout', message, ...seen })));
      },
      timeoutMs,
    );
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = work(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
    if (settled) cleanup();
  });
}

function connect(target: Target, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  const socket = net.connect({ host: target.host, port: target.port });
  return withDeadline<net.Socket>('connect', timeoutMs, signal, (resolve, fail) => {
    const onConnect = (): void => resolve(socket);
    const onError = (error: Error): void => fail(error);
    socket.once('connect', onConnect);
    socket.once('error', onError);
    return () => {
      socket.off('connect', onConnect);
      socket.off('error', onError);
    };
  }).catch((error: unknown) => {
    socket.destroy();
    throw error;
  });
}

/** Reads exactly one TPKT; garbage is returned as soon as it is recognisable, so it is decoded as such. */
function readConfirm(socket: net.Socket, timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
  let received = Buffer.alloc(0);
  return withDeadline<Buffer>('reply', timeoutMs, signal, (resolve, fail) => {
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const length = tpktLength(received);
      if (length === 'need-more') return;
      if (typeof length !== 'number') {
        resolve(received);
        return;
      }
      if (received.length < length) return;
      socket.pause();
      // Bytes past the Confirm belong to whatever comes next (the TLS handshake).
      if (received.length > length) socket.unshift(received.subarray(length));
      resolve(received.subarray(0, length));
    };
    const onEnd = (): void => {
      const seen = received.length === 0 ? 'before replying' : `after ${received.length} bytes (${hex(received.subarray(0, 32))})`;
      fail(new StepError({ step: 'reply', kind: 'closed', message: `the server closed the connection ${seen}` }));
    };
    const onError = (error: Error): void => fail(error);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    return () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
  }, () => (received.length > 0 ? { bytesReceived: received.length } : {}));
}

function handshakeTls(
  socket: net.Socket,
  host: string,
  options: TlsClientOptions,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TlsSession> {
  const before = socket.bytesWritten;
  // OpenSSL that cannot build a ClientHello may still send a 7-byte alert record: count only more than that.
  const clientHelloSent = (): boolean => socket.bytesWritten - before > ALERT_RECORD_LENGTH;
  return withDeadline<TlsSession>('tls', timeoutMs, signal, (resolve, fail) => {
    let secure: tls.TLSSocket;
    try {
      secure = tls.connect({
        socket,
        // An RDP certificate is usually self-signed: read it, never trust or reject it.
        rejectUnauthorized: false,
        ...(net.isIP(host) === 0 ? { servername: host } : {}),
        ...options,
      });
    } catch (error) {
      // e.g. a cipher string this OpenSSL cannot use: nothing was offered.
      fail(new StepError({ ...toBreak('tls', error), clientHelloSent: false }));
      return () => {};
    }
    const onSecure = (): void => {
      const cipher = secure.getCipher();
      resolve({
        version: secure.getProtocol() ?? 'unknown',
        cipher: cipher.standardName ?? cipher.name,
        certificate: describeCertificate(secure.getPeerX509Certificate()),
      });
    };
    const onError = (error: Error): void => fail(new StepError({ ...toBreak('tls', error), clientHelloSent: clientHelloSent() }));
    const onClose = (): void =>
      fail(new StepError({ step: 'tls', kind: 'closed', message: 'the server closed the connection during the TLS handshake', clientHelloSent: clientHelloSent() }));
    secure.once('secureConnect', onSecure);
    secure.once('error', onError);
    secure.once('close', onClose);
    return () => {
      secure.off('secureConnect', onSecure);
      secure.off('error', onError);
      secure.off('close', onClose);
      // A late error after we gave up must not become an uncaught exception.
      secure.on('error', () => {});
      secure.destroy();
    };
  }).catch((error: unknown) => {
    if (error instanceof StepError && error.info.kind === 'timeout') {
      throw new StepError({ ...error.info, message: `TLS handshake did not finish within ${timeoutMs} ms`, clientHelloSent: clientHelloSent() });
    }
    throw error;
  });
}

/** One RDP connection start. Resolves with what was seen; never rejects. */
export async function runAttempt(options: AttemptOptions): Promise<AttemptResult> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const result: AttemptResult = { requestedProtocols: options.requestedProtocols };
  let socket: net.Socket | undefined;
  let step: Step = 'connect';
  try {
    socket = await connect(options.target, timeouts.connectMs, options.signal);
    // Errors after a step ended (a reset while idle) must not crash the process.
    socket.on('error', () => {});
    step = 'reply';
    socket.write(encodeConnectionRequest(options.requestedProtocols));
    const packet = await readConfirm(socket, timeouts.replyMs, options.signal);
    result.reply = decodeConnectionConfirm(packet);
    if (result.reply.kind === 'selected' && startsTls(result.reply.selectedProtocol)) {
      step = 'tls';
      result.tls = await handshakeTls(socket, options.target.host, options.tls ?? {}, timeouts.tlsMs, options.signal);
    }
  } catch (error) {
    result.broke = toBreak(step, error);
  } finally {
    socket?.destroy();
  }
  return result;
}
