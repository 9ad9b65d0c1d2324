/**
 * Metrics for Prometheus through windows_exporter's textfile collector (optional, off unless a
 * folder is configured): after every cycle the agent rewrites `rdp_health.prom` in that folder,
 * atomically, in the text exposition format. Gauges only, no timestamps (the collector rejects
 * them). The formatting is a pure function; the writer only puts its text in place.
 */
import { join } from 'node:path';
import { EXIT_CODES, type HealthSnapshot, type Status } from '../../probes/common/finding.js';
import { writeFileAtomic } from './atomic-file.js';
import type { CertificateExpiry } from './notify-policy.js';

export const METRICS_FILE_NAME = 'rdp_health.prom';

/** 0 ok, 1 warn, 2 fail, 3 unknown: the same numbers as the CLI's exit codes. */
export const STATUS_VALUES: Record<Status, number> = EXIT_CODES;

/** A label value in the exposition format: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes only backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

interface Sample {
  labels?: Record<string, string>;
  value: number;
}

function family(name: string, help: string, samples: Sample[]): string[] {
  if (samples.length === 0) return [];
  const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} gauge`];
  for (const sample of samples) {
    const labels = Object.entries(sample.labels ?? {});
    const labelText = labels.length === 0 ? '' : `{${labels.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}`;
    lines.push(`${name}${labelText} ${formatNumber(sample.value)}`);
  }
  return lines;
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

export interface MetricsFacts {
  /** From the cycle's envelope data: certificateExpiries(runner.dataOf) in certificate-expiry.ts. */
  certificates?: readonly CertificateExpiry[];
}

/** The whole file for one snapshot. */
export function formatMetrics(snapshot: HealthSnapshot, facts: MetricsFacts = {}): string {
  const started = Date.parse(snapshot.startedAt);
  const certificates = (facts.certificates ?? []).filter((c) => !Number.isNaN(Date.parse(c.notAfter)));
  const lines = [
    ...family(
      'rdp_health_probe_status',
      'Status of each RDP Health check at the last cycle: 0 ok, 1 warn, 2 fail, 3 unknown.',
      snapshot.findings.map((finding) => ({ labels: { probe: finding.probeId }, value: STATUS_VALUES[finding.status] })),
    ),
    ...family('rdp_health_overall_status', 'Worst status of the last cycle: 0 ok, 1 warn, 2 fail, 3 unknown.', [
      { value: STATUS_VALUES[snapshot.overall] },
    ]),
    ...family(
      'rdp_health_certificate_expiry_timestamp_seconds',
      'When the Remote Desktop certificate expires, in seconds since the Unix epoch.',
      certificates.map((c) => ({ labels: { probe: c.probeId, thumbprint: c.thumbprint }, value: seconds(Date.parse(c.notAfter)) })),
    ),
    ...family(
      'rdp_health_last_check_timestamp_seconds',
      'When the last cycle finished, in seconds since the Unix epoch.',
      Number.isNaN(started) ? [] : [{ value: seconds(started + snapshot.durationMs) }],
    ),
    ...family('rdp_health_check_duration_seconds', 'How long the last cycle took, in seconds.', [{ value: seconds(snapshot.durationMs) }]),
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes the metrics file into the textfile collector's folder (which must exist). */
export async function writeMetricsFile(directory: string, snapshot: HealthSnapshot, facts: MetricsFacts = {}): Promise<string> {
  const target = join(directory, METRICS_FILE_NAME);
  await writeFileAtomic(target, formatMetrics(snapshot, facts));
  return target;
}
