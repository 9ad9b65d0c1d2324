/**
 * `rdp-health check --nagios`: one line in the monitoring-plugin format Nagios, Icinga, Checkmk
 * (as a local/MRPE check) and friends read, with the exit code carrying the state:
 *   RDP HEALTH WARNING - The certificate expires in 12 days (+1 more) | cert_days_left=12;30:;0: ...
 * Performance data thresholds use the plugin range syntax: `30:` alerts below 30, so the warning
 * threshold is the largest warning day and the critical one is expiry, exactly when the
 * certificate check itself turns warn and fail.
 */
import { daysLeft } from '../../probes/common/days.js';
import { countsForOverall, EXIT_CODES, isWorse, type Finding, type HealthSnapshot, type Status } from '../../probes/common/finding.js';
import type { CertificateExpiry } from '../agent/notify-policy.js';

export const SERVICE_NAME = 'RDP HEALTH';

export const NAGIOS_STATES: Record<Status, string> = { ok: 'OK', warn: 'WARNING', fail: 'CRITICAL', unknown: 'UNKNOWN' };

export interface NagiosContext {
  now: Date;
  /** The warning days in force (settings or policy); the largest is the warning threshold. */
  warnDays: readonly number[];
  /** From the cycle's envelope data (certificateExpiries in electron/agent/certificate-expiry.ts). */
  certificates?: readonly CertificateExpiry[];
}

/** Whole days left, negative once expired (as the certificate check counts them). */
export { daysLeft };

/** Plugin output is one line and `|` starts the performance data: neither may appear in the text. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
}

/**
 * The problems, worst first (fail, unknown, warn), in catalog order within a status; a check that
 * needs the host checker (not counted in the state) comes after them.
 */
function problems(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => (countsForOverall(f) ? 0 : 1);
  return findings
    .filter((f) => f.status !== 'ok')
    .sort((a, b) => rank(a) - rank(b) || (isWorse(a.status, b.status) ? -1 : isWorse(b.status, a.status) ? 1 : 0));
}

export function formatNagios(snapshot: HealthSnapshot, ctx: NagiosContext): string {
  const found = problems(snapshot.findings);
  const worst = found[0];
  const text = worst
    ? `${worst.summary}${found.length > 1 ? ` (+${found.length - 1} more: ${found.slice(1).map((f) => f.probeId).join(', ')})` : ''}`
    : `All ${snapshot.findings.length} checks passed on ${snapshot.host}`;

  // A check Windows refused to this user's rights is not unknown: it has its own count, as it has its
  // own label in the table and does not make the state UNKNOWN.
  const counts = { ok: 0, warn: 0, fail: 0, unknown: 0, needsHostChecker: 0 } satisfies Record<Status | 'needsHostChecker', number>;
  for (const finding of snapshot.findings) counts[countsForOverall(finding) ? finding.status : 'needsHostChecker'] += 1;
  const perf: string[] = [];
  const warnAt = ctx.warnDays.length > 0 ? Math.max(...ctx.warnDays) : undefined;
  const certificates = (ctx.certificates ?? []).filter((c) => !Number.isNaN(Date.parse(c.notAfter)));
  for (const [index, certificate] of certificates.entries()) {
    const name = certificates.length === 1 ? 'cert_days_left' : `cert_days_left_${index + 1}`;
    perf.push(`${name}=${daysLeft(certificate.notAfter, ctx.now)};${warnAt !== undefined ? `${warnAt}:` : ''};0:`);
  }
  perf.push(
    `checks_ok=${counts.ok};;;0;${snapshot.findings.length}`,
    `checks_warn=${counts.warn};;;0;${snapshot.findings.length}`,
    `checks_fail=${counts.fail};;;0;${snapshot.findings.length}`,
    `checks_unknown=${counts.unknown};;;0;${snapshot.findings.length}`,
    `checks_needs_host_checker=${counts.needsHostChecker};;;0;${snapshot.findings.length}`,
    `duration=${(snapshot.durationMs / 1000).toFixed(3)}s;;;0`,
  );
  return `${SERVICE_NAME} ${NAGIOS_STATES[snapshot.overall]} - ${oneLine(text)} | ${perf.join(' ')}`;
}

/** The line when no check could run (wrong arguments, no shell, a bad scenario): UNKNOWN, exit 3. */
export function formatNagiosUnknown(reason: string): string {
  return `${SERVICE_NAME} ${NAGIOS_STATES.unknown} - ${oneLine(reason) || 'the check could not run'}`;
}

/** The exit code that goes with the line (the same as every other output format). */
export function nagiosExitCode(snapshot: HealthSnapshot): number {
  return EXIT_CODES[snapshot.overall];
}
