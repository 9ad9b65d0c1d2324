/**
 * A scan's three outputs: a table for people (worst first), one JSON document, CSV for a
 * spreadsheet. Everything a remote server chose (certificate names) is made harmless first:
 * control characters never reach the terminal, and a CSV cell never starts a formula.
 */
import type { Status } from '../../../probes/common/finding.js';
import type { TargetReport } from '../../../probes/handshake/target-report.js';
import type { InvalidTarget } from './scan-targets.js';

export interface ScanDocument {
  scannedAt: string;
  durationMs: number;
  concurrency: number;
  deadlineSeconds: number;
  worst: Status;
  counts: Record<Status, number>;
  invalidTargets: InvalidTarget[];
  targets: TargetReport[];
}

const TLS_LABELS = ['TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3'] as const;

/** Control characters (a terminal's escape sequences among them) shown as "?". */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function acceptedVersions(report: TargetReport): string {
  if (!report.tlsVersions) return '-';
  const accepted = TLS_LABELS.filter((label) => report.tlsVersions?.[label] === 'accepted').map((label) => label.slice(4));
  return accepted.length > 0 ? accepted.join(',') : 'none';
}

function protocols(report: TargetReport): string {
  const names = (['rdp', 'tls', 'credssp'] as const).filter((name) => report.securityProtocols[name]).map((name) => name.toUpperCase());
  return names.length > 0 ? names.join(',') : '-';
}

export function scanTable(document: ScanDocument): string {
  const header = ['STATUS', 'TARGET', 'DAYS', 'TLS', 'PROTOCOLS', 'NLA', 'NAME', 'SUMMARY'];
  const rows = document.targets.map((report) => [
    report.status.toUpperCase(),
    printable(report.target),
    report.certificate?.daysLeft === null || report.certificate === null ? '-' : String(report.certificate.daysLeft),
    acceptedVersions(report),
    protocols(report),
    report.nlaRequired === null ? '?' : report.nlaRequired ? 'required' : 'no',
    report.certificate ? (report.certificate.nameMatches ? 'ok' : 'MISMATCH') : '-',
    printable(report.summary),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const lines = all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
  const counts = (['fail', 'unknown', 'warn', 'ok'] as const).map((status) => `${document.counts[status]} ${status}`).join(', ');
  lines.push('', `${document.targets.length} targets in ${(document.durationMs / 1000).toFixed(1)} s: ${counts}.`);
  if (document.invalidTargets.length > 0) lines.push(`${document.invalidTargets.length} listed targets could not be scanned (see above).`);
  return `${lines.join('\n')}\n`;
}

/** RFC 4180 quoting; a leading = + - @ (a spreadsheet formula) is defused with a quote mark. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = printable(String(value));
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'target', 'host', 'port', 'status', 'reachable', 'rdp', 'tls', 'credssp', 'nla_required',
  'tls_1_0', 'tls_1_1', 'tls_1_2', 'tls_1_3', 'subject', 'issuer', 'subject_alt_names', 'not_after',
  'days_left', 'self_signed', 'thumbprint', 'name_matches', 'summary',
] as const;

export function scanCsv(document: ScanDocument): string {
  const rows = document.targets.map((report) => {
    const cert = report.certificate;
    return [
      report.target, report.host, report.port, report.status, report.reachable,
      report.securityProtocols.rdp, report.securityProtocols.tls, report.securityProtocols.credssp, report.nlaRequired,
      ...TLS_LABELS.map((label) => report.tlsVersions?.[label] ?? null),
      cert?.subject, cert?.issuer, cert?.subjectAltNames.join('; '), cert?.notAfter, cert?.daysLeft, cert?.selfSigned,
      cert?.thumbprint, cert?.nameMatches, report.summary,
    ].map(csvCell).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
