/**
 * The link to one address: a few TCP connects, each timed and closed at once (no RDP spoken),
 * reduced to median, spread and failures. Bounded in count and time.
 */
import net from 'node:net';

export type ConnectOutcome = { ok: true; ms: number } | { ok: false; ms: number; kind: 'refused' | 'timeout' | 'unreachable' | 'reset' | 'aborted' | 'error'; code: string | null };

const KINDS: Record<string, 'refused' | 'timeout' | 'unreachable' | 'reset'> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ECONNRESET: 'reset',
};

/** One TCP connect to address:port; never rejects, never outlives timeoutMs. */
export function tcpConnect(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ConnectOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    let settled = false;
    const finish = (outcome: ConnectOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const onAbort = () => finish({ ok: false, ms: elapsed(), kind: 'aborted', code: null });
    const timer = setTimeout(() => finish({ ok: false, ms: elapsed(), kind: 'timeout', code: null }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    socket.once('connect', () => finish({ ok: true, ms: elapsed() }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, ms: elapsed(), kind: KINDS[error.code ?? ''] ?? 'error', code: error.code ?? null }));
  });
}

export interface LinkStats {
  address: string;
  tries: number;
  failures: number;
  /** Of the connects that succeeded; null when none did. */
  medianMs: number | null;
  /** Slowest minus fastest successful connect. */
  spreadMs: number | null;
  outcomes: ConnectOutcome[];
}

export interface LinkOptions {
  tries?: number;
  timeoutMs?: number;
  /** Pause between tries, so a flaky path has a chance to show. */
  gapMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_LINK = { tries: 5, timeoutMs: 3000, gapMs: 50 } as const;

export function summarizeLink(address: string, outcomes: ConnectOutcome[]): LinkStats {
  const times = outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.ms).sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  const median = times.length === 0 ? null : times.length % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  return {
    address,
    tries: outcomes.length,
    failures: outcomes.length - times.length,
    medianMs: median,
    spreadMs: times.length === 0 ? null : times[times.length - 1]! - times[0]!,
    outcomes,
  };
}

export async function measureLink(address: string, port: number, options: LinkOptions = {}): Promise<LinkStats> {
  const tries = Math.min(Math.max(options.tries ?? DEFAULT_LINK.tries, 1), 20);
  const timeoutMs = options.timeoutMs ?? DEFAULT_LINK.timeoutMs;
  const gapMs = options.gapMs ?? DEFAULT_LINK.gapMs;
  const outcomes: ConnectOutcome[] = [];
  for (let index = 0; index < tries; index += 1) {
    if (options.signal?.aborted) break;
    if (index > 0 && gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    outcomes.push(await tcpConnect(address, port, timeoutMs, options.signal));
  }
  return summarizeLink(address, outcomes);
}

export interface LinkLimits {
  /** Slow: a median above this makes a session sluggish and handshakes time out on bad days. */
  slowMedianMs: number;
  /** Unstable: connect times that vary by more than this. Any failed try is unstable too. */
  unstableSpreadMs: number;
}

export const DEFAULT_LINK_LIMITS: LinkLimits = { slowMedianMs: 400, unstableSpreadMs: 800 };

export function linkProblem(stats: LinkStats, limits: LinkLimits = DEFAULT_LINK_LIMITS): string | null {
  if (stats.failures > 0 && stats.failures < stats.tries) return `${stats.failures} of ${stats.tries} connection attempts to ${stats.address} failed`;
  if (stats.medianMs !== null && stats.medianMs > limits.slowMedianMs) return `connecting to ${stats.address} takes ${Math.round(stats.medianMs)} ms (median of ${stats.tries - stats.failures})`;
  if (stats.spreadMs !== null && stats.spreadMs > limits.unstableSpreadMs) return `connect times to ${stats.address} vary by ${Math.round(stats.spreadMs)} ms`;
  return null;
}
