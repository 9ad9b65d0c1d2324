/**
 * What ships in deploy/prometheus, checked by Prometheus' own promtool: the scrape config, the
 * alert rules and their unit tests; and the Grafana dashboard: it parses, every query is valid
 * PromQL, and every metric it (or a rule) names is one the exporter or the host agent publishes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startExporter } from '../../../electron/agent/exporter/exporter-server.js';
import { probeMetrics } from '../../../electron/agent/exporter/probe-metrics.js';
import { formatMetrics } from '../../../electron/agent/metrics.js';
import type { TargetReport } from '../../../probes/handshake/target-report.js';
import { finding, snapshot } from '../../unit/fleet/snapshots.js';

const run = promisify(execFile);
const DEPLOY = path.resolve(import.meta.dirname, '../../../deploy/prometheus');

const fullReport: TargetReport = {
  target: 'h:3389',
  host: 'h',
  port: 3389,
  status: 'ok',
  summary: 'ok',
  reachable: true,
  handshakeCompleted: true,
  securityProtocols: { rdp: false, tls: true, credssp: true },
  nlaRequired: false,
  tlsVersions: { 'TLS 1.0': 'refused', 'TLS 1.1': 'refused', 'TLS 1.2': 'accepted', 'TLS 1.3': 'accepted' },
  certificate: {
    subject: 'CN=h',
    issuer: 'CN=h',
    subjectAltNames: [],
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    daysLeft: 30,
    selfSigned: true,
    thumbprint: 'AB',
    nameMatches: true,
  },
  durationMs: 12,
  checkedAt: '2026-12-01T00:00:00.000Z',
};

function metricNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
}

async function publishedMetrics(): Promise<Set<string>> {
  const exporter = await startExporter({ host: '127.0.0.1', port: 0, allowlist: new Set(), concurrency: 1, cacheMs: 0, deadlineMs: 1000, warnDays: 30 });
  try {
    const own = await (await fetch(`${exporter.url}/metrics`)).text();
    const textfile = formatMetrics(snapshot([finding('certificate', 'ok')]), {
      certificates: [{ probeId: 'certificate', thumbprint: 'AB', notAfter: '2027-01-01T00:00:00.000Z' }],
    });
    return new Set([...metricNames(probeMetrics(fullReport)), ...metricNames(own), ...metricNames(textfile)]);
  } finally {
    await exporter.close();
  }
}

/** rdp_* names in a PromQL text (label names and values are not metric names). */
function namesIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...withoutLabels.matchAll(/\brdp_[a-z0-9_]+\b/g)].map((match) => match[0]);
}

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

describe('deploy/prometheus', () => {
  it('has a scrape config and rules promtool accepts, and every rule passes its unit test', async () => {
    const config = await run('promtool', ['check', 'config', 'prometheus.yml'], { cwd: DEPLOY });
    expect(config.stdout).toMatch(/SUCCESS: 6 rules found/);
    const tests = await run('promtool', ['test', 'rules', 'tests/rdp-health.rules.test.yml'], { cwd: DEPLOY });
    expect(`${tests.stdout}${tests.stderr}`).toMatch(/SUCCESS/);
  }, 30_000);

  it('tests every alert rule at least once, firing', async () => {
    const rules = await readFile(path.join(DEPLOY, 'rdp-health.rules.yml'), 'utf8');
    const tests = await readFile(path.join(DEPLOY, 'tests', 'rdp-health.rules.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\S+)/g)].map((match) => match[1]!);
    expect(alerts).toHaveLength(6);
    for (const alert of alerts) expect(tests, alert).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`));
  });

  it('ships a Grafana dashboard whose queries are valid PromQL over metrics that exist', async () => {
    const dashboard = JSON.parse(await readFile(path.join(DEPLOY, 'grafana', 'rdp-health-dashboard.json'), 'utf8')) as { panels: Panel[] };
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const known = await publishedMetrics();
    const rules = await readFile(path.join(DEPLOY, 'rdp-health.rules.yml'), 'utf8');
    const ruleExprs = rules.replace(/^\s*#.*$/gm, '');
    for (const name of [...exprs.flatMap(namesIn), ...namesIn(ruleExprs)]) expect(known, name).toContain(name);
    // The panels cover both sources: the exporter and the host agent's textfile.
    expect(exprs.some((expr) => expr.includes('rdp_health_'))).toBe(true);
    expect(exprs.some((expr) => expr.includes('rdp_probe_success'))).toBe(true);
    // promtool parses every query as a recording rule's expression.
    const work = await mkdtemp(path.join(os.tmpdir(), 'rdp-health-dashboard-'));
    try {
      const file = path.join(work, 'dashboard-queries.yml');
      const rulesText = ['groups:', '  - name: dashboard', '    rules:', ...exprs.flatMap((expr, index) => [`      - record: dashboard:query${index}`, `        expr: ${JSON.stringify(expr)}`])];
      await writeFile(file, `${rulesText.join('\n')}\n`);
      const checked = await run('promtool', ['check', 'rules', file]);
      expect(checked.stdout).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 30_000);
});
