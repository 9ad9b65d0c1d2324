/**
 * A scan: every listed target probed, at most `concurrency` at once, each within its deadline.
 * Only each target's compact report is kept (never the raw observation), so memory grows with the
 * results and nothing else. A target that breaks in any way is its own finding; the scan goes on.
 */
import { worstStatus, type Status } from '../../../probes/common/finding.js';
import type { Target } from '../../../probes/handshake/attempt.js';
import type { TargetReport } from '../../../probes/handshake/target-report.js';
import { probeTarget } from './probe-target.js';

export const DEFAULT_CONCURRENCY = 32;
export const MAX_CONCURRENCY = 256;
export const DEFAULT_DEADLINE_MS = 10_000;

export interface ScanProgress {
  done: number;
  total: number;
  failed: number;
  elapsedMs: number;
}

export interface ScanOptions {
  concurrency?: number;
  deadlineMs?: number;
  warnDays?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** The work per target; probeTarget unless a test or bench replaces it. */
  probe?: (target: Target, options: { deadlineMs: number; warnDays: number; signal?: AbortSignal }) => Promise<TargetReport>;
}

export interface ScanResult {
  reports: TargetReport[];
  worst: Status;
  durationMs: number;
}

const SEVERITY: Record<Status, number> = { fail: 0, unknown: 1, warn: 2, ok: 3 };

/** Worst first; within a status, the certificate closest to expiry first, then by name. */
export function worstFirst(a: TargetReport, b: TargetReport): number {
  const days = (report: TargetReport): number => report.certificate?.daysLeft ?? Number.POSITIVE_INFINITY;
  return SEVERITY[a.status] - SEVERITY[b.status] || days(a) - days(b) || a.target.localeCompare(b.target);
}

export async function runScan(targets: readonly Target[], options: ScanOptions = {}): Promise<ScanResult> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, MAX_CONCURRENCY, targets.length || 1));
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const warnDays = options.warnDays ?? 30;
  const probe = options.probe ?? probeTarget;
  const started = performance.now();
  const reports: TargetReport[] = new Array<TargetReport>(targets.length);
  let next = 0;
  let done = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length && !options.signal?.aborted) {
      const index = next;
      next += 1;
      const report = await probe(targets[index]!, { deadlineMs, warnDays, ...(options.signal ? { signal: options.signal } : {}) });
      reports[index] = report;
      done += 1;
      if (report.status === 'fail' || report.status === 'unknown') failed += 1;
      options.onProgress?.({ done, total: targets.length, failed, elapsedMs: performance.now() - started });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const finished = reports.filter((report) => report !== undefined).sort(worstFirst);
  return { reports: finished, worst: worstStatus(finished.map((report) => report.status)), durationMs: performance.now() - started };
}
