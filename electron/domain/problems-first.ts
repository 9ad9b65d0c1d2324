/**
 * Severity, and the order a person reads findings in: problems first, worst first (catalog order
 * breaks ties), then the checks that passed. The window, the tray and `rdp-health check` share it.
 * No dependencies, so the sandboxed window bundles it as it is.
 */
type Status = 'ok' | 'warn' | 'fail' | 'unknown';

/** `unknown` ranks below `fail` and above `warn`. */
export const SEVERITY: Readonly<Record<Status, number>> = { ok: 0, warn: 1, unknown: 2, fail: 3 };

export interface ProblemsFirst<F> {
  /** Every finding that is not OK, worst first. */
  problems: F[];
  /** The findings that passed, in catalog order. */
  passed: F[];
}

export function problemsFirst<F extends { status: Status }>(findings: readonly F[]): ProblemsFirst<F> {
  const problems = findings.filter((f) => f.status !== 'ok');
  // Array.prototype.sort is stable: equal severities keep catalog order.
  problems.sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status]);
  return { problems, passed: findings.filter((f) => f.status === 'ok') };
}

/** The one problem to name first, if any. */
export function worstProblem<F extends { status: Status }>(findings: readonly F[]): F | undefined {
  return problemsFirst(findings).problems[0];
}

export function checksPassedText(count: number): string {
  return `${count} check${count === 1 ? '' : 's'} passed`;
}
