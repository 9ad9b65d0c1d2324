/**
 * The steps of one connection start, each with its own deadline and the caller's AbortSignal:
 * how a step breaks (AttemptBreak) and the deadline wrapper every step runs in.
 */
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

export class StepError extends Error {
  constructor(
    readonly info: AttemptBreak,
  ) {
    super(info.message);
  }
}

/** OpenSSL that cannot build a ClientHello may still send a 7-byte alert record. */
export const ALERT_RECORD_LENGTH = 7;

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

export function toBreak(step: Step, error: unknown): AttemptBreak {
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
export function withDeadline<T>(
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
