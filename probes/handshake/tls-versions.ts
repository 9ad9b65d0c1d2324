/**
 * Which TLS versions the listener accepts. The probe's way: TLS 1.2, and 1.1 with 1.0, each by one
 * X.224 exchange and our own ClientHello read up to the server's first answer, at once; TLS 1.3
 * from the handshake the probe completes anyway (offered 1.2 and 1.3, a server that picks 1.2 has
 * no 1.3). probeTlsVersion is the full OpenSSL handshake pinned to one version,
 * kept for telling "this computer could not offer it" apart from "the server refused it".
 */
import type tls from 'node:tls';
import { runAttempt, type AttemptResult, type StepTimeouts, type Target, type TlsClientOptions, type TlsSession } from './attempt.js';
import type { HelloVersion } from './tls-hello.js';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const satisfies readonly tls.SecureVersion[];
export type TlsVersion = (typeof TLS_VERSIONS)[number];

export const TLS_VERSION_LABELS: Record<TlsVersion, string> = {
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

/** Security level 0 lets OpenSSL 3 offer TLS 1.0/1.1 (SHA-1 signatures); we only look, never log in. */
export const LEGACY_TLS_CIPHERS = 'DEFAULT:@SECLEVEL=0';

export type TlsVersionOutcome = 'accepted' | 'refused' | 'client-cannot-offer' | 'no-answer' | 'not-tested';

export interface TlsVersionResult {
  version: TlsVersion;
  outcome: TlsVersionOutcome;
  /** The cipher when accepted; otherwise what happened, verbatim. */
  detail: string;
}

export function clientOptionsFor(version: TlsVersion): TlsClientOptions {
  const pinned: TlsClientOptions = { minVersion: version, maxVersion: version };
  return version === 'TLSv1' || version === 'TLSv1.1' ? { ...pinned, ciphers: LEGACY_TLS_CIPHERS } : pinned;
}

export interface TlsVersionOptions {
  target: Target;
  /** A requestedProtocols value the server answered with TLS (or CredSSP, which starts with TLS). */
  requestedProtocols: number;
  timeouts?: Partial<StepTimeouts>;
  signal?: AbortSignal;
  /** The client settings per version; defaults to clientOptionsFor. */
  clientOptions?: (version: TlsVersion) => TlsClientOptions;
}

export async function probeTlsVersion(version: TlsVersion, options: TlsVersionOptions): Promise<TlsVersionResult> {
  const attempt = await runAttempt({
    target: options.target,
    requestedProtocols: options.requestedProtocols,
    tls: (options.clientOptions ?? clientOptionsFor)(version),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (attempt.tls) {
    if (attempt.tls.version !== version) {
      return { version, outcome: 'not-tested', detail: `asked for ${version} only, the connection used ${attempt.tls.version}` };
    }
    return { version, outcome: 'accepted', detail: attempt.tls.cipher };
  }
  const broke = attempt.broke;
  if (broke?.step === 'tls') {
    if (broke.clientHelloSent === false) return { version, outcome: 'client-cannot-offer', detail: broke.message };
    if (broke.kind === 'timeout' || broke.kind === 'aborted') return { version, outcome: 'no-answer', detail: broke.message };
    // An alert, a reset or a close right after our ClientHello: the server turned this version down.
    return { version, outcome: 'refused', detail: broke.message };
  }
  if (broke) return { version, outcome: 'not-tested', detail: `the connection broke before TLS (${broke.step}: ${broke.message})` };
  return { version, outcome: 'not-tested', detail: 'the server did not start TLS on this connection' };
}

/** An accepted hello's cipher says what the server took from our list, not what it prefers. */
function pickedCipher(cipher: string): string {
  return `${cipher}, picked from our ClientHello (RSA key exchange listed first)`;
}

/** What the answer to a ClientHello that offered `version` at most says about `version`. */
export function outcomeOfHello(version: HelloVersion, attempt: AttemptResult): TlsVersionResult {
  const answer = attempt.hello;
  if (answer?.kind === 'server-hello') {
    if (answer.version === version) return { version, outcome: 'accepted', detail: pickedCipher(answer.cipher) };
    return { version, outcome: 'refused', detail: `offered ${version} at most, the server answered with ${answer.version}` };
  }
  if (answer?.kind === 'alert') return { version, outcome: 'refused', detail: `the server answered with the alert ${answer.description}` };
  if (answer?.kind === 'not-tls') return { version, outcome: 'refused', detail: answer.problem };
  const broke = attempt.broke;
  if (broke?.step === 'tls') {
    if (broke.kind === 'timeout' || broke.kind === 'aborted') return { version, outcome: 'no-answer', detail: broke.message };
    return { version, outcome: 'refused', detail: broke.message };
  }
  if (broke) return { version, outcome: 'not-tested', detail: `the connection broke before TLS (${broke.step}: ${broke.message})` };
  return { version, outcome: 'not-tested', detail: 'the server did not start TLS on this connection' };
}

/** One X.224 exchange and our own ClientHello offering `version` at most. */
export function helloAttempt(version: HelloVersion, options: TlsVersionOptions): Promise<AttemptResult> {
  return runAttempt({
    target: options.target,
    requestedProtocols: options.requestedProtocols,
    hello: version,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * TLS 1.0 from the answer to a hello offering 1.1 at most: a server picks the highest version it
 * shares (RFC 5246 E.1), so one that accepts 1.0 answers with 1.0, and a refusal covers 1.0 too.
 * null when the answer cannot say (1.1 was accepted, or no answer): then 1.0 is asked itself.
 */
export function tls10From(answerTo11: AttemptResult): TlsVersionResult | null {
  const answer = answerTo11.hello;
  if (answer?.kind === 'server-hello' && answer.version === 'TLSv1') return { version: 'TLSv1', outcome: 'accepted', detail: pickedCipher(answer.cipher) };
  const eleven = outcomeOfHello('TLSv1.1', answerTo11);
  if (eleven.outcome !== 'refused' || answer?.kind === 'server-hello') return null;
  return { version: 'TLSv1', outcome: 'refused', detail: `offered TLS 1.1 at most, which a server accepting TLS 1.0 answers with it: ${eleven.detail}` };
}

/** TLS 1.1 and 1.0 from the answer to a 1.1 hello, asking 1.0 alone only when that answer cannot say. */
export async function legacyTlsVersions(answerTo11: AttemptResult, options: TlsVersionOptions): Promise<TlsVersionResult[]> {
  const tls10 = tls10From(answerTo11) ?? outcomeOfHello('TLSv1', await helloAttempt('TLSv1', options));
  return [tls10, outcomeOfHello('TLSv1.1', answerTo11)];
}

/** TLS 1.0, 1.1 and 1.2 by our own ClientHellos (1.2 and 1.1 at once): no full handshake. */
export async function helloTlsVersions(options: TlsVersionOptions): Promise<TlsVersionResult[]> {
  const [twelve, eleven] = await Promise.all([helloAttempt('TLSv1.2', options), helloAttempt('TLSv1.1', options)]);
  return [...(await legacyTlsVersions(eleven, options)), outcomeOfHello('TLSv1.2', twelve)];
}

/** TLS 1.3 from a handshake that offered 1.2 and 1.3 (Node's defaults): the server picks its highest. */
export function tls13From(session: TlsSession): TlsVersionResult {
  if (session.version === 'TLSv1.3') return { version: 'TLSv1.3', outcome: 'accepted', detail: session.cipher };
  return { version: 'TLSv1.3', outcome: 'refused', detail: `offered TLS 1.2 and 1.3, the server chose ${session.version}` };
}

/**
 * Every version. With clientOptions: one full OpenSSL handshake per version, one after another.
 * Otherwise the fast way: 1.0–1.2 by ClientHello at once, 1.3 by one pinned handshake.
 */
export async function probeTlsVersions(options: TlsVersionOptions): Promise<TlsVersionResult[]> {
  if (options.clientOptions) {
    const results: TlsVersionResult[] = [];
    for (const version of TLS_VERSIONS) results.push(await probeTlsVersion(version, options));
    return results;
  }
  const [legacy, tls13] = await Promise.all([helloTlsVersions(options), probeTlsVersion('TLSv1.3', options)]);
  return [...legacy, tls13];
}
