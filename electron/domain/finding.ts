/**
 * The shapes every probe produces and every consumer reads (DESIGN.md, "Contracts").
 * Runtime schemas sit next to the types so anything that crosses a process or file
 * boundary (history, IPC, CLI --json) is validated, not trusted.
 */
import { z } from 'zod';
import { SEVERITY } from './problems-first.js';

export const STATUSES = ['ok', 'warn', 'fail', 'unknown'] as const;
export const statusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof statusSchema>;


export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'ok';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

export function isWorse(a: Status, b: Status): boolean {
  return SEVERITY[a] > SEVERITY[b];
}

/** Monitoring-plugin exit codes (Nagios, Icinga, Checkmk, Intune detection). */
export const EXIT_CODES: Record<Status, number> = { ok: 0, warn: 1, fail: 2, unknown: 3 };

/** A fix id names a fix from the catalogue (`probe.action`); it never becomes part of a command. */
export const fixIdSchema = z.string().max(64).regex(/^[a-z0-9-]+\.[a-z0-9-]+$/);

export const fixDescriptorSchema = z.object({
  id: fixIdSchema,
  title: z.string(),
  lowersSecurity: z.boolean(),
  disruptsSessions: z.boolean(),
  needsElevation: z.boolean(),
});
export type FixDescriptor = z.infer<typeof fixDescriptorSchema>;

export const findingSchema = z.object({
  probeId: z.string(),
  status: statusSchema,
  title: z.string(),
  /** One sentence a non-admin understands. */
  summary: z.string(),
  /** What was read, verbatim: label → value. */
  evidence: z.record(z.string(), z.unknown()),
  fixes: z.array(fixDescriptorSchema),
  checkedAt: z.string(),
  /**
   * Set when the check ran with a user's rights and Windows refused it what it reads (the RDP key
   * file's ACL, for one): only the host checker, running as SYSTEM, can tell. Shown as "needs the
   * host checker", and never counted as unknown for the overall status (overallStatus).
   */
  needsHostChecker: z.literal(true).optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** What a check counts for the overall status: a check that needs the host checker counts for nothing. */
export function countsForOverall(finding: Pick<Finding, 'needsHostChecker'>): boolean {
  return finding.needsHostChecker !== true;
}

/** The worst status among the findings that count (a healthy host a user checks is not "unknown"). */
export function overallStatus(findings: readonly Finding[]): Status {
  return worstStatus(findings.filter(countsForOverall).map((finding) => finding.status));
}

export const healthSnapshotSchema = z.object({
  overall: statusSchema,
  findings: z.array(findingSchema),
  startedAt: z.string(),
  durationMs: z.number(),
  host: z.string(),
  /** Set when this PC accepts no Remote Desktop connections by design (why, in words): the host checks do not apply. */
  notAnRdpHost: z.string().optional(),
});
export type HealthSnapshot = z.infer<typeof healthSnapshotSchema>;
