/**
 * One connection the way an RDP client starts one: TCP connect, X.224 Connection Request, the
 * server's Connection Confirm, then (when the server picked TLS or CredSSP) the TLS handshake on
 * the same socket. It reads the served certificate and closes without logging in.
 * Every step has its own timeout and the caller's AbortSignal; it never throws and never hangs.
 */
import { constants as cryptoConstants } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { decodeConnectionConfirm, encodeConnectionRequest, hex, startsTls, tpktLength, type NegotiationReply } from './x224.js';
import { describeCertificate, type CertificateInfo } from './certificate-info.js';
import { ALERT_RECORD_LENGTH, StepError, toBreak, withDeadline, type AttemptBreak, type Step } from './step.js';
import { encodeClientHello, readServerAnswer, type HelloVersion, type ServerAnswer } from './tls-hello.js';

export type { AttemptBreak, BreakKind, Step } from './step.js';

export interface Target {
  /** The name or address as given: what TLS names (SNI) and what the certificate is checked against. */
  host: string;
  port: number;
  /** Where to connect when the name was resolved once for every connection (a scan); default host. */
  address?: string;
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
  /**
   * Instead of a TLS handshake: send our own ClientHello offering this version at most and read the
   * first answer. A promise is awaited once the server selected TLS; null then means the handshake.
   */
  hello?: HelloVersion | PromiseLike<HelloVersion | null>;
  /** Told once TCP is connected, so dependent attempts can start without waiting for the whole one. */
  onConnected?: () => void;
  /** Told the decoded Connection Confirm as soon as it arrives. */
  onReply?: (reply: NegotiationReply) => void;
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
  /** The server's first answer to our own ClientHello (AttemptOptions.hello). */
  hello?: ServerAnswer;
  /** Which version our ClientHello offered at most, when `hello` holds the answer. */
  helloOffered?: HelloVersion;
  /** Where and how the attempt broke; absent when every step that applied completed. */
  broke?: AttemptBreak;
}

function connect(target: Target, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  const socket = net.connect({ host: target.address ?? target.host, port: target.port });
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

const clientContexts = new Map<string, tls.SecureContext>();

/**
 * One OpenSSL client context per set of options, made once and shared: building one costs more
 * than the client's share of the handshake. No session tickets (we never resume) and no CA store
 * (the certificate is read, never verified against roots).
 */
function clientContext(options: TlsClientOptions): tls.SecureContext {
  const key = `${options.minVersion ?? ''}|${options.maxVersion ?? ''}|${options.ciphers ?? ''}`;
  let context = clientContexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ...options, ca: [], secureOptions: cryptoConstants.SSL_OP_NO_TICKET });
    clientContexts.set(key, context);
  }
  return context;
}

function handshakeTls(
  socket: net.Socket,
  host: string,
  options: TlsClientOptions,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TlsSession> {
  const before = socket.bytesWritten;
  // Count only more than an alert record: OpenSSL that cannot build a ClientHello may still send one.
  const clientHelloSent = (): boolean => socket.bytesWritten - before > ALERT_RECORD_LENGTH;
  return withDeadline<TlsSession>('tls', timeoutMs, signal, (resolve, fail) => {
    let secure: tls.TLSSocket;
    try {
      secure = tls.connect({
        socket,
        // An RDP certificate is usually self-signed: read it, never trust or reject it.
        rejectUnauthorized: false,
        ...(net.isIP(host) === 0 ? { servername: host } : {}),
        secureContext: clientContext(options),
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

/** Sends our ClientHello and resolves with the first record of the answer (ServerHello or alert). */
function exchangeHello(socket: net.Socket, version: HelloVersion, host: string, timeoutMs: number, signal?: AbortSignal): Promise<ServerAnswer> {
  return withDeadline<ServerAnswer>('tls', timeoutMs, signal, (resolve, fail) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const answer = readServerAnswer(received);
      if (answer !== 'need-more') resolve(answer);
    };
    const onEnd = (): void =>
      fail(new StepError({ step: 'tls', kind: 'closed', message: 'the server closed the connection after our ClientHello', clientHelloSent: true }));
    const onError = (error: Error): void => fail(new StepError({ ...toBreak('tls', error), clientHelloSent: true }));
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    socket.resume();
    socket.write(encodeClientHello(version, host));
    return () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
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
    options.onConnected?.();
    // Errors after a step ended (a reset while idle) must not crash the process.
    socket.on('error', () => {});
    step = 'reply';
    socket.write(encodeConnectionRequest(options.requestedProtocols));
    const packet = await readConfirm(socket, timeouts.replyMs, options.signal);
    result.reply = decodeConnectionConfirm(packet);
    options.onReply?.(result.reply);
    if (result.reply.kind === 'selected' && startsTls(result.reply.selectedProtocol)) {
      step = 'tls';
      const hello = (await options.hello) ?? null;
      if (hello !== null) {
        result.helloOffered = hello;
        result.hello = await exchangeHello(socket, hello, options.target.host, timeouts.tlsMs, options.signal);
      } else result.tls = await handshakeTls(socket, options.target.host, options.tls ?? {}, timeouts.tlsMs, options.signal);
    }
  } catch (error) {
    result.broke = toBreak(step, error);
  } finally {
    socket?.destroy();
  }
  return result;
}
