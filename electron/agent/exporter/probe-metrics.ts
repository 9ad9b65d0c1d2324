/**
 * One target's report as Prometheus text exposition (format 0.0.4), the blackbox-exporter way:
 * every gauge is about the target of this /probe request; Prometheus adds the target label by
 * relabeling. A value that could not be learnt is left out rather than guessed.
 */
import type { TargetReport } from '../../../probes/handshake/target-report.js';

const STATUS_VALUES = { ok: 0, warn: 1, fail: 2, unknown: 3 } as const;
const TLS_METRIC_VERSIONS: Record<string, string> = { 'TLS 1.0': '1.0', 'TLS 1.1': '1.1', 'TLS 1.2': '1.2', 'TLS 1.3': '1.3' };

/** Label values from a remote certificate: backslash, quote and newline escaped, control characters dropped. */
export function labelValue(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class MetricText {
  private readonly lines: string[] = [];

  gauge(name: string, help: string, samples: Array<[labels: Record<string, string>, value: number]>): this {
    if (samples.length === 0) return this;
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) this.lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
    return this;
  }

  counter(name: string, help: string, samples: Array<[labels: Record<string, string>, value: number]>): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const [labels, value] of samples) this.lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([key, value]) => `${key}="${labelValue(value)}"`).join(',')}}`;
}

function formatValue(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
}

const bit = (value: boolean): number => (value ? 1 : 0);

export function probeMetrics(report: TargetReport): string {
  const text = new MetricText()
    .gauge('rdp_probe_success', 'Whether a client could complete the RDP handshake (X.224 and TLS) with the target.', [[{}, bit(report.handshakeCompleted)]])
    .gauge('rdp_probe_duration_seconds', 'How long the probe took, in seconds.', [[{}, report.durationMs / 1000]])
    .gauge('rdp_probe_status', 'The verdict: 0 ok, 1 warn, 2 fail, 3 unknown (as rdp-health check).', [[{}, STATUS_VALUES[report.status]]])
    .gauge('rdp_probe_reachable', 'Whether a TCP connection to the target opened.', [[{}, bit(report.reachable)]]);
  const protocols = Object.entries(report.securityProtocols).filter((entry): entry is [string, boolean] => entry[1] !== null);
  text.gauge(
    'rdp_security_protocol_accepted',
    'Whether the server selects this security protocol when a client offers it (rdp = standard RDP security, tls, credssp = NLA).',
    protocols.map(([protocol, accepted]) => [{ protocol }, bit(accepted)]),
  );
  if (report.nlaRequired !== null) text.gauge('rdp_nla_required', 'Whether the server accepts only CredSSP (Network Level Authentication).', [[{}, bit(report.nlaRequired)]]);
  const versions = Object.entries(report.tlsVersions ?? {}).filter(([, outcome]) => outcome === 'accepted' || outcome === 'refused');
  text.gauge(
    'rdp_tls_version_accepted',
    'Whether the server accepts this TLS version (versions that could not be tested are absent).',
    versions.map(([label, outcome]) => [{ version: TLS_METRIC_VERSIONS[label] ?? label }, bit(outcome === 'accepted')]),
  );
  const cert = report.certificate;
  if (cert) {
    const notAfter = cert.notAfter ? Date.parse(cert.notAfter) : Number.NaN;
    if (!Number.isNaN(notAfter)) text.gauge('rdp_certificate_expiry_timestamp_seconds', 'When the served certificate expires (Unix time).', [[{}, notAfter / 1000]]);
    text
      .gauge('rdp_certificate_self_signed', 'Whether the served certificate is self-signed.', [[{}, bit(cert.selfSigned)]])
      .gauge('rdp_certificate_name_matches', 'Whether the scraped target name is one the certificate is issued to.', [[{}, bit(cert.nameMatches)]])
      .gauge('rdp_certificate_info', 'The served certificate; the value is always 1.', [[{ subject: cert.subject, issuer: cert.issuer, thumbprint: cert.thumbprint }, 1]]);
  }
  return text.toString();
}
