/**
 * Which TLS versions the listener accepts: one fresh X.224 + TLS attempt per version, pinned with
 * minVersion = maxVersion. OpenSSL may refuse to offer TLS 1.0/1.1 at its default security level,
 * so those attempts lower it; if our side still cannot offer a version, that is reported as such,
 * never as the server refusing it.
 */
import type tls from 'node:tls';
import { runAttempt, type StepTimeouts, type Target, type TlsClientOptions } from './attempt.js';

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

/** One version after another: a listener with a short backlog is not flooded. */
export async function probeTlsVersions(options: TlsVersionOptions): Promise<TlsVersionResult[]> {
  const results: TlsVersionResult[] = [];
  for (const version of TLS_VERSIONS) results.push(await probeTlsVersion(version, options));
  return results;
}
