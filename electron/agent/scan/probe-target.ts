/**
 * One fleet target, bounded: the handshake probe against host:port within a deadline, the name
 * resolved once for all its connections (the name itself stays what TLS and the certificate check
 * use). Never rejects: every failure is that target's finding. Shared by scan and exporter.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import type { Target } from '../../../probes/handshake/attempt.js';
import { evaluateHandshake } from '../../../probes/handshake/handshake-evaluate.js';
import { observeHandshake } from '../../../probes/handshake/handshake.js';
import { targetReport, type TargetReport } from '../../../probes/handshake/target-report.js';

export interface ProbeTargetOptions {
  /** The whole target's time, resolution included. */
  deadlineMs: number;
  warnDays: number;
  signal?: AbortSignal;
}

async function resolveOnce(host: string, signal: AbortSignal): Promise<string | undefined> {
  if (net.isIP(host) !== 0) return host;
  try {
    // Aborting does not stop getaddrinfo, but the deadline no longer waits for it.
    const aborted = new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    return (await Promise.race([lookup(host), aborted])).address;
  } catch {
    // Unresolvable: the attempts meet the same error and say it in their own words.
    return undefined;
  }
}

export async function probeTarget(target: Target, options: ProbeTargetOptions): Promise<TargetReport> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.deadlineMs);
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  // Three steps in a row (connect, reply, TLS) fit in the deadline, so a stall is named by its step.
  const stepMs = Math.max(200, Math.floor(options.deadlineMs / 3.5));
  try {
    const address = controller.signal.aborted ? undefined : await resolveOnce(target.host, controller.signal);
    const observation = await observeHandshake({
      target: address && address !== target.host ? { ...target, address } : target,
      portSource: 'named',
      timeouts: { connectMs: stepMs, replyMs: stepMs, tlsMs: stepMs },
      signal: controller.signal,
    });
    const now = new Date();
    let verdict: { status: TargetReport['status']; summary: string } = evaluateHandshake(observation, { now, warnDays: options.warnDays });
    if (controller.signal.aborted && !options.signal?.aborted) {
      verdict = { status: 'unknown', summary: `The check of ${target.host} did not finish within ${(options.deadlineMs / 1000).toFixed(1)} s.` };
    }
    return targetReport(observation, verdict, now, performance.now() - started);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}
