import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeLabelValue, formatMetrics, METRICS_FILE_NAME, writeMetricsFile } from '../../../electron/agent/metrics.js';
import { finding, snapshot } from './snapshots.js';

/** promtool (Debian package prometheus, installed by .ci/run) lints the exposition format. */
function promtoolCheck(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool is not installed (apt-get install prometheus): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const sample = snapshot([
  finding('nla', 'ok'),
  finding('firewall', 'warn'),
  finding('key-access', 'fail'),
  finding('tls', 'unknown'),
  finding('certificate', 'warn'),
]);
const facts = { certificates: [{ probeId: 'certificate', thumbprint: '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12', notAfter: '2026-12-20T08:30:00.000Z' }] };

describe('formatMetrics', () => {
  it('passes promtool check metrics', () => {
    const { status, output } = promtoolCheck(formatMetrics(sample, facts));
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('maps each status to 0 ok, 1 warn, 2 fail, 3 unknown', () => {
    const text = formatMetrics(sample, facts);
    expect(text).toContain('rdp_health_probe_status{probe="nla"} 0\n');
    expect(text).toContain('rdp_health_probe_status{probe="firewall"} 1\n');
    expect(text).toContain('rdp_health_probe_status{probe="key-access"} 2\n');
    expect(text).toContain('rdp_health_probe_status{probe="tls"} 3\n');
    expect(text).toContain('rdp_health_overall_status 2\n');
  });

  it('writes the certificate expiry, the end of the last check and its duration in seconds', () => {
    const text = formatMetrics(sample, facts);
    expect(text).toContain(`rdp_health_certificate_expiry_timestamp_seconds{probe="certificate",thumbprint="5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12"} ${Date.parse('2026-12-20T08:30:00.000Z') / 1000}\n`);
    expect(text).toContain(`rdp_health_last_check_timestamp_seconds ${(Date.parse('2026-11-25T12:00:00.000Z') + 2345) / 1000}\n`);
    expect(text).toContain('rdp_health_check_duration_seconds 2.345\n');
  });

  it('has a HELP and a TYPE line before every family', () => {
    const lines = formatMetrics(sample, facts).trimEnd().split('\n');
    const names = new Set(lines.filter((l) => !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0] ?? ''));
    expect([...names]).toEqual([
      'rdp_health_probe_status',
      'rdp_health_overall_status',
      'rdp_health_certificate_expiry_timestamp_seconds',
      'rdp_health_last_check_timestamp_seconds',
      'rdp_health_check_duration_seconds',
    ]);
    for (const name of names) {
      const help = lines.indexOf(lines.find((l) => l.startsWith(`# HELP ${name} `)) ?? '');
      expect(help).toBeGreaterThanOrEqual(0);
      expect(lines[help + 1]).toBe(`# TYPE ${name} gauge`);
      expect(lines[help + 2]?.startsWith(name)).toBe(true);
    }
  });

  it('leaves the certificate family out when the cycle read no bound certificate', () => {
    const text = formatMetrics(snapshot([finding('nla', 'ok')]));
    expect(text).not.toContain('certificate_expiry');
    expect(promtoolCheck(text).status).toBe(0);
  });

  it('escapes label values so odd probe ids still parse', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const text = formatMetrics(snapshot([finding('we"ird\\id\nx', 'warn')]));
    expect(text).toContain('rdp_health_probe_status{probe="we\\"ird\\\\id\\nx"} 1\n');
    expect(promtoolCheck(text).status).toBe(0);
  });

  it('is checked by a promtool that does catch broken output', () => {
    expect(promtoolCheck('rdp_health_probe_status{probe="a} 1\n').status).not.toBe(0);
  });
});

describe('writeMetricsFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdp-health-metrics-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts rdp_health.prom in the folder and leaves no temp file behind', async () => {
    const path = await writeMetricsFile(dir, sample, facts);
    expect(path).toBe(join(dir, METRICS_FILE_NAME));
    expect(await readFile(path, 'utf8')).toBe(formatMetrics(sample, facts));
    expect(await readdir(dir)).toEqual([METRICS_FILE_NAME]);
  });

  it('replaces the file atomically: a reader sees the old text or the new, never a mix', async () => {
    const small = formatMetrics(snapshot([finding('nla', 'ok')]));
    const large = formatMetrics(snapshot(Array.from({ length: 400 }, (_, i) => finding(`probe-${i}`, 'warn'))));
    await writeFile(join(dir, METRICS_FILE_NAME), small);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) seen.add(await readFile(join(dir, METRICS_FILE_NAME), 'utf8'));
    })();
    for (let i = 0; i < 60; i += 1) await writeMetricsFile(dir, i % 2 === 0 ? snapshot(Array.from({ length: 400 }, (_, j) => finding(`probe-${j}`, 'warn'))) : snapshot([finding('nla', 'ok')]));
    writing = false;
    await reader;
    expect(seen.size).toBeGreaterThan(0);
    for (const text of seen) expect([small, large]).toContain(text);
    expect(await readdir(dir)).toEqual([METRICS_FILE_NAME]);
  });

  it('fails when the configured folder does not exist, and creates nothing', async () => {
    await expect(writeMetricsFile(join(dir, 'missing'), sample, facts)).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
